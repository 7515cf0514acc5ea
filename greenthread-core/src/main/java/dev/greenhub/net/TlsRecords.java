package dev.greenhub.net;

import dev.greenhub.Semaphore;
import java.io.IOException;
import java.net.SocketException;
import java.nio.ByteBuffer;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLEngineResult;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLSession;

/**
 * The record layer of a green TLS connection: an {@link SSLEngine}'s buffers, the wrap or unwrap
 * of one record through a {@link GreenSocket} (growing a buffer the engine finds too small), the
 * close_notify that shuts the output, and the engine's delegated tasks, run inline.
 *
 * <p>Threading: {@link #readLock} guards the inbound side ({@link #take}, {@link #unwrap}) and
 * {@link #writeLock} the outbound side (the wraps and sends); the caller holds the lock a method
 * names, a handshake holds both (readLock first). The end-of-stream flags are volatile.
 */
final class TlsRecords {
    private static final ByteBuffer EMPTY = ByteBuffer.allocate(0);

    /** Held to read: guards netIn, appIn and unwrapping. */
    final Semaphore readLock = new Semaphore(1);
    /** Held to write: guards netOut and wrapping. */
    final Semaphore writeLock = new Semaphore(1);
    private final GreenSocket socket;
    private final SSLEngine engine;
    /** Records read but not unwrapped yet (write mode). Guarded by readLock. */
    private ByteBuffer netIn;
    /** Application bytes unwrapped but not read yet (write mode). Guarded by readLock. */
    private ByteBuffer appIn;
    /** Records wrapped for one write. Guarded by writeLock. */
    private ByteBuffer netOut;
    private volatile boolean inboundDone;
    private volatile boolean outputShut;

    TlsRecords(GreenSocket socket, SSLEngine engine) {
        this.socket = socket;
        this.engine = engine;
        SSLSession session = engine.getSession();
        this.netIn = ByteBuffer.allocate(session.getPacketBufferSize());
        this.appIn = ByteBuffer.allocate(session.getApplicationBufferSize());
        this.netOut = ByteBuffer.allocate(session.getPacketBufferSize());
    }

    /** Whether the peer's close_notify was unwrapped: nothing comes after the buffered bytes. */
    boolean inboundDone() {
        return inboundDone;
    }

    /** Whether {@link #shutdownOutput()} was called. */
    boolean outputShut() {
        return outputShut;
    }

    // ---------------------------------------------------------------- inbound (readLock)

    /**
     * Moves unwrapped application bytes into {@code dst}, as many as it has room for; 0 if none
     * are buffered. Holds readLock.
     */
    int take(ByteBuffer dst) {
        if (appIn.position() == 0) {
            return 0;
        }
        appIn.flip();
        int n = Math.min(appIn.remaining(), dst.remaining());
        dst.put(appIn.slice(appIn.position(), n));
        appIn.position(appIn.position() + n);
        appIn.compact();
        return n;
    }

    /**
     * Unwraps one record, reading from the socket when no whole record is buffered. Holds
     * readLock. Returns null at the TCP end of stream.
     */
    SSLEngineResult unwrap(long limit, String what) throws IOException {
        while (true) {
            if (netIn.position() > 0) {
                netIn.flip();
                SSLEngineResult r;
                try {
                    r = engine.unwrap(netIn, appIn);
                } finally {
                    netIn.compact();
                }
                switch (r.getStatus()) {
                    case BUFFER_OVERFLOW -> {
                        appIn = grow(appIn, engine.getSession().getApplicationBufferSize());
                        continue;
                    }
                    case BUFFER_UNDERFLOW -> {
                        if (!netIn.hasRemaining()) {
                            netIn = grow(netIn, engine.getSession().getPacketBufferSize());
                        }
                    }
                    case CLOSED -> {
                        inboundDone = true;
                        return r;
                    }
                    default -> {
                        return r;
                    }
                }
            }
            if (socket.readBefore(netIn, limit, what) < 0) {
                return null;
            }
        }
    }

    /**
     * A copy of {@code b} (write mode) with room for at least {@code atLeast} (and 1024) more
     * bytes after those it holds.
     */
    static ByteBuffer grow(ByteBuffer b, int atLeast) {
        ByteBuffer bigger = ByteBuffer.allocate(b.position() + Math.max(atLeast, 1024));
        b.flip();
        bigger.put(b);
        return bigger;
    }

    // ---------------------------------------------------------------- outbound (writeLock)

    /**
     * Wraps once from {@code src} and sends the result. Holds writeLock.
     *
     * @throws SocketException if the engine's output is closed and took nothing of {@code src}
     */
    void wrap(ByteBuffer src, long limit, String what) throws IOException {
        while (true) {
            netOut.clear();
            SSLEngineResult r = engine.wrap(src, netOut);
            switch (r.getStatus()) {
                case BUFFER_OVERFLOW -> {
                    netOut = ByteBuffer.allocate(netOut.capacity() + engine.getSession().getPacketBufferSize());
                    continue;
                }
                case CLOSED -> {
                    netOut.flip();
                    if (netOut.hasRemaining()) {
                        socket.writeAllBefore(netOut, limit, what);
                    }
                    if (src != EMPTY && r.bytesConsumed() == 0) {
                        throw new SocketException("cannot write: the TLS output of " + socket + " is closed"
                                + (outputShut ? " (shutdownOutput() sent close_notify)"
                                        : " (close_notify was sent, or answered the peer's)"));
                    }
                    return;
                }
                default -> {
                    netOut.flip();
                    socket.writeAllBefore(netOut, limit, what);
                    return;
                }
            }
        }
    }

    /**
     * Wraps and sends the record the engine has to send without application bytes: a handshake
     * message, an alert, close_notify. Holds writeLock.
     */
    void sendPending(long limit, String what) throws IOException {
        wrap(EMPTY, limit, what);
    }

    /**
     * Wraps once without sending: after a delegated task failed, the engine closed itself and
     * throws the failure from its next wrap. Holds writeLock.
     */
    void wrapForFailure() throws SSLException {
        netOut.clear();
        engine.wrap(EMPTY, netOut);
    }

    /**
     * Sends close_notify (waiting as long as that takes), then shuts the TCP output down; once.
     * Holds writeLock.
     */
    void shutdownOutput() throws IOException {
        if (!outputShut) {
            outputShut = true;
            engine.closeOutbound();
            while (!engine.isOutboundDone()) {
                sendPending(Long.MAX_VALUE, "send close_notify");
            }
            socket.shutdownOutput();
        }
    }

    // ---------------------------------------------------------------- delegated tasks

    /** Runs the engine's delegated tasks (certificate checks, key exchange) on this thread. */
    void runTasks() {
        Runnable task;
        while ((task = engine.getDelegatedTask()) != null) {
            task.run();
        }
    }
}
