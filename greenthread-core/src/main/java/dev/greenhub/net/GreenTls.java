package dev.greenhub.net;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.time.Duration;
import java.util.Objects;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;

/**
 * {@link GreenNet}'s {@code listen}, {@code connect} and {@code serve} for TLS (eventlet's
 * {@code wrap_ssl} with {@code listen}/{@code connect}, and {@code serve} on a TLS listener):
 * the TLS records travel over green sockets, so a TLS server and its clients run on the hub's
 * own I/O path. See {@link GreenTlsSocket} for the handshake, SNI, ALPN, close_notify and
 * renegotiation.
 */
public final class GreenTls {
    private GreenTls() {
    }

    /**
     * A TLS connection handler for {@link #serve}.
     */
    @FunctionalInterface
    public interface Handler {
        /**
         * Serves one connection, whose handshake is done, in its own green thread. The
         * connection is closed (with close_notify) when this returns or throws; throwing
         * {@link StopServe} stops the server.
         *
         * @param connection the connection
         * @throws Exception anything; reported through the scheduler's exception reporter
         */
        void handle(GreenTlsSocket connection) throws Exception;
    }

    /**
     * Listens for TLS connections on {@code address} (TCP, with {@link GreenNet#listen}'s
     * defaults; for other settings, or a Unix-domain socket, use
     * {@link GreenTlsServerSocket#over} on a {@link GreenNet#listen(SocketAddress, int, boolean)}
     * socket).
     *
     * @param address where to listen; port 0 picks a free port
     * @param context the TLS context, with the server's key managers
     * @param parameters the server's TLS parameters; null for the context's defaults
     * @return the listening TLS socket
     * @throws IOException if it cannot be bound
     */
    public static GreenTlsServerSocket listen(SocketAddress address, SSLContext context, SSLParameters parameters)
            throws IOException {
        Objects.requireNonNull(context, "context");
        GreenServerSocket plain = GreenNet.listen(address);
        return GreenTlsServerSocket.over(plain, context, parameters);
    }

    /**
     * Connects to {@code address} and does the TLS handshake as the client.
     *
     * @param address the server; its host string is the peer host (SNI when it is a name,
     *     endpoint identification, session reuse)
     * @param context the TLS context (trust managers)
     * @param parameters the client's TLS parameters; null for the context's defaults with
     *     host-name checking on (see {@link GreenTlsSocket#client})
     * @param timeout how long the TCP connection and the handshake may take, each; null for no
     *     connect limit and the default handshake timeout
     * @return the connected TLS socket, its handshake done
     * @throws javax.net.ssl.SSLHandshakeException if the handshake fails (the socket is closed)
     * @throws java.net.SocketTimeoutException if either step took too long
     * @throws IOException if the connection fails
     */
    public static GreenTlsSocket connect(InetSocketAddress address, SSLContext context, SSLParameters parameters,
                                         Duration timeout) throws IOException {
        Objects.requireNonNull(address, "address");
        Objects.requireNonNull(context, "context");
        GreenSocket plain = GreenNet.connect(address, timeout);
        boolean ok = false;
        try {
            GreenTlsSocket tls = GreenTlsSocket.client(plain, context, parameters, address.getHostString());
            if (timeout != null) {
                tls.setHandshakeTimeout(timeout);
            }
            tls.handshake();
            ok = true;
            return tls;
        } finally {
            if (!ok) {
                plain.close();
            }
        }
    }

    /**
     * {@link #serve(GreenTlsServerSocket, Handler, int)} with a concurrency of
     * {@value GreenNet#DEFAULT_CONCURRENCY}.
     *
     * @param server the listening TLS socket
     * @param handler serves each connection
     * @throws IOException if accepting fails
     */
    public static void serve(GreenTlsServerSocket server, Handler handler) throws IOException {
        serve(server, handler, GreenNet.DEFAULT_CONCURRENCY);
    }

    /**
     * Accepts connections and serves each in its own green thread, as
     * {@link GreenNet#serve(GreenServerSocket, GreenNet.Handler, int)} does, after that thread
     * did the TLS handshake. A handshake that fails or times out (see
     * {@link GreenTlsSocket#setHandshakeTimeout}) ends that connection only, reported through the
     * scheduler's exception reporter; the server goes on.
     *
     * @param server the listening TLS socket, which must belong to the caller's scheduler
     * @param handler serves each connection
     * @param concurrency how many connections are served (and handshaken) at once; at least 1
     * @throws IOException if accepting fails
     */
    public static void serve(GreenTlsServerSocket server, Handler handler, int concurrency) throws IOException {
        Objects.requireNonNull(server, "server");
        Objects.requireNonNull(handler, "handler");
        GreenNet.serve(server.plain(), connection -> {
            try (GreenTlsSocket tls = server.wrap(connection)) {
                tls.handshake();
                handler.handle(tls);
            }
        }, concurrency);
    }
}
