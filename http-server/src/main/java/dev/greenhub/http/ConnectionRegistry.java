package dev.greenhub.http;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The connections of one server over all its hubs: the cap on how many are served at once, and
 * the graceful stop, which closes the idle ones and lets the busy ones finish their request.
 * Thread-safe (hubs admit and release connections concurrently).
 */
final class ConnectionRegistry {
    private final int max;
    private final AtomicInteger count = new AtomicInteger();
    private final Set<ConnectionState> connections = ConcurrentHashMap.newKeySet();
    private volatile boolean draining;

    ConnectionRegistry(int max) {
        this.max = max;
    }

    /** Admits a connection; false if the cap is reached (the caller answers 503). */
    boolean admit(ConnectionState c) {
        if (count.incrementAndGet() > max) {
            count.decrementAndGet();
            return false;
        }
        connections.add(c);
        if (draining) {
            c.closeIfIdle();
        }
        return true;
    }

    void release(ConnectionState c) {
        if (connections.remove(c)) {
            count.decrementAndGet();
        }
    }

    boolean isDraining() {
        return draining;
    }

    /** Starts a graceful stop: idle connections close now, busy ones after their response. */
    void drain() {
        draining = true;
        for (ConnectionState c : connections) {
            c.closeIfIdle();
        }
    }

    int count() {
        return count.get();
    }
}
