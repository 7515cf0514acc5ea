package dev.greenhub.http;

import java.io.IOException;
import java.io.InputStream;

/**
 * A request body stream: reads from the connection's buffer, never past the body's end, and sends
 * {@code 100 Continue} before its first read when the client asked for it. Closing it does not
 * close the connection; the server skips what the handler left unread.
 */
abstract class RequestBody extends InputStream {
    final ConnectionInput in;
    private final ConnectionOutput out;
    private boolean continueOwed;
    private boolean closed;

    RequestBody(ConnectionInput in, ConnectionOutput out, boolean expectContinue) {
        this.in = in;
        this.out = out;
        this.continueOwed = expectContinue;
    }

    /** Called by the response when it starts: a final status makes the 100 pointless. */
    final void responseStarted() {
        continueOwed = false;
    }

    /** Whether the client still waits for a 100 Continue, so its body may never come. */
    final boolean continueOwed() {
        return continueOwed;
    }

    final void beforeRead() throws IOException {
        if (closed) {
            throw new IOException("the request body stream is closed");
        }
        sendContinue();
    }

    /** Writes the interim {@code 100 Continue} if the client waits for it. */
    final void sendContinue() throws IOException {
        if (continueOwed) {
            continueOwed = false;
            out.write(CONTINUE, 0, CONTINUE.length);
        }
    }

    private static final byte[] CONTINUE = "HTTP/1.1 100 Continue\r\n\r\n".getBytes(
            java.nio.charset.StandardCharsets.ISO_8859_1);

    @Override
    public final int read() throws IOException {
        byte[] one = new byte[1];
        int n = read(one, 0, 1);
        return n < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public final int read(byte[] b, int off, int len) throws IOException {
        java.util.Objects.checkFromIndexSize(off, len, b.length);
        beforeRead();
        if (len == 0) {
            return 0;
        }
        return readBody(b, off, len);
    }

    abstract int readBody(byte[] b, int off, int len) throws IOException;

    /** Whether the whole body has been read. */
    abstract boolean isComplete();

    /**
     * Reads and drops the rest of the body, at most {@code max} bytes.
     *
     * @return true if the body's end was reached
     */
    final boolean skipRest(long max) throws IOException {
        if (isComplete()) {
            return true;
        }
        if (continueOwed) {
            return false;
        }
        byte[] scratch = new byte[4096];
        long left = max;
        while (left > 0) {
            int n = readBody(scratch, 0, (int) Math.min(scratch.length, left));
            if (n < 0) {
                return isComplete();
            }
            left -= n;
        }
        return isComplete();
    }

    @Override
    public void close() {
        closed = true;
    }

    /** The body of a request without one. */
    static final class Empty extends RequestBody {
        Empty(ConnectionInput in, ConnectionOutput out) {
            super(in, out, false);
        }

        @Override
        int readBody(byte[] b, int off, int len) {
            return -1;
        }

        @Override
        boolean isComplete() {
            return true;
        }
    }
}
