package dev.greenhub.http;

import java.io.IOException;
import java.io.OutputStream;

/**
 * A response body stream in one of the framings the response head announced: a fixed length, the
 * chunked coding, until the connection closes (HTTP/1.0 without a length), or none (HEAD, 204,
 * 304). Closing it ends the body; it does not close the connection.
 */
abstract class ResponseBody extends OutputStream {
    final ConnectionOutput out;
    private boolean closed;

    ResponseBody(ConnectionOutput out) {
        this.out = out;
    }

    @Override
    public final void write(int b) throws IOException {
        write(new byte[] {(byte) b}, 0, 1);
    }

    @Override
    public final void write(byte[] b, int off, int len) throws IOException {
        java.util.Objects.checkFromIndexSize(off, len, b.length);
        if (closed) {
            throw new IOException("the response body stream is closed");
        }
        if (len > 0) {
            writeBody(b, off, len);
        }
    }

    abstract void writeBody(byte[] b, int off, int len) throws IOException;

    /** Ends the body on the wire; the response is complete if this returns true. */
    abstract boolean finish() throws IOException;

    /** Sends what is buffered. */
    @Override
    public final void flush() throws IOException {
        if (!closed) {
            out.flush();
        }
    }

    @Override
    public final void close() throws IOException {
        if (!closed) {
            closed = true;
            complete = finish();
        }
    }

    private boolean complete;

    /** Whether the body was closed and ended as announced (a short fixed-length body was not). */
    final boolean isCompleteAndClosed() {
        return closed && complete;
    }

    final boolean isClosed() {
        return closed;
    }

    /** A body of the announced Content-Length. */
    static final class FixedLength extends ResponseBody {
        private long left;

        FixedLength(ConnectionOutput out, long length) {
            super(out);
            this.left = length;
        }

        @Override
        void writeBody(byte[] b, int off, int len) throws IOException {
            if (len > left) {
                throw new IOException("too many bytes for the response body: " + len + " written where "
                        + left + " were left of the announced Content-Length");
            }
            out.write(b, off, len);
            left -= len;
        }

        @Override
        boolean finish() {
            return left == 0;
        }
    }

    /** A body in the chunked coding: each write is one chunk. */
    static final class Chunked extends ResponseBody {
        Chunked(ConnectionOutput out) {
            super(out);
        }

        @Override
        void writeBody(byte[] b, int off, int len) throws IOException {
            out.writeAscii(Integer.toHexString(len));
            out.write('\r');
            out.write('\n');
            out.write(b, off, len);
            out.write('\r');
            out.write('\n');
        }

        @Override
        boolean finish() throws IOException {
            out.writeAscii("0\r\n\r\n");
            return true;
        }
    }

    /** An HTTP/1.0 body without a length: ends when the server closes the connection. */
    static final class UntilClose extends ResponseBody {
        UntilClose(ConnectionOutput out) {
            super(out);
        }

        @Override
        void writeBody(byte[] b, int off, int len) throws IOException {
            out.write(b, off, len);
        }

        @Override
        boolean finish() {
            return true;
        }
    }

    /** No body on the wire: a HEAD response drops what is written; others refuse it. */
    static final class None extends ResponseBody {
        private final boolean head;

        None(ConnectionOutput out, boolean head) {
            super(out);
            this.head = head;
        }

        @Override
        void writeBody(byte[] b, int off, int len) throws IOException {
            if (!head) {
                throw new IOException("this response has no body (its status or length said so)");
            }
        }

        @Override
        boolean finish() {
            return true;
        }
    }
}
