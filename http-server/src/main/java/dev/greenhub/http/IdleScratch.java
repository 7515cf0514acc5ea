package dev.greenhub.http;

import dev.greenhub.Scheduler;
import java.util.concurrent.ConcurrentHashMap;

/**
 * One read buffer per hub for connections that idled long enough to give their own buffers back.
 * Such a connection waits for its next request by reading into its hub's scratch buffer; the
 * read(2) that fills it and the copy into a fresh buffer of the connection's own follow each other
 * in the same green thread with no wait between them, and a hub runs one green thread at a time,
 * so connections of one hub can share it. Thread-safe (hubs look theirs up concurrently).
 */
final class IdleScratch {
    private final int size;
    private final ConcurrentHashMap<Scheduler, byte[]> perHub = new ConcurrentHashMap<>();

    IdleScratch(int size) {
        this.size = size;
    }

    /** The scratch buffer of {@code hub}, made at its first use. */
    byte[] of(Scheduler hub) {
        byte[] b = perHub.get(hub);
        return b != null ? b : perHub.computeIfAbsent(hub, h -> new byte[size]);
    }

    /** Forgets every hub's buffer (the server stopped). */
    void clear() {
        perHub.clear();
    }
}
