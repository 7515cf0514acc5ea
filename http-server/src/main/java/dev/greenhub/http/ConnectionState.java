package dev.greenhub.http;

import dev.greenhub.net.GreenSocket;
import java.io.IOException;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Whether a connection is between requests (idle), serving one (busy), or closed by a graceful
 * stop. A stop closes idle connections at once and lets busy ones finish their request; the
 * compare-and-set makes sure a connection that has just begun a request is not cut off.
 */
final class ConnectionState {
    private static final int IDLE = 0;
    private static final int BUSY = 1;
    private static final int CLOSED = 2;
    private final AtomicInteger state = new AtomicInteger(BUSY);
    final GreenSocket socket;

    ConnectionState(GreenSocket socket) {
        this.socket = socket;
    }

    /** A request has begun; false if a stop closed the connection first. */
    boolean becomeBusy() {
        return state.compareAndSet(IDLE, BUSY);
    }

    /** The request is done and the connection waits for the next one. */
    void becomeIdle() {
        state.compareAndSet(BUSY, IDLE);
    }

    /** From a stopping thread: closes the connection if it is idle. */
    void closeIfIdle() {
        if (state.compareAndSet(IDLE, CLOSED)) {
            try {
                socket.close();
            } catch (IOException e) {
                System.getLogger("dev.greenhub.http").log(System.Logger.Level.DEBUG, "closing " + socket, e);
            }
        }
    }
}
