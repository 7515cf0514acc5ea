package dev.greenhub.net;

import dev.greenhub.internal.Deadlines;
import java.time.Duration;

/**
 * The timeout arithmetic of the green channels: a {@link Duration} setting held as nanoseconds
 * (0 for none) and the {@link System#nanoTime()} deadline of one wait.
 */
final class NetTimeouts {
    private NetTimeouts() {
    }

    /**
     * {@code timeout} in nanoseconds: 0 for null, zero, or more than a hundred years (no limit).
     *
     * @throws IllegalArgumentException naming {@code what} if the timeout is negative
     */
    static long nanos(Duration timeout, String what) {
        if (timeout == null) {
            return 0;
        }
        if (timeout.isNegative()) {
            throw new IllegalArgumentException(what + " must not be negative: " + timeout);
        }
        return timeout.compareTo(Duration.ofDays(365L * 100)) > 0 ? 0 : timeout.toNanos();
    }

    /** A timeout held as nanoseconds, back as a Duration: null for none (0). */
    static Duration duration(long nanos) {
        return nanos == 0 ? null : Duration.ofNanos(nanos);
    }

    /** The deadline of a wait that starts now: {@link Long#MAX_VALUE} for no timeout (0). */
    static long deadline(long timeoutNanos) {
        return timeoutNanos == 0 ? Long.MAX_VALUE : Deadlines.after(timeoutNanos);
    }
}
