package dev.greenhub.tck;

import dev.greenhub.hub.Readiness;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.StringJoiner;

/**
 * What one {@code Hub.poll} call did: its return value, the fds its handler saw with their
 * readiness (in order), and how long it took.
 */
record PollResult(int returned, Map<Integer, Integer> reported, long elapsedNanos, long timeoutNanos) {

    PollResult {
        reported = Collections.unmodifiableMap(new LinkedHashMap<>(reported));
    }

    /** The readiness reported for {@code fd}, 0 if it was not reported. */
    int ops(int fd) {
        return reported.getOrDefault(fd, 0);
    }

    boolean has(int fd, int bits) {
        return (ops(fd) & bits) != 0;
    }

    boolean reportedFd(int fd) {
        return reported.containsKey(fd);
    }

    @Override
    public String toString() {
        StringJoiner fds = new StringJoiner(", ", "{", "}");
        reported.forEach((fd, ops) -> fds.add(fd + "=" + Readiness.describe(ops)));
        return "poll(" + describeTimeout(timeoutNanos) + ") returned " + returned + " after "
                + String.format("%.3f ms", elapsedNanos / 1e6) + ", reported " + fds;
    }

    static String describeTimeout(long timeoutNanos) {
        if (timeoutNanos < 0) {
            return "no limit";
        }
        if (timeoutNanos % 1_000_000 == 0) {
            return timeoutNanos / 1_000_000 + " ms";
        }
        return String.format("%.3f ms", timeoutNanos / 1e6);
    }
}
