package dev.greenhub.cli;

import dev.greenhub.GreenThread;
import dev.greenhub.Scheduler;
import dev.greenhub.hub.Hub;
import dev.greenhub.hub.Hubs;
import dev.greenhub.net.GreenNet;
import dev.greenhub.net.GreenServerSocket;
import dev.greenhub.net.GreenSocket;
import dev.greenhub.net.StopServe;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;

/**
 * greenhub's echo server: one hub thread (the calling platform thread) accepts and serves every
 * connection in green threads with {@link GreenNet#serve}. Used by {@code greenhub serve-echo}, by
 * {@code greenhub demo} and by the benchmarks' W6/W7 (the bench module's {@code GreenEchoProcess}).
 */
public final class GreenEcho {
    /** Connections served at once at most; beyond it new ones wait in the backlog. */
    public static final int CONCURRENCY = 100_000;
    /** The listen backlog. */
    public static final int BACKLOG = 4096;
    private static final int BUFFER = 4 * 1024;

    private GreenEcho() {
    }

    /** Told where the server listens once it does. */
    @FunctionalInterface
    public interface Listening {
        /**
         * @param address the bound address
         * @param hubName the hub's name
         * @param fdLimit the hub's fd limit ({@code Integer.MAX_VALUE} when it has none)
         */
        void listening(InetSocketAddress address, String hubName, int fdLimit);
    }

    /** Stops a server from any thread. */
    public static final class Control {
        private volatile GreenThread<Void> acceptor;
        private volatile boolean stopped;

        /** Stops accepting; {@link #serve} then returns (connections still open are dropped with it). */
        public void stop() {
            stopped = true;
            GreenThread<Void> a = acceptor;
            if (a != null) {
                a.kill(new StopServe("stopped"));
            }
        }
    }

    /**
     * Serves echo on {@code address} with a scheduler of its own on the calling platform thread,
     * until {@code control.stop()}.
     *
     * @param hub the hub provider's name, or null for the one greenhub selects
     * @param address where to listen (loopback for the benchmarks)
     * @param control stops it
     * @param listening told once the server is bound
     * @throws IOException if it cannot listen
     */
    public static void serve(String hub, InetSocketAddress address, Control control, Listening listening)
            throws IOException {
        try (Scheduler scheduler = Scheduler.open(hub); GreenServerSocket server = GreenNet.listen(address, BACKLOG)) {
            listening.listening(server.localAddress(), scheduler.hubName(), fdLimit(scheduler.hubName()));
            control.acceptor = scheduler.spawn(() -> {
                GreenNet.serve(server, GreenEcho::echo, CONCURRENCY);
                return null;
            });
            if (control.stopped) {
                control.acceptor.kill(new StopServe("stopped"));
            }
            try {
                control.acceptor.get();
            } catch (RuntimeException e) {
                if (!control.stopped) {
                    throw e;
                }
            }
        }
    }

    private static int fdLimit(String hub) throws IOException {
        try (Hub probe = Hubs.select(hub).provider().open()) {
            return probe.fdLimit();
        }
    }

    /** Echoes until the peer closes; a reset by the peer ends it quietly. */
    static void echo(GreenSocket connection) {
        ByteBuffer buffer = ByteBuffer.allocateDirect(BUFFER);
        try {
            connection.setOption(java.net.StandardSocketOptions.TCP_NODELAY, true);
            while (connection.read(buffer) >= 0) {
                buffer.flip();
                connection.writeAll(buffer);
                buffer.clear();
            }
        } catch (IOException e) {
            // the peer went away: that ends this connection, not the server
        }
    }
}
