package dev.greenhub.bench;

import dev.greenhub.Green;
import dev.greenhub.GreenQueue;
import dev.greenhub.GreenThread;

/** W2: two green threads pass a token back and forth through two greenhub queues. */
final class PingPong {
    private PingPong() {
    }

    static Metrics run(int roundTrips) {
        round(Math.max(1, roundTrips / 10));
        long t0 = System.nanoTime();
        round(roundTrips);
        long elapsed = System.nanoTime() - t0;
        return new Metrics().rate("round_trips_per_s", Metrics.perSecond(roundTrips, elapsed))
                .count("round_trips", roundTrips).decimal("seconds", elapsed / 1e9);
    }

    private static void round(int roundTrips) {
        GreenQueue<Integer> ping = new GreenQueue<>();
        GreenQueue<Integer> pong = new GreenQueue<>();
        GreenThread<Integer> server = Green.spawn(() -> {
            for (int i = 0; i < roundTrips; i++) {
                pong.put(ping.get() + 1);
            }
            return roundTrips;
        });
        GreenThread<Integer> client = Green.spawn(() -> {
            int token = 0;
            for (int i = 0; i < roundTrips; i++) {
                ping.put(token);
                token = pong.get();
            }
            return token;
        });
        int token = client.get();
        server.get();
        if (token != roundTrips) {
            throw new IllegalStateException("W2: the token came back as " + token + " after " + roundTrips
                    + " round trips, expected " + roundTrips);
        }
    }
}
