package dev.greenhub.bench;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * What W8-idle read from a server before and after opening its idle connections, the cost per
 * connection that follows, and whether that cost can be used: a part that fell by more than
 * {@link #NOISE_BYTES} in total, a resident-memory reading that never settled, or connections the
 * server closed before the second reading make it unusable, and the result says so instead of
 * giving a number that a TARGET line could call met.
 *
 * @param connections the idle connections opened
 * @param heapBefore live heap bytes after a full collection, before
 * @param heapAfter the same after
 * @param rssBefore resident memory before (the heap is pre-touched, so its growth is native memory)
 * @param rssAfter the same after
 * @param fdsBefore the server's open file descriptors before
 * @param fdsAfter the same after (every connection holds one)
 */
record IdleCost(int connections, long heapBefore, long heapAfter, SettledRss.Reading rssBefore,
                SettledRss.Reading rssAfter, int fdsBefore, int fdsAfter) {
    /**
     * How far in total a part may fall and still count as noise: each settled reading may sit up to
     * {@link SettledRss#TOLERANCE_BYTES} off the level it settled at, so a difference of two, twice
     * that (512 KiB: 262 B per connection at 2,000).
     */
    static final long NOISE_BYTES = 2 * SettledRss.TOLERANCE_BYTES;
    /** How many fewer new open files than connections still count as all connections open: the JVM opens and closes a few itself (a jar, jcmd's attach socket). */
    static final int FD_SLACK = 2;
    /** The value of {@code bytes_per_idle_connection} when the figure cannot be used. */
    static final String UNUSABLE = "unusable";

    /** Checks the count. */
    IdleCost {
        if (connections < 1) {
            throw new IllegalArgumentException("W8-idle needs at least one connection: " + connections);
        }
    }

    /**
     * Why the figure cannot be used.
     *
     * @param token a word for the result line ({@code unusable=<token>})
     * @param sentence what happened, for a NOTE line
     */
    record Unusable(String token, String sentence) {
    }

    /** @return live heap bytes per connection */
    long heapPerConnection() {
        return (heapAfter - heapBefore) / connections;
    }

    /** @return native resident bytes per connection */
    long nativePerConnection() {
        return (rssAfter.bytes() - rssBefore.bytes()) / connections;
    }

    /** @return the first reason the figure cannot be used, or empty when it can */
    Optional<Unusable> unusable() {
        if (fdsAfter - fdsBefore < connections - FD_SLACK) {
            return Optional.of(new Unusable("connections_closed", "the server held " + (fdsAfter - fdsBefore)
                    + " more open files after the idle window, not " + connections + ": it closed connections"
                    + " before the second reading, which therefore is not of " + connections + " idle connections"));
        }
        if (!rssBefore.settled() || !rssAfter.settled()) {
            SettledRss.Reading r = rssBefore.settled() ? rssAfter : rssBefore;
            return Optional.of(new Unusable("rss_unsettled", "resident memory " + (r == rssBefore ? "before" : "after")
                    + " the connections still moved by more than " + kib(SettledRss.TOLERANCE_BYTES) + " within "
                    + SettledRss.WINDOW_MILLIS + " ms after " + r.waitedMillis() + " ms of waiting, so the two"
                    + " readings are not of the same settled state"));
        }
        long heap = heapAfter - heapBefore;
        if (heap < -NOISE_BYTES) {
            return Optional.of(new Unusable("heap_fell", "the live heap fell by " + kib(-heap) + " while "
                    + connections + " connections were opened (more than the " + kib(NOISE_BYTES) + " noise bound):"
                    + " the first reading held objects the second did not, so the difference does not measure the"
                    + " connections"));
        }
        long rss = rssAfter.bytes() - rssBefore.bytes();
        if (rss < -NOISE_BYTES) {
            return Optional.of(new Unusable("native_rss_fell", "resident memory outside the heap fell by "
                    + kib(-rss) + " while " + connections + " connections were opened (more than the "
                    + kib(NOISE_BYTES) + " noise bound): the server gave back memory it held at the first reading,"
                    + " so the difference does not measure the connections"));
        }
        return Optional.empty();
    }

    /**
     * The metrics of the W8-idle result: {@code idle_connections}, {@code bytes_per_idle_connection}
     * (the sum of the parts, or {@value #UNUSABLE}), {@code heap_bytes}, {@code native_rss_bytes}, and
     * {@code unusable=<reason>} when the figure cannot be used.
     *
     * @return the metrics in print order
     */
    Map<String, String> metrics() {
        Optional<Unusable> why = unusable();
        Map<String, String> m = new LinkedHashMap<>();
        m.put("idle_connections", Integer.toString(connections));
        m.put("bytes_per_idle_connection", why.isPresent() ? UNUSABLE
                : Long.toString(heapPerConnection() + nativePerConnection()));
        m.put("heap_bytes", Long.toString(heapPerConnection()));
        m.put("native_rss_bytes", Long.toString(nativePerConnection()));
        why.ifPresent(u -> m.put("unusable", u.token()));
        return m;
    }

    private static String kib(long bytes) {
        return String.format(Locale.ROOT, "%,d KiB", bytes / 1024);
    }
}
