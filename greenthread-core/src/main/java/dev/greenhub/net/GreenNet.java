package dev.greenhub.net;

import dev.greenhub.Fiber;
import dev.greenhub.Green;
import dev.greenhub.GreenPool;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.SocketAddress;
import java.time.Duration;
import java.util.Objects;

/**
 * eventlet's convenience functions for servers and clients: {@link #listen}, {@link #connect} and
 * {@link #serve}, for TCP and for Unix-domain stream sockets (give a
 * {@link java.net.UnixDomainSocketAddress}). TLS has its own in {@link GreenTls}. Sockets made
 * here belong to the calling thread's {@link dev.greenhub.Scheduler} (created on
 * a platform thread's first use).
 */
public final class GreenNet {
    /** The backlog {@link #listen(SocketAddress)} uses: 50, as eventlet's. */
    public static final int DEFAULT_BACKLOG = 50;
    /** The concurrency {@link #serve(GreenServerSocket, Handler)} uses: 1000, as eventlet's. */
    public static final int DEFAULT_CONCURRENCY = 1000;

    private GreenNet() {
    }

    /**
     * A connection handler for {@link #serve}.
     */
    @FunctionalInterface
    public interface Handler {
        /**
         * Serves one connection, in its own green thread. The connection is closed when this
         * returns or throws; throwing {@link StopServe} stops the server.
         *
         * @param connection the accepted connection
         * @throws Exception anything; reported through the scheduler's exception reporter
         */
        void handle(GreenSocket connection) throws Exception;
    }

    /**
     * {@link #listen(SocketAddress, int, boolean)} with the default backlog and no SO_REUSEPORT.
     *
     * @param address where to listen
     * @return the listening socket
     * @throws IOException if it cannot be bound
     */
    public static GreenServerSocket listen(SocketAddress address) throws IOException {
        return listen(address, DEFAULT_BACKLOG, false);
    }

    /**
     * {@link #listen(SocketAddress, int, boolean)} without SO_REUSEPORT.
     *
     * @param address where to listen
     * @param backlog the accept queue length
     * @return the listening socket
     * @throws IOException if it cannot be bound
     */
    public static GreenServerSocket listen(SocketAddress address, int backlog) throws IOException {
        return listen(address, backlog, false);
    }

    /**
     * Opens a listening socket (eventlet's {@code listen}). For an {@link java.net.InetSocketAddress}
     * a TCP socket with SO_REUSEADDR always, and SO_REUSEPORT when {@code reusePort}; IPv4 or IPv6
     * follows the address (for example {@code new InetSocketAddress("::1", 0)}). For a
     * {@link java.net.UnixDomainSocketAddress} a Unix-domain stream socket on that file, which
     * {@link GreenServerSocket#close()} deletes; the file must not exist yet.
     *
     * <p><b>SO_REUSEPORT is off unless asked for</b>, unlike eventlet (which turns it on where the
     * system has it): with it on, a second server started by mistake on a port in use binds
     * silently and steals part of the connections, where without it the mistake fails at once
     * with "Address already in use". Serving one port from several hubs (one listening socket per
     * scheduler) is the case that needs it, and it asks for it with {@code reusePort = true}.
     *
     * @param address where to listen; port 0 picks a free port
     * @param backlog the accept queue length; less than 1 for the system default
     * @param reusePort whether to set SO_REUSEPORT
     * @return the listening socket, belonging to the caller's scheduler
     * @throws UnsupportedOperationException if SO_REUSEPORT is asked for where the system lacks it,
     *     or for a Unix-domain socket
     * @throws NullPointerException naming {@code address} if it is null
     * @throws IOException if it cannot be bound
     */
    public static GreenServerSocket listen(SocketAddress address, int backlog, boolean reusePort) throws IOException {
        return GreenServerSocket.bind(address, backlog, reusePort);
    }

    /**
     * Connects to {@code address} (eventlet's {@code connect}); see {@link GreenSocket#connect}.
     *
     * @param address where to connect: an {@link java.net.InetSocketAddress} or a
     *     {@link java.net.UnixDomainSocketAddress}
     * @return the connected socket
     * @throws IOException if the connection fails
     */
    public static GreenSocket connect(SocketAddress address) throws IOException {
        return GreenSocket.connect(address, null);
    }

