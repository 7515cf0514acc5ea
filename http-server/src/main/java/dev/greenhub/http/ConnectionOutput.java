package dev.greenhub.http;

import dev.greenhub.net.GreenSocket;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * The write side of a connection: a buffer that collects a response head and small body writes so
 * that a typical response leaves in one system call; large writes go straight out. A flush copies
 * the bytes into a direct buffer taken from the hub's pool ({@link HubBuffers.Local#takeWrite()})
 * for the write. The buffer is allocated at the first write and can be
 * {@linkplain #release() given back} while the connection idles, so an idle connection holds none.
 */
final class ConnectionOutput {
    private final GreenSocket socket;
    private final int capacity;
    private final HubBuffers.Local buffers;
    private byte[] buf;
    private int count;
    private long written;

    ConnectionOutput(GreenSocket socket, HubBuffers.Local buffers) {
        this.socket = socket;
        this.buffers = buffers;
        this.capacity = buffers.writeCapacity();
    }

    private byte[] buffer() {
        byte[] b = buf;
        if (b == null) {
            b = new byte[capacity];
            buf = b;
        }
        return b;
    }

    void write(byte[] b, int off, int len) throws IOException {
        if (len > capacity - count) {
            if (len >= capacity) {
                flush();
                socket.writeAll(b, off, len);
                written += len;
                return;
            }
            flush();
        }
        System.arraycopy(b, off, buffer(), count, len);
        count += len;
    }

    void write(int b) throws IOException {
        if (count == capacity) {
            flush();
        }
        buffer()[count++] = (byte) b;
    }

    /** Writes {@code s}, whose characters are all Latin-1 (header text is checked to be). */
    void writeAscii(String s) throws IOException {
        int len = s.length();
        if (len > capacity - count) {
            flush();
            if (len > capacity) {
                byte[] bytes = s.getBytes(StandardCharsets.ISO_8859_1);
                socket.writeAll(bytes, 0, bytes.length);
                written += bytes.length;
                return;
            }
        }
        s.getBytes(0, len, buffer(), count); // Latin-1 by definition: the deprecated form copies without encoding
        count += len;
    }

    /** Writes {@code value} in decimal ASCII digits. */
    void writeDecimal(long value) throws IOException {
        if (value < 0) {
            writeAscii(Long.toString(value));
            return;
        }
        if (capacity - count < 20) {
            flush();
        }
        byte[] b = buffer();
        if (value <= Integer.MAX_VALUE) {
            // int arithmetic: the usual case (a body length), cheaper than long division
            int v = (int) value;
            int digits = 1;
            for (int d = v; d >= 10; d /= 10) {
                digits++;
            }
            int end = count + digits;
            for (int i = end - 1; i >= count; i--) {
                b[i] = (byte) ('0' + v % 10);
                v /= 10;
            }
            count = end;
            return;
        }
        int digits = 1;
        for (long v = value; v >= 10; v /= 10) {
            digits++;
        }
        int end = count + digits;
        long v = value;
        for (int i = end - 1; i >= count; i--) {
            b[i] = (byte) ('0' + (int) (v % 10));
            v /= 10;
        }
        count = end;
    }

    boolean hasPending() {
        return count > 0;
    }

    void flush() throws IOException {
        if (count > 0) {
            int n = count;
            count = 0;
            ByteBuffer d = buffers.takeWrite();
            try {
                d.put(0, buf, 0, n).limit(n);
                socket.writeAll(d);
            } finally {
                buffers.giveBack(d);
            }
            written += n;
        }
    }

    /** Gives the buffer back (to the garbage collector) when nothing is pending; the next write allocates one. */
    void release() {
        if (count == 0) {
            buf = null;
        }
    }

    /** Whether the buffer is given back (for tests). */
    boolean isReleased() {
        return buf == null;
    }

    /** Bytes handed to the socket so far. */
    long written() {
        return written + count;
    }
}
