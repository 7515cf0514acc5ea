package dev.greenhub.http;

import java.io.EOFException;
import java.io.IOException;

/** A request body of a declared Content-Length. */
final class FixedLengthBody extends RequestBody {
    private long left;

    FixedLengthBody(ConnectionInput in, ConnectionOutput out, long length, boolean expectContinue) {
        super(in, out, expectContinue);
        this.left = length;
    }

    @Override
    int readBody(byte[] b, int off, int len) throws IOException {
        if (left == 0) {
            return -1;
        }
        int n = in.read(b, off, (int) Math.min(len, left));
        if (n < 0) {
            throw new EOFException("the connection ended " + left + " bytes before the end of the request body");
        }
        left -= n;
        return n;
    }

    @Override
    public int available() {
        return (int) Math.min(left, in.buffered());
    }

    @Override
    boolean isComplete() {
        return left == 0;
    }
}
