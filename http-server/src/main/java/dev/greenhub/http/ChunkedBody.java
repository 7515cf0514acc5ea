package dev.greenhub.http;

import java.io.EOFException;
import java.io.IOException;

/**
 * A request body in the chunked transfer coding (RFC 9112 7.1): chunk sizes in hex (at most 15
 * digits), extensions ignored, the trailer section read and dropped within the header limits.
 * A malformed chunk is an {@link HttpProtocolException} with 400; a body over the limit, 413.
 */
final class ChunkedBody extends RequestBody {
    private final HttpLimits limits;
    /** Bytes left in the current chunk; -1 before a chunk-size line. */
    private long chunkLeft = -1;
    private long total;
    private boolean done;

    ChunkedBody(ConnectionInput in, ConnectionOutput out, HttpLimits limits, boolean expectContinue) {
        super(in, out, expectContinue);
        this.limits = limits;
    }

    @Override
    int readBody(byte[] b, int off, int len) throws IOException {
        if (done) {
            return -1;
        }
        if (chunkLeft <= 0) {
            if (chunkLeft == 0) {
                expectCrlf();
            }
            chunkLeft = chunkSize();
            if (chunkLeft == 0) {
                skipTrailers();
                done = true;
                return -1;
            }
            total += chunkLeft;
            if (total > limits.maxBodyBytes() || total < 0) {
                throw new HttpProtocolException(413, "the chunked body is larger than the limit of "
                        + limits.maxBodyBytes() + " bytes");
            }
        }
        int n = in.read(b, off, (int) Math.min(len, chunkLeft));
        if (n < 0) {
            throw new EOFException("the connection ended inside a chunk of the request body");
        }
        chunkLeft -= n;
        return n;
    }

    private void expectCrlf() throws IOException {
        int c = in.read();
        if (c == '\r') {
            c = in.read();
        }
        if (c != '\n') {
            throw new HttpProtocolException(400, "malformed chunked body: no CRLF after a chunk's data");
        }
    }

    private long chunkSize() throws IOException {
        long size = 0;
        int digits = 0;
        int lineBytes = 0;
        boolean inExtension = false;
        while (true) {
            int c = in.read();
            if (c < 0) {
                throw new EOFException("the connection ended inside a chunk-size line");
            }
            if (++lineBytes > limits.maxRequestLineBytes()) {
                throw new HttpProtocolException(400, "malformed chunked body: a chunk-size line is longer than "
                        + limits.maxRequestLineBytes() + " bytes");
            }
            if (c == '\n') {
                break;
            }
            if (inExtension) {
                continue;
            }
            int d = Character.digit(c, 16);
            if (d >= 0 && digits >= 0) {
                if (++digits > 15) {
                    throw new HttpProtocolException(400, "malformed chunked body: a chunk size of more than 15 hex digits");
                }
                size = size * 16 + d;
            } else if (c == ';' && digits != 0) {
                inExtension = true;
            } else if ((c == ' ' || c == '\t') && digits != 0) {
                digits = -Math.abs(digits); // whitespace before an extension: no more digits allowed
            } else if (c == '\r') {
                int next = in.read();
                if (next != '\n') {
                    throw new HttpProtocolException(400, "malformed chunked body: CR without LF in a chunk-size line");
                }
                break;
            } else {
                throw new HttpProtocolException(400, "malformed chunked body: the chunk-size line has the byte " + c);
            }
        }
        if (digits == 0) {
            throw new HttpProtocolException(400, "malformed chunked body: a chunk-size line without a size");
        }
        return size;
    }

    private void skipTrailers() throws IOException {
        int bytes = 0;
        int lineLength = 0;
        while (true) {
            int c = in.read();
            if (c < 0) {
                throw new EOFException("the connection ended inside the trailer section");
            }
            if (++bytes > limits.maxHeaderBytes()) {
                throw new HttpProtocolException(431, "the trailer section is larger than " + limits.maxHeaderBytes() + " bytes");
            }
            if (c == '\n') {
                if (lineLength == 0) {
                    return;
                }
                lineLength = 0;
            } else if (c != '\r') {
                lineLength++;
            }
        }
    }

    @Override
    boolean isComplete() {
        return done;
    }
}
