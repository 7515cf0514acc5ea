package dev.greenhub;

import java.util.ArrayDeque;

/**
 * A {@link GreenPool}'s slots: its size, the slots held (by running tasks, and handed to
 * spawners that have not resumed yet), the spawners waiting for one (FIFO), and the threads
 * waiting until none is held. Guarded by the pool's lock, which it is given.
 */
final class PoolSlots {
    private final Object lock;
    private int size;
    /** The slots held; waitAll waits for 0. */
    private final ZeroCount held;
    private final ArrayDeque<GrantWaiter> waiters = new ArrayDeque<>();

    PoolSlots(Object lock, int size) {
        this.lock = lock;
        this.size = size;
        this.held = new ZeroCount(lock);
    }

    /** Under the lock: whether a spawn would wait (all slots held, or spawners wait already). */
    boolean full() {
        return held.count() >= size || !waiters.isEmpty();
    }

    /** Under the lock. */
    int size() {
        return size;
    }

    /** Under the lock: the slots not held; negative after shrinking below the held count. */
    int free() {
        return size - held.count();
    }

    /** Under the lock: how many spawners wait for a slot. */
    int waiting() {
        return waiters.size();
    }

    /** Under the lock: changes the size; a larger one lets waiting spawners in. */
    void resize(int newSize) {
        size = newSize;
        grant();
    }

    /**
     * Takes a slot, waiting behind the spawners already waiting while none is free. A kill is
     * thrown; a slot handed over meanwhile is released again.
     */
    void acquire() {
        GrantWaiter w;
        synchronized (lock) {
            if (held.count() < size && waiters.isEmpty()) {
                held.add(1);
                return;
            }
            w = new GrantWaiter();
            waiters.addLast(w);
        }
        boolean granted = false;
        try {
            w.await(); // completed only once granted
            granted = true;
        } finally {
            if (!granted) {
                GrantWaiter.withdraw(lock, waiters, w, this::release); // killed after a slot was handed to it
            }
        }
    }

    /** Gives a slot back: to the longest-waiting spawner, else free; wakes waitAll if none is held. */
    void release() {
        synchronized (lock) {
            held.add(-1);
            grant();
            held.wakeIfZero();
        }
    }

    /** Under the lock: hands free slots to waiting spawners, longest waiting first. */
    private void grant() {
        while (held.count() < size) {
            GrantWaiter w = waiters.pollFirst();
            if (w == null) {
                return;
            }
            held.add(1);
            w.granted = true;
            w.complete();
        }
    }

    /** Not under the lock: waits until no slot is held; false if the deadline (when timed) passed. */
    boolean awaitIdle(boolean timed, long deadline) {
        return held.await(timed, deadline);
    }
}
