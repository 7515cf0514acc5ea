package dev.greenhub;

import java.util.ArrayList;
import java.util.List;

/**
 * A count guarded by its owner's lock (which it is given), and the threads that wait for it to be
 * 0: a queue's unfinished tasks for {@code join}, a pool's held slots for {@code waitAll}. The
 * owner changes the count and then calls {@link #wakeIfZero()}, both under the lock, so it can
 * decide when a passing 0 counts.
 */
final class ZeroCount {
    private final Object lock;
    private int count;
    /** How many times the waiters were woken at 0, so that one that timed out sees a 0 it missed. */
    private long zeroGeneration;
    private final List<Waiter> waiters = new ArrayList<>();

    ZeroCount(Object lock) {
        this.lock = lock;
    }

    /** Under the lock. */
    int count() {
        return count;
    }

    /** Under the lock: changes the count without waking anyone. */
    void add(int delta) {
        count += delta;
    }

    /** Under the lock: if the count is 0, wakes every waiter. */
    void wakeIfZero() {
        if (count == 0) {
            zeroGeneration++;
            for (Waiter w : waiters) {
                w.complete();
            }
        }
    }

    /**
     * Not under the lock: waits until the count is woken at 0; true at once if it is 0 (then
     * without making a waiter), false if the deadline (when {@code timed}) passed first.
     */
    boolean await(boolean timed, long deadline) {
        Waiter w;
        long generation;
        synchronized (lock) {
            if (count == 0) {
                return true;
            }
            w = new Waiter();
            generation = zeroGeneration;
            waiters.add(w);
        }
        try {
            if (w.await(timed ? deadline : Long.MAX_VALUE)) {
                return true;
            }
            synchronized (lock) {
                return count == 0 || zeroGeneration != generation;
            }
        } finally {
            synchronized (lock) {
                waiters.remove(w);
            }
        }
    }
}
