package dev.greenhub.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The resident memory of a JVM child, read once it has stopped moving: W8-idle's two readings
 * (before and after the idle connections) must find the server in the same settled state, or the
 * difference measures the JVM's own transient memory instead of the connections.
 *
 * <p>The transient memory that matters is HotSpot's: a JIT compilation takes its scratch memory in
 * arena chunks that go back to a chunk pool, which a periodic task empties every 5 s (HotSpot's
 * {@code ChunkPoolCleaner}); glibc may or may not give the freed chunks back to the kernel. A W8
 * server freshly started holds 7-31 MB of pooled chunks (NMT's {@code Arena Chunk}), so an RSS read
 * too early carries them in one reading and not in the other. The server therefore runs with a
 * periodic native-heap trim ({@link IdleMemory#JVM_FLAGS}: freed memory goes back to the kernel
 * within a second), and a reading is taken once every sample of {@code VmRSS} for
 * {@link #WINDOW_MILLIS} — longer than the pool cleaner's period plus one trim interval — stays
 * within {@link #TOLERANCE_BYTES}.
 */
final class SettledRss {
    /** How long the samples must stay within the tolerance: the chunk pool cleaner's 5 s, one 1 s trim, a margin. */
    static final long WINDOW_MILLIS = 6_500;
    /** The most the samples of a settled window may differ by: 64 pages. */
    static final long TOLERANCE_BYTES = 256 * 1024;
    /** The time between samples. */
    static final long SAMPLE_MILLIS = 250;

    private SettledRss() {
    }

    /**
     * One reading.
     *
     * @param bytes the last sample of resident memory
     * @param settled whether the samples stayed within the tolerance for the window before it
     * @param waitedMillis how long the reading took
     */
    record Reading(long bytes, boolean settled, long waitedMillis) {
    }

    /**
     * Samples in time order, and whether the last ones have settled. Not thread-safe.
     */
    static final class Samples {
        private final long windowMillis;
        private final long toleranceBytes;
        private final List<long[]> samples = new ArrayList<>();

        /**
         * @param windowMillis how long the samples must stay within the tolerance
         * @param toleranceBytes the most they may differ by
         */
        Samples(long windowMillis, long toleranceBytes) {
            if (windowMillis <= 0 || toleranceBytes < 0) {
                throw new IllegalArgumentException("the window must be positive and the tolerance at least 0: "
                        + windowMillis + " ms, " + toleranceBytes + " B");
            }
            this.windowMillis = windowMillis;
            this.toleranceBytes = toleranceBytes;
        }

        /**
         * Adds a sample.
         *
         * @param atMillis when it was taken, on any monotonic clock in milliseconds, not before the last one
         * @param bytes the resident memory then
         */
        void add(long atMillis, long bytes) {
            if (!samples.isEmpty() && atMillis < samples.getLast()[0]) {
                throw new IllegalArgumentException("samples go forward in time: " + atMillis + " ms after "
                        + samples.getLast()[0] + " ms");
            }
            samples.add(new long[] {atMillis, bytes});
        }

        /**
         * Whether the samples reach back at least a window from the last one, and all samples from the
         * last one taken a window or more before it onward lie within the tolerance.
         *
         * @return true when settled
         */
        boolean settled() {
            if (samples.isEmpty()) {
                return false;
            }
            long now = samples.getLast()[0];
            int from = -1;
            for (int i = samples.size() - 1; i >= 0; i--) {
                if (now - samples.get(i)[0] >= windowMillis) {
                    from = i;
                    break;
                }
            }
            if (from < 0) {
                return false;
            }
            long min = Long.MAX_VALUE;
            long max = Long.MIN_VALUE;
            for (long[] s : samples.subList(from, samples.size())) {
                min = Math.min(min, s[1]);
                max = Math.max(max, s[1]);
            }
            return max - min <= toleranceBytes;
        }

        /** @return the last sample's bytes */
        long last() {
            if (samples.isEmpty()) {
                throw new IllegalStateException("no sample yet");
            }
            return samples.getLast()[1];
        }
    }

    /**
     * Samples the resident memory of {@code pid} until it has settled or {@code limitMillis} passed.
     *
     * @param pid the process
     * @param limitMillis the longest to wait; then the reading is taken unsettled
     * @return the reading
     * @throws IOException if {@code /proc/<pid>/status} cannot be read (the process ended; not Linux)
     */
    static Reading read(long pid, long limitMillis) throws IOException {
        Samples samples = new Samples(WINDOW_MILLIS, TOLERANCE_BYTES);
        long start = System.nanoTime();
        while (true) {
            long waited = (System.nanoTime() - start) / 1_000_000;
            samples.add(waited, rss(pid));
            if (samples.settled() || waited >= limitMillis) {
                return new Reading(samples.last(), samples.settled(), waited);
            }
            try {
                Thread.sleep(SAMPLE_MILLIS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted", e);
            }
        }
    }

    /** The resident set size of process {@code pid} in bytes ({@code VmRSS}). */
    static long rss(long pid) throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
            if (line.startsWith("VmRSS:")) {
                String[] parts = line.substring("VmRSS:".length()).strip().split("\\s+");
                return Long.parseLong(parts[0]) * 1024;
            }
        }
        throw new IOException("/proc/" + pid + "/status has no VmRSS line (resident memory is measured on Linux only)");
    }
}
