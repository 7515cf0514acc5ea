package dev.greenhub.net;

import dev.greenhub.IoClosedException;
import dev.greenhub.IoTimeoutException;
import dev.greenhub.Scheduler;
import dev.greenhub.internal.FdWaits;
import java.io.IOException;
import java.nio.channels.AsynchronousCloseException;

/**
 * A green channel's wait for readiness of its fd, and the exceptions that name the channel
 * ({@code owner}, by its {@code toString}) when it is closed or a wait times out.
 */
final class ChannelWaits {
    private ChannelWaits() {
    }

    /**
     * Parks the caller until {@code fd} is ready for {@code interest} on {@code home}'s hub.
     *
     * @return false if {@code deadline} (a {@link System#nanoTime()} value) passed first
     * @throws IoClosedException if the channel is closed through greenhub meanwhile
     */
    static boolean ready(Scheduler home, int fd, int interest, long deadline, Object owner, String what)
            throws IOException {
        try {
            return FdWaits.trampoline(home, fd, interest, deadline) != 0;
        } catch (AsynchronousCloseException e) {
            throw closedDuring(owner, what, e);
        }
    }

    /** The exception for an operation {@code what} tried on a closed channel. */
    static IoClosedException closed(Object owner, String what) {
        return new IoClosedException("cannot " + what + ": " + owner + " is closed");
    }

    /** The exception for a channel closed while the current thread waited to {@code what}. */
    static IoClosedException closedDuring(Object owner, String what, Exception cause) {
        IoClosedException e = new IoClosedException(owner + " was closed while " + Thread.currentThread().getName()
                + " waited to " + what);
        e.initCause(cause);
        return e;
    }

    /** The exception for a wait to {@code what} that lasted the whole timeout. */
    static IoTimeoutException timedOut(Object owner, String what, long timeoutNanos) {
        return new IoTimeoutException(what + " timed out after " + timeoutNanos / 1_000_000L + " ms on " + owner);
    }
}
