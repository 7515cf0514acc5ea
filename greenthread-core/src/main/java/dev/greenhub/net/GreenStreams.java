package dev.greenhub.net;

import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.util.Objects;

/**
 * The java.io streams over a green connection (a socket, a pipe end, a TLS socket): an
 * {@link InputStream} whose reads are the connection's {@code read(ByteBuffer)} and an
 * {@link OutputStream} whose writes are its {@code writeAll(ByteBuffer)}, so they park green and
 * follow its timeouts. Nothing is buffered ({@code flush} does nothing); closing a stream closes
 * the connection.
 */
final class GreenStreams {
    /** A connection's read: at least one byte, or -1 at the end of the stream. */
    @FunctionalInterface
    interface Read {
        int read(ByteBuffer dst) throws IOException;
    }

    /** A connection's write of all of {@code src}. */
    @FunctionalInterface
    interface WriteAll {
        void writeAll(ByteBuffer src) throws IOException;
    }

    private GreenStreams() {
    }

    static InputStream input(Read read, Closeable connection) {
        return new InputStream() {
            @Override
            public int read() throws IOException {
                byte[] one = new byte[1];
                int n = read.read(ByteBuffer.wrap(one));
                return n < 0 ? -1 : one[0] & 0xff;
            }

            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                Objects.checkFromIndexSize(off, len, b.length);
                return len == 0 ? 0 : read.read(ByteBuffer.wrap(b, off, len));
            }

            @Override
            public void close() throws IOException {
                connection.close();
            }
        };
    }

    static OutputStream output(WriteAll writeAll, Closeable connection) {
        return new OutputStream() {
            @Override
            public void write(int b) throws IOException {
                writeAll.writeAll(ByteBuffer.wrap(new byte[] {(byte) b}));
            }

            @Override
            public void write(byte[] b, int off, int len) throws IOException {
                Objects.checkFromIndexSize(off, len, b.length);
                writeAll.writeAll(ByteBuffer.wrap(b, off, len));
            }

            @Override
            public void close() throws IOException {
                connection.close();
            }
        };
    }
}
