package dev.greenhub;

import java.net.SocketTimeoutException;

/**
 * A green wait for an fd's readiness ({@link GreenIo#trampoline}) or a green socket operation
 * timed out. Its message names the fd and the wait. It is a {@link SocketTimeoutException} (and so
 * an {@link java.io.InterruptedIOException}), which is what eventlet's {@code trampoline} raises
 * and what JDK socket code expects.
 */
public final class IoTimeoutException extends SocketTimeoutException {
    private static final long serialVersionUID = 1L;

    /**
     * Creates the exception.
     *
     * @param message the fd and the wait that timed out
     */
    public IoTimeoutException(String message) {
        super(message);
    }
}
