package dev.greenhub.bench;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import org.HdrHistogram.Histogram;

/** Builds the metric map of a {@link Result} with consistent number formats. */
final class Metrics {
    private final Map<String, String> values = new LinkedHashMap<>();

    Metrics count(String name, long value) {
        values.put(name, Long.toString(value));
        return this;
    }

    Metrics rate(String name, double perSecond) {
        values.put(name, Long.toString(Math.round(perSecond)));
        return this;
    }

    Metrics decimal(String name, double value) {
        values.put(name, String.format(Locale.ROOT, "%.3f", value));
        return this;
    }

    Metrics text(String name, String value) {
        values.put(name, value.replace(' ', '_'));
        return this;
    }

    /** p50, p99, p99.9 and max of a histogram recorded in nanoseconds, printed in microseconds. */
    Metrics latencyMicros(String prefix, Histogram nanos, boolean withP999) {
        decimal(prefix + "p50_us", nanos.getValueAtPercentile(50) / 1e3);
        decimal(prefix + "p99_us", nanos.getValueAtPercentile(99) / 1e3);
        if (withP999) {
            decimal(prefix + "p999_us", nanos.getValueAtPercentile(99.9) / 1e3);
        }
        decimal(prefix + "max_us", nanos.getMaxValue() / 1e3);
        return this;
    }

    Map<String, String> map() {
        return values;
    }

    static double perSecond(long operations, long nanos) {
        return operations * 1e9 / Math.max(1, nanos);
    }
}
