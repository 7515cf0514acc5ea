package dev.greenhub.bench;

/** W2: two green threads pass a token through greenhub's queue. */
final class PingPong {
    private PingPong() {
    }

    static Metrics run(int roundTrips) {
        throw new UnsupportedOperationException("W2 needs greenhub's queue (dev.greenhub.Queue), which is not in"
                + " greenthread-core yet");
    }
}
