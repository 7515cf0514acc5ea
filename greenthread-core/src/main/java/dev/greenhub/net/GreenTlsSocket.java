package dev.greenhub.net;

import dev.greenhub.IoClosedException;
import dev.greenhub.Scheduler;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.SocketException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.Objects;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLEngineResult;
import javax.net.ssl.SSLEngineResult.HandshakeStatus;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSession;

/**
 * A TLS connection over a {@link GreenSocket} (eventlet's {@code GreenSSLSocket}): an
 * {@link SSLEngine} whose records travel through the green socket, so a TLS client or server runs
 * on the hub's own I/O path and its waits park only the calling green thread.
 *
 * <p>Made by {@link GreenTls#connect}, {@link GreenTlsServerSocket#accept()}, or over an existing
 * connection with {@link #client} / {@link #server} (eventlet's {@code wrap_ssl}, and STARTTLS).
 *
 * <h2>Handshake</h2>
 * The first read or write does the handshake, or {@link #handshake()} does it explicitly (to see
 * its failure apart from the I/O's). It must end within the handshake timeout (10 s unless
 * {@link #setHandshakeTimeout} says otherwise, as Netty's default): a peer that stops mid-way
 * gives an {@link dev.greenhub.IoTimeoutException}, never a hang. A certificate the trust
 * managers refuse fails it with an {@link SSLHandshakeException}, sent to the peer as an alert.
 * After a failed handshake every operation throws an {@link SSLException} naming the failure.
 * The engine's delegated tasks (certificate checks, key exchange) run inline on the calling
 * green thread.
 *
 * <h2>SNI and ALPN</h2>
 * Passed through the {@link SSLParameters} given at creation: a client's
 * {@link SSLParameters#setServerNames} (by default the JDK sends the peer's host name when it is
 * a name, not an IP literal) and {@link SSLParameters#setApplicationProtocols}; a server's
 * {@link SSLParameters#setSNIMatchers} and application protocols. After the handshake,
 * {@link #applicationProtocol()} is the negotiated protocol and {@link #session()} (an
 * {@link javax.net.ssl.ExtendedSSLSession}) has the requested server names.
 *
 * <h2>Closing and half-close</h2>
 * {@link #shutdownOutput()} sends close_notify and a TCP FIN: the peer reads the end of the
 * stream. On TLS 1.3 the connection is then half-closed: this side can still read what the peer
 * sends. On TLS 1.2 a peer answers close_notify with its own at once (RFC 5246 7.2.1; the JDK
 * engine does), so the other direction ends too. {@link #close()} sends close_notify if that can
 * be done without waiting, then closes the socket. The peer closing the TCP connection without a
 * close_notify is reported as an {@link SSLException} (a possible truncation attack), where
 * eventlet returns an empty read by default ({@code suppress_ragged_eofs=True}): a deliberate
 * difference.
 *
 * <h2>Renegotiation</h2>
 * {@link #renegotiate()} starts a new handshake on TLS 1.2 (secure renegotiation, RFC 5746) and
 * waits until it completes; data may flow meanwhile. TLS 1.3 has no renegotiation: there the
 * JDK sends a KeyUpdate instead (new traffic keys, same session). A renegotiation the peer starts
 * is answered by whichever of this side's reader or writer meets it.
 *
 * <h2>Threading and timeouts</h2>
 * As {@link GreenSocket}: one reader and one writer may work at once (from threads of the
 * owning scheduler); the read and write timeouts of {@link #plain()} bound each wait.
 * {@link #close()} from any thread wakes both with an {@link IoClosedException}.
 */
public final class GreenTlsSocket implements Closeable {
    /** The handshake timeout unless set: 10 s. */
    public static final Duration DEFAULT_HANDSHAKE_TIMEOUT = Duration.ofSeconds(10);

