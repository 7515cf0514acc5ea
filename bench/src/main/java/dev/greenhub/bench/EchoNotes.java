package dev.greenhub.bench;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * What W6's results at one connection count say about the measurement itself, as {@code NOTE}
 * lines: whether the load generator drove a reference faster than each greenhub server (else
 * greenhub's rate may be the load generator's limit), and which servers left connections unserved
 * (their {@code p99_us} counts only the requests they answered; {@code p99_co_us} counts the rest).
 */
final class EchoNotes {
    private EchoNotes() {
    }

    /**
     * The notes for one connection count.
     *
     * @param results every result so far (W6 results of other counts and other workloads are ignored)
     * @param connections the connection count
     * @return the notes, without the {@code NOTE } prefix
     */
    static List<String> at(List<Result> results, int connections) {
        String c = Integer.toString(connections);
        List<Result> runs = results.stream()
                .filter(r -> r.workload().equals("W6") && c.equals(r.metrics().get("connections"))).toList();
        List<String> notes = new ArrayList<>();
        loadGenerator(runs, c, notes);
        unserved(runs, c, notes);
        return notes;
    }

    private static void loadGenerator(List<Result> runs, String c, List<String> notes) {
        Result fastestRef = runs.stream().filter(r -> !r.system().startsWith("greenhub-"))
                .max(Comparator.comparingDouble(r -> r.number("requests_per_s"))).orElse(null);
        for (Result g : runs) {
            if (!g.system().startsWith("greenhub-")) {
                continue;
            }
            double rate = g.number("requests_per_s");
            if (fastestRef != null && fastestRef.number("requests_per_s") > rate) {
                notes.add("W6 connections=" + c + ": the same load generator drove " + fastestRef.system() + " at "
                        + Targets.fmt(fastestRef.number("requests_per_s")) + " req/s, faster than " + g.system()
                        + " (" + Targets.fmt(rate) + "): greenhub's number is not the load generator's limit");
            } else {
                notes.add("W6 connections=" + c + ": NOT SHOWN that the load generator is not the bottleneck: no"
                        + " reference server went faster than " + g.system() + " (" + Targets.fmt(rate) + " req/s)");
            }
        }
    }

    private static void unserved(List<Result> runs, String c, List<String> notes) {
        for (Result r : runs) {
            double unanswered = r.number("unanswered_connections");
            if (unanswered > 0) {
                notes.add("W6 connections=" + c + ": " + r.system() + " left " + Targets.fmt(unanswered)
                        + " connections unanswered for a whole round (its worst round; the oldest request still"
                        + " waiting at the end had waited " + Targets.fmt(Math.round(r.number("waiting_max_us") / 1e3))
                        + " ms): its p99_us counts only the requests it answered; p99_co_us ("
                        + r.metrics().get("p99_co_us") + ") counts those it left waiting");
            }
        }
    }
}
