package dev.greenhub;

import java.util.ArrayDeque;

/**
 * The threads waiting in a {@link GreenQueue}'s get and put, each kind in FIFO order, and their
 * waits: how a getter or putter that times out or is killed leaves without losing an item. Guarded
 * by the queue's lock, which it is given with the queue's store (where an item a killed getter was
 * handed goes back when no other getter waits).
 *
 * @param <E> the item type
 */
final class QueueWaiters<E> {
    /** A waiting getter: completed, under the lock, once an item is handed to it. */
    static final class Getter<E> extends Waiter {
        E item;

        void hand(E it) {
            item = it;
            complete();
        }
    }

    /** A waiting putter: completed, under the lock, once its item is taken. */
    static final class Putter<E> extends Waiter {
        final E item;

        Putter(E item) {
            this.item = item;
        }

        void finish() {
            complete();
        }
    }

    private final Object lock;
    private final QueueStore<E> store;
    private final ArrayDeque<Getter<E>> getters = new ArrayDeque<>();
    private final ArrayDeque<Putter<E>> putters = new ArrayDeque<>();

    QueueWaiters(Object lock, QueueStore<E> store) {
        this.lock = lock;
        this.store = store;
    }

    /** Under the lock: the longest-waiting getter, removed, or null. */
    Getter<E> nextGetter() {
        return getters.pollFirst();
    }

    /** Under the lock: the longest-waiting putter, removed, or null. */
    Putter<E> nextPutter() {
        return putters.pollFirst();
    }

    /** Under the lock. */
    boolean noPutters() {
        return putters.isEmpty();
    }

    /** Under the lock. */
    int getting() {
        return getters.size();
    }

    /** Under the lock. */
    int putting() {
        return putters.size();
    }

    /** Under the lock: the caller waits to put {@code item}, after the putters already waiting. */
    Putter<E> addPutter(E item) {
        Putter<E> p = new Putter<>(item);
        putters.addLast(p);
        return p;
    }

    /** Under the lock: the caller waits for an item, after the getters already waiting. */
    Getter<E> addGetter() {
        Getter<E> g = new Getter<>();
        getters.addLast(g);
        return g;
    }

    /**
     * Not under the lock: waits until {@code p}'s item is taken (true), or the deadline passes
     * first (when {@code timed}; false, the item withdrawn). A kill is thrown; it withdraws the
     * item unless it was taken already.
     */
    boolean awaitTaken(Putter<E> p, boolean timed, long deadline) {
        boolean finished = false;
        try {
            if (p.await(timed ? deadline : Long.MAX_VALUE)) {
                finished = true;
                return true;
            }
            synchronized (lock) {
                finished = true;
                if (p.isCompleted()) {
                    return true; // taken just as the time ran out
                }
                putters.remove(p);
                return false;
            }
        } finally {
            if (!finished) {
                synchronized (lock) {
                    if (!p.isCompleted()) {
                        putters.remove(p);
                    }
                }
            }
        }
    }

    /**
     * Not under the lock: waits until an item is handed to {@code g} and returns it, or null if
     * the deadline passes first (when {@code timed}). A kill is thrown; an item handed to the
     * getter before it goes to the next getter or back to the head of the queue.
     */
    E awaitItem(Getter<E> g, boolean timed, long deadline) {
        boolean finished = false;
        try {
            if (g.await(timed ? deadline : Long.MAX_VALUE)) {
                finished = true;
                return g.item;
            }
            synchronized (lock) {
                finished = true;
                if (g.isCompleted()) {
                    return g.item; // handed over as the time ran out: not swallowed
                }
                getters.remove(g);
                return null;
            }
        } finally {
            if (!finished) {
                synchronized (lock) {
                    if (g.isCompleted()) {
                        putBack(g.item); // killed after an item was handed to it
                    } else {
                        getters.remove(g);
                    }
                }
            }
        }
    }

    /** Under the lock: an item a killed getter never returned goes to the next getter or the head. */
    private void putBack(E item) {
        Getter<E> next = getters.pollFirst();
        if (next != null) {
            next.hand(item);
        } else {
            store.addFront(item);
        }
    }
}
