package dev.greenhub.net;

import dev.greenhub.Event;
import java.io.IOException;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLEngineResult;
import javax.net.ssl.SSLEngineResult.HandshakeStatus;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLHandshakeException;

/**
 * The handshake driver of a green TLS connection: the first handshake (within the handshake
 * timeout; its failure remembered and its alert sent), renegotiation, and the handshake steps the
 * peer starts, which whichever of the reader and the writer meets answers. A thread that needs
 * the peer's handshake message reads it itself if nobody reads, else waits until the reader
 * {@linkplain #signalProgress() signals progress}.
 *
 * <p>Threading: takes the locks of its {@link TlsRecords} by their rules; the first handshake
 * holds both. The state flags are volatile; the progress event is used by the threads of the
 * connection's scheduler.
 */
final class TlsHandshake {
    private final GreenSocket socket;
    private final SSLEngine engine;
    private final TlsRecords records;
    /**
     * Sent (and replaced) whenever the reader made progress or let go, for a writer that needs a
     * peer's handshake message.
     */
    private Event<Void> progress = new Event<>();
    private volatile boolean done;
    private volatile SSLException failure;
    private volatile long timeoutNanos;

    /**
     * @param socket the connection under TLS, named in the exceptions
     * @param timeoutNanos the first handshake's timeout, 0 for none
     */
    TlsHandshake(GreenSocket socket, SSLEngine engine, TlsRecords records, long timeoutNanos) {
        this.socket = socket;
        this.engine = engine;
        this.records = records;
        this.timeoutNanos = timeoutNanos;
    }

    /** Whether the first handshake succeeded. */
    boolean isDone() {
        return done;
    }

    /** Sets the first handshake's timeout: nanoseconds, 0 for none. */
    void setTimeoutNanos(long nanos) {
        timeoutNanos = nanos;
    }

    /**
     * Does the first handshake if it has not been done, holding both locks; after a failed one,
     * throws an {@link SSLException} naming that failure.
     */
    void ensureDone() throws IOException {
        if (done) {
            return;
        }
        records.readLock.acquire();
        try {
            records.writeLock.acquire();
            try {
                if (done) {
                    return;
                }
                failIfFailed();
                long limit = NetTimeouts.deadline(timeoutNanos);
                try {
                    engine.beginHandshake();
                    driveHoldingBoth(limit);
                    done = true;
                } catch (SSLException e) {
                    failure = e;
                    sendAlert();
                    throw e;
                } catch (IOException | RuntimeException | Error e) {
                    SSLException failed = new SSLException("the TLS handshake on " + socket + " failed: " + e);
                    failed.initCause(e);
                    failure = failed;
                    throw e;
                }
            } finally {
                records.writeLock.release();
            }
        } finally {
            records.readLock.release();
        }
    }

    private void failIfFailed() throws SSLException {
        SSLException f = failure;
        if (f != null) {
            SSLException e = new SSLException("the TLS handshake on " + socket + " failed earlier: "
                    + f.getMessage());
            e.initCause(f);
            throw e;
        }
    }

    /** Runs a handshake to its end, holding both locks. */
    private void driveHoldingBoth(long limit) throws IOException {
        while (true) {
            switch (engine.getHandshakeStatus()) {
                case NEED_WRAP -> records.sendPending(limit, "handshake");
                case NEED_UNWRAP, NEED_UNWRAP_AGAIN -> {
                    if (records.unwrap(limit, "handshake") == null) {
                        throw new SSLHandshakeException("the peer closed " + socket + " during the TLS handshake");
                    }
                }
                case NEED_TASK -> records.runTasks();
                default -> {
                    if (engine.isOutboundDone() || engine.isInboundDone()) {
                        // a delegated task failed (a refused certificate): the engine closed
                        // itself and throws the failure from its next wrap
                        records.wrapForFailure();
                        throw new SSLHandshakeException("the TLS engine closed during the handshake on " + socket);
                    }
                    return;
                }
            }
        }
    }

    /** After a failed handshake, sends the alert the engine has, if that needs no wait. */
    private void sendAlert() {
        try {
            engine.closeOutbound();
            if (engine.getHandshakeStatus() == HandshakeStatus.NEED_WRAP) {
                records.sendPending(System.nanoTime(), "send the handshake's alert");
            }
        } catch (IOException | RuntimeException ignored) {
            // best effort: the handshake failed already
        }
    }

    /**
     * Starts a new handshake (after the first one) and waits until it is done: a renegotiation on
     * TLS 1.2, a KeyUpdate on TLS 1.3. Holds no lock on entry or exit.
     */
    void renegotiate() throws IOException {
        records.writeLock.acquire();
        try {
            engine.beginHandshake();
        } finally {
            records.writeLock.release();
        }
        while (true) {
            switch (engine.getHandshakeStatus()) {
                case NEED_WRAP -> {
                    records.writeLock.acquire();
                    try {
                        if (engine.getHandshakeStatus() == HandshakeStatus.NEED_WRAP) {
                            records.sendPending(Long.MAX_VALUE, "renegotiate");
                        }
                    } finally {
                        records.writeLock.release();
                    }
                }
                case NEED_UNWRAP, NEED_UNWRAP_AGAIN -> awaitPeer("renegotiate");
                case NEED_TASK -> records.runTasks();
                default -> {
                    return;
                }
            }
        }
    }

    /**
     * The handshake needs a message from the peer: read it here if nobody reads, else wait until
     * the reader made progress or let go. Holds no lock on entry or exit.
     */
    void awaitPeer(String what) throws IOException {
        if (records.readLock.tryAcquire()) {
            try {
                SSLEngineResult r = records.unwrap(Long.MAX_VALUE, what);
                if (r == null) {
                    throw new SSLException("the peer closed " + socket + " during a TLS handshake");
                }
                answerPeer(r);
            } finally {
                records.readLock.release();
                signalProgress();
            }
        } else {
            progress.await();
        }
    }

    /**
     * What the reader does after an unwrap: answers the handshake step the peer started (takes
     * writeLock to send). Holds readLock.
     */
    void answerPeer(SSLEngineResult r) throws IOException {
        HandshakeStatus hs = r.getHandshakeStatus();
        while (true) {
            if (hs == HandshakeStatus.NEED_TASK) {
                records.runTasks();
                hs = engine.getHandshakeStatus();
            } else if (hs == HandshakeStatus.NEED_WRAP) {
                records.writeLock.acquire();
                try {
                    if (engine.getHandshakeStatus() == HandshakeStatus.NEED_WRAP) {
                        if (records.inboundDone()) {
                            // the close_notify that answers the peer's (TLS 1.2): best effort
                            try {
                                records.sendPending(System.nanoTime(), "answer close_notify");
                            } catch (IOException ignored) {
                                // the peer may be gone already
                            }
                            return;
                        }
                        records.sendPending(Long.MAX_VALUE, "answer the peer's handshake");
                    }
                } finally {
                    records.writeLock.release();
                }
                hs = engine.getHandshakeStatus();
            } else {
                return;
            }
        }
    }

    /** Wakes the threads waiting in {@link #awaitPeer}: the reader made progress or let go. */
    void signalProgress() {
        Event<Void> e = progress;
        progress = new Event<>();
        e.send(null);
    }
}
