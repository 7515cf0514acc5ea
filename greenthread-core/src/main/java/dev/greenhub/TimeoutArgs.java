package dev.greenhub;

import java.time.Duration;
import java.util.Objects;

/**
 * The timeout argument of the timed waits of the semaphores, queues and pools, read one way
 * everywhere: zero tries once without waiting or yielding, a negative timeout is refused with
 * what to call instead, and a huge one is clamped (about 73 years) so that no deadline
 * arithmetic overflows.
 */
final class TimeoutArgs {
    private static final Duration MAX = Duration.ofNanos(Scheduler.MAX_DELAY_NANOS);

    private TimeoutArgs() {
    }

    /**
     * The timeout in nanoseconds, clamped.
     *
     * @param timeout the argument
     * @param untimed the call that waits without limit, named in the refusal of a negative timeout
     * @param nonBlocking the call that does not wait at all, or null if there is none
     */
    static long nanos(Duration timeout, String untimed, String nonBlocking) {
        Objects.requireNonNull(timeout, "timeout");
        if (timeout.isNegative()) {
            throw new IllegalArgumentException("timeout must not be negative: " + timeout + " (Duration.ZERO"
                    + (nonBlocking == null ? "" : " or " + nonBlocking) + " tries once without waiting; " + untimed
                    + " waits without limit)");
        }
        return timeout.compareTo(MAX) > 0 ? Scheduler.MAX_DELAY_NANOS : timeout.toNanos();
    }
}