    private final GreenSocket socket;
    private final SSLEngine engine;
    /** The engine's buffers, the wrap or unwrap of one record, the reader's and writer's locks. */
    private final TlsRecords records;
    /** The first handshake, renegotiation, and the handshake steps the peer starts. */
    private final TlsHandshake handshake;

    private GreenTlsSocket(GreenSocket socket, SSLEngine engine) {
        this.socket = socket;
        this.engine = engine;
        this.records = new TlsRecords(socket, engine);
        this.handshake = new TlsHandshake(socket, engine, records, DEFAULT_HANDSHAKE_TIMEOUT.toNanos());
    }

    /**
     * Starts TLS as the client over a connected socket (no I/O until the handshake).
     *
     * @param plain the connection; from now on it carries TLS records only
     * @param context the TLS context (trust managers, and key managers for a client certificate)
     * @param parameters protocols, cipher suites, SNI server names, ALPN protocols, endpoint
     *     identification; null for the context's defaults with host-name checking
     *     ({@code "HTTPS"} endpoint identification) on
     * @param peerHost the server's host name, for SNI, endpoint identification and session reuse;
     *     null if unknown
     * @return the TLS socket
     */
    public static GreenTlsSocket client(GreenSocket plain, SSLContext context, SSLParameters parameters,
                                        String peerHost) {
        Objects.requireNonNull(plain, "plain");
        Objects.requireNonNull(context, "context");
        int port = -1;
        try {
            port = plain.remoteSocketAddress() instanceof java.net.InetSocketAddress isa ? isa.getPort() : -1;
        } catch (IOException ignored) {
            // closed: the handshake will say so
        }
        SSLEngine engine = peerHost == null ? context.createSSLEngine() : context.createSSLEngine(peerHost, port);
        engine.setUseClientMode(true);
        SSLParameters p = parameters;
        if (p == null) {
            p = context.getDefaultSSLParameters();
            p.setEndpointIdentificationAlgorithm("HTTPS");
        }
        engine.setSSLParameters(p);
        return new GreenTlsSocket(plain, engine);
    }

    /**
     * Starts TLS as the server over an accepted socket (no I/O until the handshake).
     *
     * @param plain the connection; from now on it carries TLS records only
     * @param context the TLS context, with the server's key managers
     * @param parameters protocols, cipher suites, client authentication, SNI matchers, ALPN
     *     protocols; null for the context's defaults
     * @return the TLS socket
     */
    public static GreenTlsSocket server(GreenSocket plain, SSLContext context, SSLParameters parameters) {
        Objects.requireNonNull(plain, "plain");
        Objects.requireNonNull(context, "context");
        SSLEngine engine = context.createSSLEngine();
        engine.setUseClientMode(false);
        if (parameters != null) {
            engine.setSSLParameters(parameters);
        }
        return new GreenTlsSocket(plain, engine);
    }

    // ---------------------------------------------------------------- handshake

    /**
     * Does the handshake if it has not been done (eventlet's {@code do_handshake}); returns at
     * once after it succeeded.
     *
     * @throws SSLHandshakeException if the peer or the trust managers refuse, or the peer closes
     *     during the handshake
     * @throws dev.greenhub.IoTimeoutException if it took longer than the handshake timeout
     * @throws SSLException if an earlier handshake failed
     * @throws IOException on a connection failure
     */
    public void handshake() throws IOException {
        handshake.ensureDone();
    }

    /**
     * Starts a new handshake and waits until it is done: a renegotiation on TLS 1.2, a KeyUpdate
     * on TLS 1.3 (which has no renegotiation). The peer must be reading (its reader answers).
     *
     * @throws SSLException if the peer refuses (for example, it does not allow renegotiation)
     * @throws IOException on a connection failure
     */
    public void renegotiate() throws IOException {
        handshake();
        handshake.renegotiate();
    }

    // ---------------------------------------------------------------- reading

