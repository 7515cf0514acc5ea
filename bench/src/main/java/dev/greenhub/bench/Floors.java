package dev.greenhub.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/** Checks results against the performance floors and says by how much each is met or missed. */
public final class Floors {
    private Floors() {
    }

    /**
     * One line per floor that the results let us judge, {@code FLOOR ... met} or {@code FLOOR ... MISSED}.
     *
     * @param results the results
     * @return the lines, each ending in a newline; empty when no floor applies
     */
    public static String render(List<Result> results) {
        List<String> lines = new ArrayList<>();
        for (Result r : results) {
            if (!r.system().startsWith("greenhub-")) {
                continue;
            }
            switch (r.workload()) {
                case "W1" -> atLeast(lines, r, "yields_per_s", 4_000_000);
                case "W2" -> atLeast(lines, r, "round_trips_per_s", 2_000_000);
                case "W3" -> atLeast(lines, r, "spawned_joined_per_s", 1_000_000);
                case "W4" -> atMost(lines, r, "bytes_per_parked_rss", 1536);
                case "W5" -> {
                    atMost(lines, r, "total_s", 1.02);
                    atMost(lines, r, "lateness_p99_ms", 5);
                }
                case "W6" -> {
                    if ("100".equals(r.metrics().get("connections"))) {
                        find(results, Suite.NETTY, "W6", "connections", "100").ifPresent(netty -> {
                            double ours = number(r, "requests_per_s");
                            double theirs = number(netty, "requests_per_s");
                            verdict(lines, r, "requests_per_s at 100 connections >= 0.9 x netty-epoll ("
                                    + fmt(Math.round(0.9 * theirs)) + ")", ours / theirs >= 0.9,
                                    fmt(ours) + " = " + pct(ours / theirs) + " of netty");
                        });
                    }
                }
                case "W7" -> {
                    if ("9000".equals(r.metrics().get("idle")) && r.system().equals("greenhub-epoll")) {
                        find(results, r.system(), "W7", "idle", "0").ifPresent(none -> {
                            double busy = number(r, "requests_per_s");
                            double base = number(none, "requests_per_s");
                            verdict(lines, r, "requests_per_s with 9000 idle within 10% of 0 idle (" + fmt(base) + ")",
                                    busy >= 0.9 * base, fmt(busy) + " = " + pct(busy / base) + " of 0 idle");
                        });
                    }
                }
                default -> { }
            }
        }
        StringBuilder out = new StringBuilder();
        lines.forEach(l -> out.append(l).append('\n'));
        return out.toString();
    }

    private static Optional<Result> find(List<Result> results, String system, String workload, String key, String value) {
        return results.stream().filter(x -> x.system().equals(system) && x.workload().equals(workload)
                && value.equals(x.metrics().get(key))).findFirst();
    }

    private static void atLeast(List<String> lines, Result r, String metric, double floor) {
        double v = number(r, metric);
        verdict(lines, r, metric + " >= " + fmt(floor), v >= floor, fmt(v) + " = " + pct(v / floor) + " of the floor");
    }

    private static void atMost(List<String> lines, Result r, String metric, double ceiling) {
        double v = number(r, metric);
        verdict(lines, r, metric + " <= " + fmt(ceiling), v <= ceiling, fmt(v) + " = " + pct(v / ceiling) + " of the limit");
    }

    private static void verdict(List<String> lines, Result r, String rule, boolean met, String detail) {
        String param = Table.parameter(r.workload());
        lines.add("FLOOR " + r.system() + " " + r.workload() + (param == null ? "" : " " + param + "=" + r.metrics().get(param))
                + " " + rule + ": " + (met ? "met" : "MISSED") + " (" + detail + ")");
    }

    private static double number(Result r, String metric) {
        String v = r.metrics().get(metric);
        return v == null ? Double.NaN : Double.parseDouble(v);
    }

    private static String fmt(double v) {
        return v == Math.rint(v) && Math.abs(v) < 1e15 ? String.format(Locale.ROOT, "%,d", (long) v)
                : String.format(Locale.ROOT, "%.3f", v);
    }

    private static String pct(double ratio) {
        return String.format(Locale.ROOT, "%.0f%%", ratio * 100);
    }
}
