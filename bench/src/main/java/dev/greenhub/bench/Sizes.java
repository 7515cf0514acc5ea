package dev.greenhub.bench;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * The sizes of the workloads. {@link #defaults()} are the sizes; {@link #quick()} a run of
 * a few seconds in all.
 *
 * @param yields W1: sleep(0) calls per green thread
 * @param roundTrips W2: token round trips
 * @param spawns W3: green threads spawned and joined
 * @param parked W4: green threads parked on one Event
 * @param timers W5: sleeping green threads
 * @param timerSpanMillis W5: the sleeps are uniform in [0, this)
 * @param connections W6: the active connection counts, one run each
 * @param idle W7: the idle connection counts, one run each
 * @param seconds W6/W7: measured seconds per run
 * @param warmupSeconds W6/W7: unmeasured seconds before each run
 * @param payload W6/W7: bytes per request
 * @param seed W5: the random seed of the sleep times
 */
public record Sizes(int yields, int roundTrips, int spawns, int parked, int timers, int timerSpanMillis,
                    List<Integer> connections, List<Integer> idle, double seconds, double warmupSeconds,
                    int payload, long seed) {

    /** Checks the values. */
    public Sizes {
        positive("yields", yields);
        positive("round-trips", roundTrips);
        positive("spawns", spawns);
        positive("parked", parked);
        positive("timers", timers);
        positive("timer-span-ms", timerSpanMillis);
        positive("payload", payload);
        connections = List.copyOf(connections);
        idle = List.copyOf(idle);
        if (connections.isEmpty() || connections.stream().anyMatch(c -> c < 1)) {
            throw new IllegalArgumentException("connections must be a non-empty list of counts >= 1: " + connections);
        }
        if (idle.isEmpty() || idle.stream().anyMatch(c -> c < 0)) {
            throw new IllegalArgumentException("idle must be a non-empty list of counts >= 0: " + idle);
        }
        if (!(seconds > 0) || !(warmupSeconds >= 0) || Double.isInfinite(seconds) || Double.isInfinite(warmupSeconds)) {
            throw new IllegalArgumentException("seconds must be > 0 and warm-up >= 0: " + seconds + ", " + warmupSeconds);
        }
    }

    private static void positive(String name, long value) {
        if (value < 1) {
            throw new IllegalArgumentException(name + " must be at least 1: " + value);
        }
    }

    /** @return the sizes the issue names */
    public static Sizes defaults() {
        return new Sizes(1_000_000, 1_000_000, 200_000, 100_000, 100_000, 1000,
                List.of(10, 100, 1000), List.of(0, 900, 9000), 3, 1, 64, 42);
    }

    /** @return small sizes for a run of seconds */
    public static Sizes quick() {
        return new Sizes(100_000, 100_000, 20_000, 10_000, 10_000, 1000,
                List.of(10, 100, 1000), List.of(0, 900, 9000), 1, 0.3, 64, 42);
    }

    /** @return these sizes as {@code key=value} arguments for {@link #fromArgs} */
    public List<String> toArgs() {
        List<String> out = new ArrayList<>();
        asMap().forEach((k, v) -> out.add(k + "=" + v));
        return out;
    }

    private Map<String, String> asMap() {
        Map<String, String> m = new TreeMap<>();
        m.put("yields", Integer.toString(yields));
        m.put("roundTrips", Integer.toString(roundTrips));
        m.put("spawns", Integer.toString(spawns));
        m.put("parked", Integer.toString(parked));
        m.put("timers", Integer.toString(timers));
        m.put("timerSpanMillis", Integer.toString(timerSpanMillis));
        m.put("connections", join(connections));
        m.put("idle", join(idle));
        m.put("seconds", Double.toString(seconds));
        m.put("warmupSeconds", Double.toString(warmupSeconds));
        m.put("payload", Integer.toString(payload));
        m.put("seed", Long.toString(seed));
        return m;
    }

    /**
     * Parses arguments made by {@link #toArgs()}.
     *
     * @param args {@code key=value} words, every key of this record once
     * @return the sizes
     * @throws IllegalArgumentException on a missing, unknown or malformed key
     */
    public static Sizes fromArgs(List<String> args) {
        Map<String, String> m = new TreeMap<>();
        for (String a : args) {
            int eq = a.indexOf('=');
            if (eq <= 0) {
                throw new IllegalArgumentException("expected key=value, got '" + a + "'");
            }
            m.put(a.substring(0, eq), a.substring(eq + 1));
        }
        if (!m.keySet().equals(defaults().asMap().keySet())) {
            throw new IllegalArgumentException("expected the keys " + defaults().asMap().keySet() + ", got " + m.keySet());
        }
        return new Sizes(Integer.parseInt(m.get("yields")), Integer.parseInt(m.get("roundTrips")),
                Integer.parseInt(m.get("spawns")), Integer.parseInt(m.get("parked")),
                Integer.parseInt(m.get("timers")), Integer.parseInt(m.get("timerSpanMillis")),
                split(m.get("connections")), split(m.get("idle")), Double.parseDouble(m.get("seconds")),
                Double.parseDouble(m.get("warmupSeconds")), Integer.parseInt(m.get("payload")),
                Long.parseLong(m.get("seed")));
    }

    private static String join(List<Integer> values) {
        return values.stream().map(String::valueOf).collect(Collectors.joining(","));
    }

    private static List<Integer> split(String text) {
        return Arrays.stream(text.split(",")).map(String::strip).map(Integer::valueOf).toList();
    }
}
