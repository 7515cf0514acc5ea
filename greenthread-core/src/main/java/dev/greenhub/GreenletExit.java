package dev.greenhub;

/**
 * Thrown into a green thread or greenlet to end it: the default exception of
 * {@link GreenThread#kill()} and of closing a {@link Scheduler}. As in greenlet, a greenlet whose
 * body ends with this exception is not a failure: it counts as returning the exception object to
 * its parent.
 */
public class GreenletExit extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** With the message {@code "killed"}. */
    public GreenletExit() {
        super("killed");
    }

    /**
     * With a message.
     *
     * @param message why the green thread is being ended
     */
    public GreenletExit(String message) {
        super(message);
    }
}
