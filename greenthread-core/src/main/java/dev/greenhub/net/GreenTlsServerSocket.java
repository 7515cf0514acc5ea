package dev.greenhub.net;

import java.io.Closeable;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.util.Objects;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;

/**
 * A listening socket whose connections speak TLS as the server (eventlet's
 * {@code wrap_ssl(listen(...), server_side=True)}). {@link #accept()} returns a
 * {@link GreenTlsSocket} before its handshake, which the first read or write (or
 * {@link GreenTlsSocket#handshake()}) does in the caller's green thread, so a slow or silent
 * client never holds up the accept loop. Made by {@link GreenTls#listen} or {@link #over}.
 *
 * <p>Threading, timeouts and closing are those of the {@link GreenServerSocket} under it
 * ({@link #plain()}).
 */
public final class GreenTlsServerSocket implements Closeable {
    private final GreenServerSocket plain;
    private final SSLContext context;
    private final SSLParameters parameters;
    private volatile java.time.Duration handshakeTimeout = GreenTlsSocket.DEFAULT_HANDSHAKE_TIMEOUT;

    private GreenTlsServerSocket(GreenServerSocket plain, SSLContext context, SSLParameters parameters) {
        this.plain = plain;
        this.context = context;
        this.parameters = parameters;
    }

    /**
     * Serves TLS on an existing listening socket (TCP or Unix-domain).
     *
     * @param plain the listening socket; closing the TLS server closes it
     * @param context the TLS context, with the server's key managers
     * @param parameters protocols, cipher suites, client authentication, SNI matchers, ALPN
     *     protocols (copied now); null for the context's defaults
     * @return the TLS server
     */
    public static GreenTlsServerSocket over(GreenServerSocket plain, SSLContext context, SSLParameters parameters) {
        Objects.requireNonNull(plain, "plain");
        Objects.requireNonNull(context, "context");
        return new GreenTlsServerSocket(plain, context, parameters == null ? null : copy(parameters));
    }

    private static SSLParameters copy(SSLParameters p) {
        SSLParameters c = new SSLParameters(p.getCipherSuites(), p.getProtocols());
        c.setNeedClientAuth(p.getNeedClientAuth());
        if (!p.getNeedClientAuth()) {
            c.setWantClientAuth(p.getWantClientAuth());
        }
        c.setAlgorithmConstraints(p.getAlgorithmConstraints());
        c.setEndpointIdentificationAlgorithm(p.getEndpointIdentificationAlgorithm());
        if (p.getServerNames() != null) {
            c.setServerNames(p.getServerNames());
        }
        if (p.getSNIMatchers() != null) {
            c.setSNIMatchers(p.getSNIMatchers());
        }
        c.setUseCipherSuitesOrder(p.getUseCipherSuitesOrder());
        c.setApplicationProtocols(p.getApplicationProtocols());
        c.setEnableRetransmissions(p.getEnableRetransmissions());
        c.setMaximumPacketSize(p.getMaximumPacketSize());
        if (p.getSignatureSchemes() != null) {
            c.setSignatureSchemes(p.getSignatureSchemes());
        }
        if (p.getNamedGroups() != null) {
            c.setNamedGroups(p.getNamedGroups());
        }
        return c;
    }

    /**
     * Accepts a connection, waiting green; its TLS handshake is still to be done.
     *
     * @return the connection, as the TLS server
     * @throws IOException as {@link GreenServerSocket#accept()}
     */
    public GreenTlsSocket accept() throws IOException {
        return wrap(plain.accept());
    }

    /** The server's TLS socket over an accepted connection. */
    GreenTlsSocket wrap(GreenSocket connection) {
        GreenTlsSocket tls = GreenTlsSocket.server(connection, context, parameters);
        tls.setHandshakeTimeout(handshakeTimeout);
        return tls;
    }

    /**
     * Sets the handshake timeout of the connections accepted from now on (see
     * {@link GreenTlsSocket#setHandshakeTimeout}); {@link GreenTlsSocket#DEFAULT_HANDSHAKE_TIMEOUT}
     * unless set.
     *
     * @param timeout the limit; null or zero for none
     * @throws IllegalArgumentException if negative
     */
    public void setHandshakeTimeout(java.time.Duration timeout) {
        NetTimeouts.nanos(timeout, "handshake timeout");
        handshakeTimeout = timeout;
    }

    /**
     * The listening socket under TLS, for its options, accept timeout and address.
     *
     * @return the plain listening socket
     */
    public GreenServerSocket plain() {
        return plain;
    }

    /**
     * The address it listens on.
     *
     * @return the local TCP address
     * @throws IOException if closed
     */
    public InetSocketAddress localAddress() throws IOException {
        return plain.localAddress();
    }

    /**
     * The address it listens on, of any kind.
     *
     * @return the local address
     * @throws IOException if closed
     */
    public SocketAddress localSocketAddress() throws IOException {
        return plain.localSocketAddress();
    }

    /**
     * Stops listening (see {@link GreenServerSocket#close()}).
     *
     * @throws IOException if closing fails
     */
    @Override
    public void close() throws IOException {
        plain.close();
    }

    @Override
    public String toString() {
        return "GreenTlsServerSocket[" + plain + "]";
    }
}
