package dev.greenhub.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Compares each greenhub result with the reference measured in the same run (issue 11's targets),
 * one {@code TARGET} line each: W1-W3 rates against the JDK's virtual threads ({@link JdkWorkloads},
 * at least 1.0x), W4 memory and W5 time and lateness against it (at most 1.0x), W6 requests/s
 * (at least 1.0x) and p99 latency (at most 1.0x), of the answered requests and corrected for the
 * requests a server left waiting ({@code p99_co_us}, see {@link EchoLoad}), against Netty at the same
 * connection count; W7
 * on epoll keeps within 10% of its own rate without idle connections; W8 as {@link HttpBench#targets}
 * says (2x the JDK HttpServer, 1x Netty). A ratio above 1.0x is
 * better for a rate and worse for a cost.
 */
public final class Targets {
    private Targets() {
    }

    /**
     * One line per target that the results let us judge, ending in {@code met} or {@code MISSED}.
     *
     * @param results the results
     * @return the lines, each ending in a newline; empty when no target applies
     */
    public static String render(List<Result> results) {
        List<String> lines = new ArrayList<>();
        for (Result r : results) {
            if (!r.system().startsWith("greenhub-")) {
                continue;
            }
            switch (r.workload()) {
                case "W1" -> against(lines, results, r, JdkWorkloads.SYSTEM, "yields_per_s", true);
                case "W2" -> against(lines, results, r, JdkWorkloads.SYSTEM, "round_trips_per_s", true);
                case "W3" -> against(lines, results, r, JdkWorkloads.SYSTEM, "spawned_joined_per_s", true);
                case "W4" -> against(lines, results, r, JdkWorkloads.SYSTEM, "bytes_per_parked_rss", false);
                case "W5" -> {
                    against(lines, results, r, JdkWorkloads.SYSTEM, "total_s", false);
                    against(lines, results, r, JdkWorkloads.SYSTEM, "lateness_p99_ms", false);
                }
                case "W6" -> {
                    against(lines, results, r, Suite.NETTY, "requests_per_s", true);
                    against(lines, results, r, Suite.NETTY, "p99_us", false);
                    against(lines, results, r, Suite.NETTY, "p99_co_us", false);
                }
                case Suite.SYSCALLS -> against(lines, results, r, Suite.NETTY, "syscalls_per_request", false);
                case "W8", HttpBench.IDLE -> HttpBench.targets(results, r, lines);
                case "W7" -> {
                    if ("9000".equals(r.metrics().get("idle")) && r.system().equals("greenhub-epoll")) {
                        find(results, r.system(), "W7", "idle", "0").ifPresent(none -> {
                            double busy = r.number("requests_per_s");
                            double base = none.number("requests_per_s");
                            verdict(lines, r, "requests_per_s with 9000 idle >= 0.9x 0 idle (" + fmt(base) + ")",
                                    busy >= 0.9 * base, fmt(busy) + " = " + ratio(busy / base));
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

    /** greenhub's metric over the reference's, which must be at least 1.0 ({@code higherIsBetter}) or at most 1.0. */
    private static void against(List<String> lines, List<Result> results, Result r, String reference, String metric,
                                boolean higherIsBetter) {
        String param = Table.parameter(r.workload());
        Optional<Result> ref = param == null
                ? results.stream().filter(x -> x.system().equals(reference) && x.workload().equals(r.workload())).findFirst()
                : find(results, reference, r.workload(), param, r.metrics().get(param));
        ref.ifPresent(x -> {
            double ours = r.number(metric);
            double theirs = x.number(metric);
            if (Double.isNaN(ours) || Double.isNaN(theirs)) {
                return;
            }
            double q = theirs == 0 ? (ours == 0 ? 1 : Double.POSITIVE_INFINITY) : ours / theirs;
            boolean met = higherIsBetter ? q >= 1.0 : q <= 1.0;
            verdict(lines, r, metric + " " + (higherIsBetter ? ">=" : "<=") + " 1.0x " + reference, met,
                    fmt(ours) + " / " + fmt(theirs) + " = " + ratio(q));
        });
    }

    private static Optional<Result> find(List<Result> results, String system, String workload, String key, String value) {
        return results.stream().filter(x -> x.system().equals(system) && x.workload().equals(workload)
                && value != null && value.equals(x.metrics().get(key))).findFirst();
    }

    private static void verdict(List<String> lines, Result r, String rule, boolean met, String detail) {
        String param = Table.parameter(r.workload());
        lines.add("TARGET " + r.system() + " " + r.workload() + (param == null ? "" : " " + param + "=" + r.metrics().get(param))
                + " " + rule + ": " + (met ? "met" : "MISSED") + " (" + detail + ")");
    }

    static String fmt(double v) {
        return v == Math.rint(v) && Math.abs(v) < 1e15 ? String.format(Locale.ROOT, "%,d", (long) v)
                : String.format(Locale.ROOT, "%.3f", v);
    }

    static String ratio(double q) {
        return String.format(Locale.ROOT, "%.2fx", q);
    }
}
