package dev.greenhub.example.servers;

import dev.greenhub.Green;
import dev.greenhub.GreenThread;
import dev.greenhub.net.GreenNet;
import dev.greenhub.net.GreenSocket;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.Objects;

/**
 * A TCP port forwarder: every connection accepted on the listening port is joined to a new
 * connection to the target {@code HOST:PORT}, and bytes are copied both ways until both
 * directions have ended.
 *
 * <p>Per connection there are two green threads, one copying each way. When one side shuts its
 * output down (a half-close: it has nothing more to send but still reads), the copy in that
 * direction ends by shutting the other side's output down, so the far end sees the end of the
 * stream at the same point, while the other direction goes on. When both directions have ended,
 * both connections are closed. If either side fails (a reset), both connections are closed at
 * once. If the target cannot be reached, the client's connection is closed and the failure is
 * logged (logger {@code dev.greenhub.example.servers}, WARNING).
 *
 * <pre>
 * java ... dev.greenhub.example.servers.PortForwarder [--hub NAME] [--bind ADDRESS] PORT HOST:PORT
 * </pre>
 */
public final class PortForwarder {
    /** How long connecting to the target may take. */
    public static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(10);
    /** Connections forwarded at once at most; more wait in the listen backlog. */
    public static final int CONCURRENCY = 10_000;
    private static final int BUFFER_BYTES = 64 * 1024;
    private static final System.Logger LOG = System.getLogger("dev.greenhub.example.servers");
    private static final String USAGE = "usage: PortForwarder [--hub NAME] [--bind ADDRESS] PORT HOST:PORT"
            + "   (default: --bind 127.0.0.1; an IPv6 target is written [ADDRESS]:PORT)";

    private final InetSocketAddress target;

    private PortForwarder(InetSocketAddress target) {
        this.target = target;
    }

    /**
     * Starts a forwarder on greenhub's selected hub.
     *
     * @param address where to listen; port 0 picks a free port
     * @param target where to forward each connection (resolved, if it is not, at each connection)
     * @return the running forwarder; close it to stop it
     * @throws IOException if it cannot listen
     */
    public static RunningServer start(InetSocketAddress address, InetSocketAddress target) throws IOException {
        return start(address, target, null);
    }

    /**
     * Starts a forwarder on the named hub.
     *
     * @param address where to listen; port 0 picks a free port
     * @param target where to forward each connection (resolved, if it is not, at each connection)
     * @param hub the hub provider's name, or null for greenhub's selection
     * @return the running forwarder; close it to stop it
     * @throws IOException if it cannot listen
     * @throws dev.greenhub.hub.HubUnavailableException if that hub cannot be had
     */
    public static RunningServer start(InetSocketAddress address, InetSocketAddress target, String hub)
            throws IOException {
        PortForwarder forwarder = new PortForwarder(Objects.requireNonNull(target, "target"));
        return RunningServer.start("port-forwarder", address, hub, CONCURRENCY, forwarder::forward);
    }

    /** Serves one client connection (its handler's green thread copies client to target). */
    private void forward(GreenSocket client) {
        GreenSocket upstream;
        try {
            upstream = GreenNet.connect(target, CONNECT_TIMEOUT);
        } catch (IOException e) {
            LOG.log(System.Logger.Level.WARNING, "cannot forward " + client + ": connecting to " + target
                    + " failed: " + e);
            return; // serve closes the client's connection
        }
        try {
            GreenThread<Void> back = Green.spawn(() -> copy(upstream, client));
            try {
                copy(client, upstream);
                back.get(); // until the target has ended its direction too
            } finally {
                back.kill(); // does nothing if it has ended; ends it if this thread was killed
            }
        } finally {
            closeQuietly(upstream);
        }
    }

    /**
     * Copies {@code from} to {@code to} until {@code from} ends, then passes the end on with
     * {@link GreenSocket#shutdownOutput()}. If either fails, closes both, which also wakes the
     * copy going the other way.
     */
    private static Void copy(GreenSocket from, GreenSocket to) {
        ByteBuffer buffer = ByteBuffer.allocate(BUFFER_BYTES);
        try {
            while (from.read(buffer) >= 0) {
                buffer.flip();
                to.writeAll(buffer);
                buffer.clear();
            }
            to.shutdownOutput();
        } catch (IOException e) {
            closeQuietly(from);
            closeQuietly(to);
        }
        return null;
    }

    private static void closeQuietly(GreenSocket socket) {
        try {
            socket.close();
        } catch (IOException e) {
            LOG.log(System.Logger.Level.DEBUG, "closing " + socket + " failed", e);
        }
    }

    /**
     * Runs the forwarder until the JVM is stopped (Ctrl-C).
     *
     * @param args {@code [--hub NAME] [--bind ADDRESS] PORT HOST:PORT}
     * @throws Exception if it cannot start
     */
    public static void main(String[] args) throws Exception {
        ServerArgs parsed;
        InetSocketAddress address;
        InetSocketAddress target;
        try {
            parsed = ServerArgs.parse(args);
            if (parsed.help()) {
                System.out.println(USAGE);
                return;
            }
            if (parsed.atMost(2).positionals().size() < 2) {
                throw new IllegalArgumentException("PORT and HOST:PORT are required");
            }
            address = parsed.listenAddress(0);
            target = ServerArgs.hostAndPort(parsed.positionals().get(1));
        } catch (IllegalArgumentException e) {
            ServerArgs.fail(USAGE, e.getMessage());
            return;
        }
        RunningServer server = ServerArgs.startOrExit("PortForwarder", () -> start(address, target, parsed.hub()));
        server.closeOnShutdown();
        System.out.println("forwarding " + server.address() + " to " + parsed.positionals().get(1) + " (hub " + server.hubName()
                + "); Ctrl-C stops it");
        server.awaitStopped();
    }
}
