package dev.greenhub.http;

import dev.greenhub.IoClosedException;
import dev.greenhub.IoTimeoutException;
import java.io.IOException;

/**
 * The connection's clock for request heads: the idle timeout while waiting for a request's first
 * byte, then one deadline for the whole head, so that a client sending a byte now and then
 * (slowloris) is answered 408 and closed once {@link HttpLimits#headerTimeout()} has passed.
 *
 * <p>A connection that has waited {@link #BUFFER_HOLD_NANOS} for its next request gives its input
 * and output buffers back and waits the rest of the idle timeout holding none (the read that ends
 * the wait makes fresh ones): a busy connection keeps its buffers, an idle one holds none.
 */
final class ConnectionTimer {
    /** How long an idle connection keeps its buffers. */
    static final long BUFFER_HOLD_NANOS = 1_000_000_000L;
    private static final long NO_DEADLINE = Long.MIN_VALUE;
    private final long idleNanos;
    private final long headNanos;
    private final ConnectionState state;
    private long headDeadline = NO_DEADLINE;

    ConnectionTimer(HttpLimits limits, ConnectionState state) {
        this.idleNanos = limits.idleTimeout().toNanos();
        this.headNanos = limits.headerTimeout().toNanos();
        this.state = state;
    }

    /**
     * Waits for the first byte of the next request, up to the idle timeout, giving the buffers
     * back (and the head's {@linkplain RecentStrings recent strings}) after {@link #BUFFER_HOLD_NANOS}.
     *
     * @return false if the connection ended (also by a reset or another I/O error while waiting),
     *     idled out or was closed by a graceful stop first
     */
    boolean awaitFirstByte(ConnectionInput in, ConnectionOutput out, RecentStrings recent) throws IOException {
        boolean got;
        try {
            if (idleNanos <= BUFFER_HOLD_NANOS) {
                in.timeout(idleNanos);
                got = in.fill();
            } else {
                in.timeout(BUFFER_HOLD_NANOS);
                try {
                    got = in.fill();
                } catch (IoTimeoutException e) {
                    in.release();
                    out.release();
                    recent.release();
                    in.timeout(idleNanos - BUFFER_HOLD_NANOS);
                    got = in.fill();
                }
            }
        } catch (IoTimeoutException | IoClosedException e) {
            return false;
        } catch (IOException e) {
            // the client went away between requests (a reset, say): not a failure of the server
            System.getLogger("dev.greenhub.http").log(System.Logger.Level.DEBUG,
                    () -> "connection ended while waiting for a request: " + e);
            return false;
        }
        return got && state.becomeBusy();
    }

    /** A request's first byte is here: the head deadline starts (once per request). */
    void startHead() {
        if (headDeadline == NO_DEADLINE) {
            headDeadline = System.nanoTime() + headNanos;
        }
    }

    /** Reads more of a head before its deadline; false at the end of the stream. */
    boolean fillHead(ConnectionInput in) throws IOException {
        long left = headDeadline - System.nanoTime();
        if (left <= 0) {
            throw timedOut();
        }
        in.timeout(left);
        try {
            return in.fill();
        } catch (IoTimeoutException e) {
            throw timedOut();
        }
    }

    private HttpProtocolException timedOut() {
        return new HttpProtocolException(408, "the request head did not arrive within "
                + headNanos / 1_000_000L + " ms");
    }

    void endHead() {
        headDeadline = NO_DEADLINE;
    }
}
