package dev.greenhub.http;

import dev.greenhub.net.GreenSocket;
import java.io.IOException;
import java.time.Duration;

/**
 * The read side of a connection: one fixed buffer (as large as the longest allowed line) over the
 * green socket. Pending response bytes are flushed before every read that would wait, so a client
 * never waits for a response the server is still holding (pipelining, 100 Continue).
 */
final class ConnectionInput {
    private final GreenSocket socket;
    private final ConnectionOutput output;
    final byte[] buf;
    int pos;
    int lim;
    private long timeoutNanos = -1;

    ConnectionInput(GreenSocket socket, ConnectionOutput output, int capacity) {
        this.socket = socket;
        this.output = output;
        this.buf = new byte[capacity];
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
        if (pos > 0) {
            System.arraycopy(buf, pos, buf, 0, lim - pos);
            lim -= pos;
            pos = 0;
        }
        if (lim == buf.length) {
            throw new IllegalStateException("input buffer full");
        }
        output.flush();
        int n = socket.read(buf, lim, buf.length - lim);
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
            if (len >= buf.length) {
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