    /**
     * Reads decrypted bytes into {@code dst}, waiting until at least one arrives or the peer
     * sends close_notify.
     *
     * @param dst where to put them
     * @return the number read (at least 1 if {@code dst} has room), or -1 after close_notify
     * @throws SSLException if the peer closed without close_notify, or sent a bad record
     * @throws java.net.SocketTimeoutException if the read timeout passed without a byte
     * @throws IoClosedException if the socket is or gets closed through greenhub
     * @throws IOException on other failures (and the handshake's, see {@link #handshake()})
     */
    public int read(ByteBuffer dst) throws IOException {
        Objects.requireNonNull(dst, "dst");
        handshake();
        if (!dst.hasRemaining()) {
            return 0;
        }
        records.readLock.acquire();
        try {
            while (true) {
                int n = records.take(dst);
                if (n > 0) {
                    return n;
                }
                if (records.inboundDone()) {
                    return -1;
                }
                SSLEngineResult r = records.unwrap(Long.MAX_VALUE, "read");
                if (r == null) {
                    throw truncated();
                }
                handshake.answerPeer(r);
            }
        } finally {
            records.readLock.release();
            handshake.signalProgress();
        }
    }

    /**
     * Reads into {@code buffer[offset, offset + length)}, as {@link #read(ByteBuffer)}.
     *
     * @param buffer the buffer
     * @param offset where to start
     * @param length at most this many bytes
     * @return the number read, 0 only if {@code length} is 0, or -1 after close_notify
     * @throws IOException as {@link #read(ByteBuffer)}
     */
    public int read(byte[] buffer, int offset, int length) throws IOException {
        Objects.checkFromIndexSize(offset, length, buffer.length);
        return read(ByteBuffer.wrap(buffer, offset, length));
    }

    private SSLException truncated() {
        return new SSLException("the peer closed " + socket + " without a TLS close_notify: what was read may"
                + " be cut short (a truncation attack, or a peer that does not close TLS properly)");
    }

    // ---------------------------------------------------------------- writing

    /**
     * Encrypts and sends some bytes of {@code src} (at most one TLS record's worth, 16 KiB),
     * waiting until they are sent.
     *
     * @param src the bytes; its position advances past those sent
     * @return the number sent (at least 1 if {@code src} has bytes)
     * @throws SocketException if the output was shut down ({@link #shutdownOutput()}, or the
     *     close_notify that answered the peer's on TLS 1.2)
     * @throws java.net.SocketTimeoutException if the write timeout passed without progress
     * @throws IoClosedException if the socket is or gets closed through greenhub
     * @throws IOException on other failures (and the handshake's, see {@link #handshake()})
     */
    public int write(ByteBuffer src) throws IOException {
        Objects.requireNonNull(src, "src");
        handshake();
        while (true) {
            HandshakeStatus hs = engine.getHandshakeStatus();
            if (hs == HandshakeStatus.NEED_UNWRAP || hs == HandshakeStatus.NEED_UNWRAP_AGAIN) {
                handshake.awaitPeer("write");
                continue;
            }
            if (hs == HandshakeStatus.NEED_TASK) {
                records.runTasks();
                continue;
            }
            records.writeLock.acquire();
            try {
                hs = engine.getHandshakeStatus();
                if (hs == HandshakeStatus.NEED_UNWRAP || hs == HandshakeStatus.NEED_UNWRAP_AGAIN
                        || hs == HandshakeStatus.NEED_TASK) {
                    continue;
                }
                int before = src.position();
                records.wrap(src, Long.MAX_VALUE, "write");
                int n = src.position() - before;
                if (n > 0 || !src.hasRemaining()) {
                    return n;
                }
            } finally {
                records.writeLock.release();
            }
        }
    }

    /**
     * Writes all of {@code src}, in as many records as it takes.
     *
     * @param src the bytes; on return its position is its limit
     * @throws IOException as {@link #write(ByteBuffer)}; then an unknown part was sent
     */
    public void writeAll(ByteBuffer src) throws IOException {
        Objects.requireNonNull(src, "src");
        while (src.hasRemaining()) {
            write(src);
        }
    }

