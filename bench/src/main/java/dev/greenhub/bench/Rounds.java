package dev.greenhub.bench;

import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Repeated measurements (W1-W5 in JVMs of their own, W6, W8): each system is measured {@link #ROUNDS}
 * times ({@link #ECHO_ROUNDS} for W6) at each size, the systems taking turns round by round, and
 * each metric reported is the median of its rounds, so that a burst of load from elsewhere on a
 * shared machine moves one round of one server, not the ratio.
 */
final class Rounds {
    /** How many times each system is measured (at each connection count), W6 aside. */
    static final int ROUNDS = 3;

    /**
     * How many times each W6 echo server is measured at each connection count: more than the others,
     * as one 3-second echo run of the same server swings by a quarter from round to round on a
     * shared 2-core machine (76k to 133k requests/s at 1,000 connections), where W1-W5 and W8 stay
     * within a few percent.
     */
    static final int ECHO_ROUNDS = 5;

    private Rounds() {
    }

    /**
     * Each metric's median over the rounds (the lower middle one for an even count: a value measured),
     * except: {@code socket_errors} summed; {@code connections} as measured; the signs of a server
     * leaving connections unserved ({@code unanswered_connections}, {@code waiting_max_us}: the
     * largest; {@code fewest_answers}: the least) from the worst round, so that a server that starved
     * connections in one round in five still shows it. A metric missing from a round is left out.
     *
     * @param rounds the metrics of each round, in order
     * @return the medians
     */
    static Map<String, String> medians(List<Map<String, String>> rounds) {
        Map<String, String> out = new LinkedHashMap<>();
        for (String key : rounds.get(0).keySet()) {
            List<String> values = rounds.stream().map(m -> m.get(key)).filter(Objects::nonNull).toList();
            if (values.size() < rounds.size()) {
                continue;
            }
            if (key.equals("socket_errors")) {
                out.put(key, Long.toString(values.stream().mapToLong(Long::parseLong).sum()));
            } else if (key.equals("unanswered_connections") || key.equals("waiting_max_us")) {
                out.put(key, values.stream().max(Comparator.comparingDouble(Double::parseDouble)).orElseThrow());
            } else if (key.equals("fewest_answers")) {
                out.put(key, values.stream().min(Comparator.comparingDouble(Double::parseDouble)).orElseThrow());
            } else if (key.equals("connections")) {
                out.put(key, values.get(0));
            } else {
                List<String> sorted = values.stream().sorted(Comparator.comparingDouble(Double::parseDouble)).toList();
                out.put(key, sorted.get((sorted.size() - 1) / 2));
            }
        }
        return out;
    }
}
