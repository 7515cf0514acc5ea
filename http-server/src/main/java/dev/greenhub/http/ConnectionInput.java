package dev.greenhub.http;

import dev.greenhub.net.GreenSocket;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.time.Duration;

/**
 * The read side of a connection: one buffer (as large as the longest allowed line) over the green
 * socket. Bytes arrive through the hub's direct read buffer ({@link HubBuffers.Local#readView()})
 * and are copied into this connection's own buffer right after the read. Pending response bytes
 * are flushed before every read that would wait, so a client never waits for a response the server
 * is still holding (pipelining, 100 Continue). While the connection idles its buffer can be
 * {@linkplain #release() given back}; the next read makes a fresh one.
 */
final class ConnectionInput {
    private static final byte[] NONE = {};
    private final GreenSocket socket;
    private final ConnectionOutput output;
    private final int capacity;
    private final HubBuffers.Local hubBuffers;
    /** This connection's view of its hub's direct read buffer; null while released. */
    private ByteBuffer hubRead;
    /** The buffer; {@link #NONE} (empty) while released. */
    byte[] buf;
    int pos;
    int lim;
    private long timeoutNanos = -1;

    ConnectionInput(GreenSocket socket, ConnectionOutput output, int capacity, HubBuffers.Local buffers) {
        this.socket = socket;
        this.output = output;
        this.capacity = capacity;
        this.hubBuffers = buffers;
        if (buffers.readCapacity() < capacity) {
            throw new IllegalArgumentException("the hub's read buffer (" + buffers.readCapacity()
                    + " bytes) is smaller than the input buffer (" + capacity + ")");
        }
        this.buf = NONE;
    }

    /** Gives the buffer back when nothing is buffered. */
    void release() {
        if (pos == lim) {
            buf = NONE;
            hubRead = null;
            pos = 0;
            lim = 0;
        }
    }

    /** Whether the buffer is given back (for tests). */
    boolean isReleased() {
        return buf == NONE;
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
        int room = (buf == NONE ? capacity : buf.length) - lim;
        if (room == 0) {
            throw new IllegalStateException("input buffer full");
        }
        output.flush();
        ByteBuffer r = hubRead;
        if (r == null) {
            r = hubBuffers.readView();
            hubRead = r;
        }
        r.clear().limit(room);
        int n = socket.read(r);
        // no wait between the read(2) above and this copy: no other green thread of this hub ran
        if (n < 0) {
            return false;
        }
        if (buf == NONE) {
            buf = new byte[capacity];
        }
        r.get(0, buf, lim, n);
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
