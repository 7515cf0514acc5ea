package dev.greenhub.net;

/**
 * Thrown by a {@link GreenNet#serve} handler (or delivered to the serving thread with
 * {@link dev.greenhub.Fiber#kill(Throwable)}) to make {@code serve} stop accepting and return
 * normally (eventlet's {@code StopServe}).
 */
public final class StopServe extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** Creates the signal. */
    public StopServe() {
        super("stop serving");
    }

    /**
     * Creates the signal with a reason.
     *
     * @param reason why serving stops
     */
    public StopServe(String reason) {
        super(reason);
    }
}
