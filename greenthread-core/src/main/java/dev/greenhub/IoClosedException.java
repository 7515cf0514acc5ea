package dev.greenhub;

import java.nio.channels.AsynchronousCloseException;

/**
 * An fd (or a green socket) was closed through greenhub while a green thread waited on it, or is
 * used after such a close (eventlet's {@code IOClosed}). It is an
 * {@link AsynchronousCloseException}, so code that handles the JDK's channel-close exceptions
 * handles it too.
 */
public final class IoClosedException extends AsynchronousCloseException {
    private static final long serialVersionUID = 1L;

    /** What was closed and what was waiting for it. */
    private final String message;

    /**
     * Creates the exception.
     *
     * @param message what was closed and what was waiting for it
     */
    public IoClosedException(String message) {
        this.message = message;
    }

    @Override
    public String getMessage() {
        return message;
    }
}
