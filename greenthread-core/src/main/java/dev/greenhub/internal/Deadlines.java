package dev.greenhub.internal;

/**
 * Deadlines on the {@link System#nanoTime()} clock, overflow-safe, for greenhub's own packages
 * (the core's {@code dev.greenhub} and {@code dev.greenhub.net}, and the TCK). Not API: this
 * package is not exported (only to the TCK).
 */
public final class Deadlines {
    /** Longest delay kept exactly (about 73 years); longer ones are clamped to it. */
    public static final long MAX_DELAY_NANOS = Long.MAX_VALUE >> 2;

    private Deadlines() {
    }

    /**
     * The deadline {@code nanos} from now on the {@link System#nanoTime()} clock; negative counts
     * as zero, and delays beyond {@link #MAX_DELAY_NANOS} are clamped, so the sum never overflows.
     *
     * @param nanos how long from now
     * @return the deadline
     */
    public static long after(long nanos) {
        return System.nanoTime() + Math.max(0, Math.min(nanos, MAX_DELAY_NANOS));
    }
}
