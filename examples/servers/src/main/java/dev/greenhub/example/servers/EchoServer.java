package dev.greenhub.example.servers;

import dev.greenhub.net.GreenNet;
import dev.greenhub.net.GreenSocket;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;

/**
 * An echo server: every byte a client sends comes back to it.
 *
 * <p>Each connection is served by plain blocking-style code ({@link #echo}) in a green thread of
 * its own; {@link GreenNet#serve} accepts and spawns them, and all of them share one platform
 * thread. When a client shuts its output down (half-close), the server sends what is left and
 * shuts its own output down, so the client reads the end of the stream after the last byte.
 *
 * <pre>
 * java ... dev.greenhub.example.servers.EchoServer [--hub NAME] [--bind ADDRESS] [PORT]
 * </pre>
 */
public final class EchoServer {
    /** The port {@code main} listens on unless told otherwise. */
    public static final int DEFAULT_PORT = 7000;
    /** Connections served at once at most; more wait in the listen backlog. */
    public static final int CONCURRENCY = 10_000;
    private static final int BUFFER_BYTES = 16 * 1024;
    private static final String USAGE = "usage: EchoServer [--hub NAME] [--bind ADDRESS] [PORT]"
            + "   (default: --bind 127.0.0.1, port " + DEFAULT_PORT + ")";

    private EchoServer() {
    }

    /**
     * Starts an echo server on greenhub's selected hub.
     *
     * @param address where to listen; port 0 picks a free port
     * @return the running server; close it to stop it
     * @throws IOException if it cannot listen
     */
    public static RunningServer start(InetSocketAddress address) throws IOException {
        return start(address, null);
    }

    /**
     * Starts an echo server on the named hub.
     *
     * @param address where to listen; port 0 picks a free port
     * @param hub the hub provider's name ("epoll", "poll", "select"), or null for greenhub's
     *     selection (the {@code greenhub.hub} property, else the best available)
     * @return the running server; close it to stop it
     * @throws IOException if it cannot listen
     * @throws dev.greenhub.hub.HubUnavailableException if that hub cannot be had
     */
    public static RunningServer start(InetSocketAddress address, String hub) throws IOException {
        return RunningServer.start("echo-server", address, hub, CONCURRENCY, EchoServer::echo);
    }

    /**
     * Serves one connection: reads what arrives and writes it back until the client half-closes
     * or goes away. {@code read} and {@code writeAll} look blocking, but each wait parks only
     * this green thread; the hub runs the other connections meanwhile.
     */
    static void echo(GreenSocket connection) {
        ByteBuffer buffer = ByteBuffer.allocate(BUFFER_BYTES);
        try {
            while (connection.read(buffer) >= 0) {
                buffer.flip();
                connection.writeAll(buffer);
                buffer.clear();
            }
            connection.shutdownOutput();
        } catch (IOException e) {
            // the client reset or vanished: that ends its connection, not the server
        }
        // returning lets serve close the connection
    }

    /**
     * Runs the echo server until the JVM is stopped (Ctrl-C).
     *
     * @param args {@code [--hub NAME] [--bind ADDRESS] [PORT]}
     * @throws Exception if it cannot start
     */
    public static void main(String[] args) throws Exception {
        ServerArgs parsed;
        InetSocketAddress address;
        try {
            parsed = ServerArgs.parse(args);
            if (parsed.help()) {
                System.out.println(USAGE);
                return;
            }
            address = parsed.atMost(1).listenAddress(DEFAULT_PORT);
        } catch (IllegalArgumentException e) {
            ServerArgs.fail(USAGE, e.getMessage());
            return;
        }
        RunningServer server = ServerArgs.startOrExit("EchoServer", () -> start(address, parsed.hub()));
        server.closeOnShutdown();
        System.out.println("echo server listening on " + server.address() + " (hub " + server.hubName()
                + "); Ctrl-C stops it");
        server.awaitStopped();
    }
}