    /**
     * Connects to {@code address} within {@code timeout}.
     *
     * @param address where to connect
     * @param timeout how long at most; null or zero for no limit
     * @return the connected socket
     * @throws java.net.SocketTimeoutException if the timeout passed first
     * @throws IOException if the connection fails
     */
    public static GreenSocket connect(SocketAddress address, Duration timeout) throws IOException {
        return GreenSocket.connect(address, timeout);
    }

    /**
     * {@link #serve(GreenServerSocket, Handler, int)} with a concurrency of
     * {@value #DEFAULT_CONCURRENCY}.
     *
     * @param server the listening socket
     * @param handler serves each connection
     * @throws IOException if accepting fails
     */
    public static void serve(GreenServerSocket server, Handler handler) throws IOException {
        serve(server, handler, DEFAULT_CONCURRENCY);
    }

    /**
     * Accepts connections on {@code server} and serves each in its own green thread, at most
     * {@code concurrency} at a time (eventlet's {@code serve}); the caller runs the accept loop
     * until it stops.
     *
     * <ul>
     *   <li>Each connection is closed when its handler returns or throws.</li>
     *   <li>A handler's exception other than {@link StopServe} is reported through the
     *       scheduler's exception reporter (see {@link dev.greenhub.Diagnostics#hubExceptions})
     *       and the server goes on.</li>
     *   <li>{@link StopServe}, thrown by a handler or delivered to the calling thread
     *       ({@link Fiber#kill(Throwable)}), stops accepting: this method returns normally. Handlers
     *       still running go on; {@code server} stays open (the caller owns it).</li>
     *   <li>The handlers run in a {@link GreenPool} of {@code concurrency} green threads: a
     *       connection accepted while all are busy waits for a free one, and further connections
     *       wait in the listen backlog meanwhile (as eventlet's).</li>
     * </ul>
     *
     * @param server the listening socket, which must belong to the caller's scheduler
     * @param handler serves each connection
     * @param concurrency how many connections are served at once; at least 1
     * @throws IllegalArgumentException if concurrency is less than 1
     * @throws WrongThreadException if the caller is not a thread of the server's scheduler
     * @throws IOException if accepting fails (not for fd exhaustion, which is waited out), for
     *     example {@link dev.greenhub.IoClosedException} when {@code server} is closed
     */
    public static void serve(GreenServerSocket server, Handler handler, int concurrency) throws IOException {
        Objects.requireNonNull(server, "server");
        Objects.requireNonNull(handler, "handler");
        if (concurrency < 1) {
            throw new IllegalArgumentException("concurrency must be at least 1, not " + concurrency);
        }
        Fiber me = Fiber.current();
        if (server.scheduler() != me.scheduler()) {
            throw new WrongThreadException("serve(" + server + ") from " + Thread.currentThread()
                    + ", which is not a thread of the server's scheduler " + server.scheduler());
        }
        GreenPool pool = new GreenPool(concurrency);
        boolean[] serving = {true};
        boolean[] stopSent = {false};
        try {
            while (true) {
                GreenSocket connection = server.accept();
                boolean handedOver = false;
                try {
                    pool.spawnN(() -> serveOne(connection, handler, serving, stopSent, me));
                    handedOver = true;
                } finally {
                    if (!handedOver) {
                        closeQuietly(connection);
                    }
                }
            }
        } catch (StopServe stop) {
            stopSent[0] = false;
        } finally {
            serving[0] = false;
            if (stopSent[0]) {
                consumeStop();
            }
        }
    }

    private static void serveOne(GreenSocket connection, Handler handler, boolean[] serving, boolean[] stopSent,
                                 Fiber server) {
        try {
            handler.handle(connection);
        } catch (StopServe stop) {
            if (serving[0]) {
                serving[0] = false;
                stopSent[0] = true;
                server.kill(stop);
            }
        } catch (RuntimeException | Error e) {
            throw e;
        } catch (IOException e) {
            throw new UncheckedIOException("serve handler failed on " + connection, e);
        } catch (Exception e) {
            throw new IllegalStateException("serve handler failed on " + connection, e);
        } finally {
            closeQuietly(connection);
        }
    }

    /** A handler's StopServe is pending on this thread but serve ended otherwise: take it. */
    private static void consumeStop() {
        try {
            Green.sleep(Duration.ZERO);
        } catch (StopServe expected) {
            // it was meant for the serve loop, which is over
        }
    }

    private static void closeQuietly(GreenSocket connection) {
        try {
            connection.close();
        } catch (IOException e) {
            System.getLogger("dev.greenhub.net").log(System.Logger.Level.WARNING, "closing " + connection + " failed", e);
        }
    }
}
