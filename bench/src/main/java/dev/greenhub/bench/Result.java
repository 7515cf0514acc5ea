package dev.greenhub.bench;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * One measurement, printed as {@code RESULT <system> <workload> <metric>=<value> ...}, for example
 * {@code RESULT greenhub-epoll W1 yields_per_s=5012345}.
 *
 * @param system what was measured: {@code greenhub-<hub>} or a reference such as {@code netty-epoll}
 * @param workload the workload id, such as {@code W1}
 * @param metrics metric names to values, in print order; names contain no spaces or {@code =}
 */
public record Result(String system, String workload, Map<String, String> metrics) {
    /** The first word of a result line. */
    public static final String PREFIX = "RESULT";

    /** Checks and copies the fields. */
    public Result {
        Objects.requireNonNull(system, "system");
        Objects.requireNonNull(workload, "workload");
        metrics = Collections.unmodifiableMap(new LinkedHashMap<>(metrics));
        for (String key : metrics.keySet()) {
            if (key.isEmpty() || key.contains(" ") || key.contains("=")) {
                throw new IllegalArgumentException("bad metric name '" + key + "'");
            }
        }
    }

    /**
     * A metric as a number.
     *
     * @param metric the metric's name
     * @return its value, or NaN when this result has no such metric
     * @throws NumberFormatException if the value is not a number (W8-idle's {@code unusable})
     */
    public double number(String metric) {
        String v = metrics.get(metric);
        return v == null ? Double.NaN : Double.parseDouble(v);
    }

    /**
     * The result line.
     *
     * @return {@code RESULT system workload k=v ...}
     */
    public String line() {
        StringBuilder b = new StringBuilder(PREFIX).append(' ').append(system).append(' ').append(workload);
        metrics.forEach((k, v) -> b.append(' ').append(k).append('=').append(v));
        return b.toString();
    }

    /**
     * Parses a line made by {@link #line()}.
     *
     * @param line the line
     * @return the result
     * @throws IllegalArgumentException if it is not a result line
     */
    public static Result parse(String line) {
        String[] words = line.strip().split("\\s+");
        if (words.length < 3 || !words[0].equals(PREFIX)) {
            throw new IllegalArgumentException("not a result line: " + line);
        }
        Map<String, String> metrics = new LinkedHashMap<>();
        for (int i = 3; i < words.length; i++) {
            int eq = words[i].indexOf('=');
            if (eq <= 0) {
                throw new IllegalArgumentException("bad metric '" + words[i] + "' in: " + line);
            }
            metrics.put(words[i].substring(0, eq), words[i].substring(eq + 1));
        }
        return new Result(words[1], words[2], metrics);
    }

    @Override
    public String toString() {
        return line();
    }
}
