package dev.greenhub.http;

import dev.greenhub.net.GreenSocket;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * The write side of a connection: a small buffer that collects a response head and small body
 * writes so that a typical response leaves in one system call; large writes go straight out.
 */
final class ConnectionOutput {
    private final GreenSocket socket;
    private final byte[] buf;
    private int count;
    private long written;

    ConnectionOutput(GreenSocket socket, int capacity) {
        this.socket = socket;
        this.buf = new byte[capacity];
    }

    void write(byte[] b, int off, int len) throws IOException {
        if (len > buf.length - count) {
            if (len >= buf.length) {
                flush();
                socket.writeAll(b, off, len);
                written += len;
                return;
            }
            flush();
        }
        System.arraycopy(b, off, buf, count, len);
        count += len;
    }

    void write(int b) throws IOException {
        if (count == buf.length) {
            flush();
        }
        buf[count++] = (byte) b;
    }

    void writeAscii(String s) throws IOException {
        int len = s.length();
        if (len > buf.length - count) {
            flush();
            if (len > buf.length) {
                byte[] bytes = s.getBytes(StandardCharsets.ISO_8859_1);
                socket.writeAll(bytes, 0, bytes.length);
                written += bytes.length;
                return;
            }
        }
        s.getBytes(0, len, buf, count); // Latin-1 by definition: header text is checked to be
        count += len;
    }

    boolean hasPending() {
        return count > 0;
    }

    void flush() throws IOException {
        if (count > 0) {
            int n = count;
            count = 0;
            socket.writeAll(ByteBuffer.wrap(buf, 0, n));
            written += n;
        }
    }

    /** Bytes handed to the socket so far. */
    long written() {
        return written + count;
    }
}
