package dev.greenhub.http;

import dev.greenhub.net.GreenSocket;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.time.Duration;

/**
 * The read side of a connection: one buffer (as large as the longest allowed line) over the green
 * socket. Pending response bytes are flushed before every read that would wait, so a client never
 * waits for a response the server is still holding (pipelining, 100 Continue). While the
 * connection idles the buffer can be {@linkplain #release() given back}; the next request is then
 * read through the hub's {@link IdleScratch} into a fresh one.
 */
final class ConnectionInput {
    private static final byte[] NONE = {};
    private final GreenSocket socket;
    private final ConnectionOutput output;
    private final int capacity;
    private ByteBuffer wrapped;
    /** The buffer; {@link #NONE} (empty) while released. */
    byte[] buf;
    int pos;
    int lim;
    private long timeoutNanos = -1;

    ConnectionInput(GreenSocket socket, ConnectionOutput output, int capacity) {
        this.socket = socket;
        this.output = output;
        this.capacity = capacity;
        this.buf = NONE;
    }

    private void allocate() {
        buf = new byte[capacity];
        wrapped = ByteBuffer.wrap(buf);
    }

    /** Gives the buffer back when nothing is buffered. */
    void release() {
        if (pos == lim) {
            buf = NONE;
            wrapped = null;
            pos = 0;
            lim = 0;
        }
    }

    /**
     * After {@link #release()}: waits for the next bytes by reading into the hub's shared
     * {@code scratch}, then moves them into a buffer of this connection's own.
     *
     * @return false at the end of the stream
     */
    boolean fillAfterIdle(IdleScratch scratch) throws IOException {
        output.flush();
        byte[] s = scratch.of(socket.scheduler());
        int n = socket.read(s, 0, Math.min(s.length, capacity));
        // no wait between the read(2) above and this copy: no other green thread of this hub ran
        if (n < 0) {
            return false;
        }
        if (buf == NONE) {
            allocate();
        }
        System.arraycopy(s, 0, buf, 0, n);
        pos = 0;
        lim = n;
        return true;
    }

    int buffered() {
        return lim - pos;
    }

    /** Sets the read timeout of the waits that follow (only touching the socket on a change). */
    void timeout(long nanos) {
        if (nanos != timeoutNanos) {
            timeoutNanos = nanos;
            socket.setReadTimeout(Duration.ofNanos(nanos));
        }
    }

    /**
     * Reads more bytes after those buffered, moving them to the front first.
     *
     * @return false at the end of the stream
     */
    boolean fill() throws IOException {
        if (buf == NONE) {
            allocate();
        }
        if (pos > 0) {
            System.arraycopy(buf, pos, buf, 0, lim - pos);
            lim -= pos;
            pos = 0;
        }
        if (lim == buf.length) {
            throw new IllegalStateException("input buffer full");
        }
        output.flush();
        ByteBuffer w = wrapped;
        w.limit(buf.length).position(lim);
        int n = socket.read(w);
        if (n < 0) {
            return false;
        }
        lim += n;
        return true;
    }

    /** Reads up to {@code len} bytes: buffered ones first, large reads straight into {@code b}. */
    int read(byte[] b, int off, int len) throws IOException {
        if (len == 0) {
            return 0;
        }
        if (pos == lim) {
            if (len >= capacity) {
                output.flush();
                return socket.read(b, off, len);
            }
            pos = 0;
            lim = 0;
            if (!fill()) {
                return -1;
            }
        }
        int n = Math.min(len, lim - pos);
        System.arraycopy(buf, pos, b, off, n);
        pos += n;
        return n;
    }

    /** Reads one byte, or -1 at the end of the stream. */
    int read() throws IOException {
        if (pos == lim) {
            pos = 0;
            lim = 0;
            if (!fill()) {
                return -1;
            }
        }
        return buf[pos++] & 0xff;
    }
}
