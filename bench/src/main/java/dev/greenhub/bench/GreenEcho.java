package dev.greenhub.bench;

/**
 * greenhub's echo server for W6/W7: {@code GreenEcho HUB PORT}, one hub thread.
 */
public final class GreenEcho {
    static final boolean AVAILABLE = false;
    static final String MISSING = "greenhub's echo server needs green sockets (GreenServerSocket, serve), which are"
            + " not in greenthread-core yet";

    private GreenEcho() {
    }

    /**
     * Serves until standard input ends.
     *
     * @param args hub, port
     */
    public static void main(String[] args) {
        System.out.println("ERROR " + MISSING);
        System.exit(1);
    }
}