    /**
     * Writes all of {@code buffer}.
     *
     * @param buffer the bytes
     * @throws IOException as {@link #write(ByteBuffer)}
     */
    public void writeAll(byte[] buffer) throws IOException {
        writeAll(ByteBuffer.wrap(buffer));
    }

    // ---------------------------------------------------------------- closing

    /**
     * Sends close_notify, then shuts the TCP output down: the peer reads the end of the stream.
     * See the class comment for half-close on TLS 1.2 and 1.3.
     *
     * @throws IOException if sending fails; {@link IoClosedException} if closed
     */
    public void shutdownOutput() throws IOException {
        handshake();
        records.writeLock.acquire();
        try {
            records.shutdownOutput();
        } finally {
            records.writeLock.release();
        }
    }

    /**
     * Closes the connection: sends close_notify if the handshake was done and that needs no
     * wait (nobody is writing and the socket takes it at once), then closes the socket, waking
     * its reader and writer with an {@link IoClosedException}. Idempotent; callable from any
     * thread.
     *
     * @throws IOException if closing the socket fails
     */
    @Override
    public void close() throws IOException {
        if (!socket.isOpen()) {
            return;
        }
        if (handshake.isDone() && !records.outputShut()
                && Scheduler.currentIfPresent().orElse(null) == socket.scheduler()
                && records.writeLock.tryAcquire()) {
            try {
                engine.closeOutbound();
                if (!engine.isOutboundDone()) {
                    records.sendPending(System.nanoTime(), "send close_notify");
                }
            } catch (IOException | RuntimeException ignored) {
                // best effort: the peer may be gone
            } finally {
                records.writeLock.release();
            }
        }
        socket.close();
    }

    // ---------------------------------------------------------------- properties

    /**
     * Sets how long a handshake may take (the first one, from {@link #handshake()} or the first
     * read or write).
     *
     * @param timeout the limit; null or zero for none
     * @throws IllegalArgumentException if negative
     */
    public void setHandshakeTimeout(Duration timeout) {
        handshake.setTimeoutNanos(NetTimeouts.nanos(timeout, "handshake timeout"));
    }

    /**
     * The TLS session (after the handshake; before it, a session whose cipher suite is
     * {@code SSL_NULL_WITH_NULL_NULL}). Cast it to {@link javax.net.ssl.ExtendedSSLSession} for the
     * server names the client requested (SNI).
     *
     * @return the session
     */
    public SSLSession session() {
        return engine.getSession();
    }

    /**
     * The application protocol ALPN chose.
     *
     * @return the protocol; "" if none was negotiated; null before the handshake
     */
    public String applicationProtocol() {
        return engine.getApplicationProtocol();
    }

    /**
     * Whether this side is the TLS client.
     *
     * @return true for a client
     */
    public boolean isClient() {
        return engine.getUseClientMode();
    }

    /**
     * The TCP connection under TLS, for its options, timeouts and addresses. Reading or writing
     * it directly breaks the TLS stream.
     *
     * @return the green socket
     */
    public GreenSocket plain() {
        return socket;
    }

    /**
     * An {@link InputStream} of the decrypted bytes; closing it closes the connection.
     *
     * @return a stream (a new one each call, all reading the same connection)
     */
    public InputStream getInputStream() {
        return GreenStreams.input(this::read, this);
    }

    /**
     * An {@link OutputStream} that encrypts and sends everything written; {@code flush} does
     * nothing (nothing is buffered); closing it closes the connection.
     *
     * @return a stream (a new one each call, all writing the same connection)
     */
    public OutputStream getOutputStream() {
        return GreenStreams.output(this::writeAll, this);
    }

    @Override
    public String toString() {
        return "GreenTlsSocket[" + (isClient() ? "client" : "server") + ", " + socket
                + (handshake.isDone() ? ", " + engine.getSession().getProtocol() : ", before the handshake") + "]";
    }
}
