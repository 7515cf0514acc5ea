package dev.greenhub;

import java.util.ArrayList;
import java.util.List;

/**
 * The green threads of one scheduler that are running or waiting to start: a list linked through
 * the greenlets themselves (no hashing, no entry objects, no table to grow on spawn-heavy work).
 * Carrier-confined.
 */
final class LiveList {
    private Greenlet head;
    private int size;
    /** How many were ever added and removed; read without synchronisation for statistics. */
    private long added;
    private long removed;

    void add(Greenlet g) {
        if (g.live) {
            return;
        }
        g.live = true;
        g.livePrev = null;
        g.liveNext = head;
        if (head != null) {
            head.livePrev = g;
        }
        head = g;
        size++;
        added++;
    }

    void remove(Greenlet g) {
        if (!g.live) {
            return;
        }
        g.live = false;
        Greenlet prev = g.livePrev;
        Greenlet next = g.liveNext;
        if (prev == null) {
            head = next;
        } else {
            prev.liveNext = next;
        }
        if (next != null) {
            next.livePrev = prev;
        }
        g.livePrev = null;
        g.liveNext = null;
        size--;
        removed++;
    }

    int size() {
        return size;
    }

    long added() {
        return added;
    }

    long removed() {
        return removed;
    }

    /** The live greenlet whose thread is {@code t}, or null; a linear search. */
    Greenlet find(Thread t) {
        for (Greenlet g = head; g != null; g = g.liveNext) {
            if (g.fiber.thread == t) {
                return g;
            }
        }
        return null;
    }

    List<Greenlet> snapshot() {
        List<Greenlet> out = new ArrayList<>(size);
        for (Greenlet g = head; g != null; g = g.liveNext) {
            out.add(g);
        }
        return out;
    }
}
