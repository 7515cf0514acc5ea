package dev.greenhub.bench;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** The table printed after the result lines: one row per workload metric, one column per system. */
public final class Table {
    private Table() {
    }

    /** The metrics each workload shows in the table, and its parameter metric (or null). */
    static List<String> headline(String workload) {
        return switch (workload) {
            case "W1" -> List.of("yields_per_s");
            case "W2" -> List.of("round_trips_per_s");
            case "W3" -> List.of("spawned_joined_per_s", "peak_rss_mib");
            case "W4" -> List.of("bytes_per_parked_rss", "bytes_per_parked_heap", "wake_joined_per_s");
            case "W5" -> List.of("total_s", "lateness_p50_ms", "lateness_p99_ms", "lateness_max_ms");
            case "W6" -> List.of("requests_per_s", "p50_us", "p99_us", "p99_co_us", "unanswered_connections");
            case "W7" -> List.of("requests_per_s", "p50_us", "p99_us");
            case "W8" -> List.of("requests_per_s", "p50_us", "p99_us", "cpu_us_per_request");
            case HttpBench.IDLE -> List.of("bytes_per_idle_connection", "heap_bytes", "native_rss_bytes");
            case Suite.SYSCALLS -> List.of("syscalls_per_request", "read_per_request", "recvfrom_per_request",
                    "write_per_request", "sendto_per_request", "epoll_wait_per_request", "epoll_pwait2_per_request",
                    "poll_per_request", "select_per_request", "epoll_ctl_per_request", "futex_per_request");
            default -> List.of();
        };
    }

    static String parameter(String workload) {
        return switch (workload) {
            case "W6", "W8", Suite.SYSCALLS -> "connections";
            case HttpBench.IDLE -> "idle_connections";
            case "W7" -> "idle";
            default -> null;
        };
    }

    /**
     * Renders the results as a fixed-width text table.
     *
     * @param results the results
     * @return the table, lines ending in a newline; empty when there are no results
     */
    public static String render(List<Result> results) {
        if (results.isEmpty()) {
            return "";
        }
        Set<String> systems = new LinkedHashSet<>();
        Map<String, Map<String, String>> rows = new LinkedHashMap<>();
        for (Result r : results) {
            systems.add(r.system());
            String param = parameter(r.workload());
            String prefix = r.workload() + (param == null ? "" : " " + param + "=" + r.metrics().get(param));
            for (String metric : headline(r.workload())) {
                String value = r.metrics().get(metric);
                if (value != null) {
                    rows.computeIfAbsent(prefix + " " + metric, k -> new LinkedHashMap<>()).put(r.system(), value);
                }
            }
        }
        List<String> header = new ArrayList<>();
        header.add("workload metric");
        header.addAll(systems);
        List<List<String>> lines = new ArrayList<>();
        lines.add(header);
        rows.forEach((row, values) -> {
            List<String> line = new ArrayList<>();
            line.add(row);
            systems.forEach(s -> line.add(values.getOrDefault(s, "-")));
            lines.add(line);
        });
        int[] widths = new int[header.size()];
        for (List<String> line : lines) {
            for (int i = 0; i < line.size(); i++) {
                widths[i] = Math.max(widths[i], line.get(i).length());
            }
        }
        StringBuilder out = new StringBuilder();
        for (int n = 0; n < lines.size(); n++) {
            List<String> line = lines.get(n);
            out.append("| ");
            for (int i = 0; i < line.size(); i++) {
                String cell = line.get(i);
                out.append(i == 0 ? pad(cell, widths[i]) : padLeft(cell, widths[i])).append(" |");
                out.append(i + 1 < line.size() ? " " : "");
            }
            out.append('\n');
            if (n == 0) {
                out.append('|');
                for (int i = 0; i < widths.length; i++) {
                    out.append(i == 0 ? "-" : "-").append("-".repeat(widths[i])).append(i == 0 ? "-|" : ":|");
                }
                out.append('\n');
            }
        }
        return out.toString();
    }

    private static String pad(String s, int width) {
        return s + " ".repeat(width - s.length());
    }

    private static String padLeft(String s, int width) {
        return " ".repeat(width - s.length()) + s;
    }
}
