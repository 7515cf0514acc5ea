package dev.greenhub;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * A pool of reusable objects (connections, parsers, buffers) with green waiting (eventlet's
 * {@code pools.Pool}): {@link #get()} hands out a free item, or creates one while fewer than
 * {@link #maxSize()} exist, or waits green until one is {@link #put} back.
 *
 * <p>Free items are handed out most recently returned first (eventlet's default,
 * {@code order_as_stack=False}, hands out the oldest first; a stack keeps fewer items warm). Items
 * are created lazily, on the caller's thread; a creator that throws leaves the pool as it was.
 * eventlet's {@code TokenPool} is {@code new ItemPool<>(n, Object::new)}: n tokens that bound how
 * many callers work at once. {@link #resize} changes the maximum as eventlet's does: growing lets
 * waiters in at once; shrinking leaves the items that are out alone, and drops items put back
 * while more exist than the new maximum. Not reproduced from eventlet: {@code min_size} (create
 * eagerly by getting and putting back) and the {@code item()} context manager (use try/finally
 * with {@link #put}).
 *
 * <h2>Threading</h2>
 * Thread-safe. Waits park a green thread (a platform thread runs its scheduler's loop meanwhile);
 * a kill or a {@link Timeout} ends a wait with its exception and takes nothing. Waiters are
 * served in arrival order.
 *
 * @param <T> the item type
 */
public final class ItemPool<T> {
    private final Supplier<? extends T> creator;
    /** One unit per item that may be got without waiting: free, or still to be created. */
    private final Semaphore slots;
    /** Guarded by itself: the free items, and the counts below. */
    private final ArrayDeque<T> free = new ArrayDeque<>();
    private int maxSize;
    private int created;
    /** Slots a shrink still has to take away: the next ones given back are dropped. */
    private int excess;

    /**
     * A pool of at most {@code maxSize} items made by {@code creator}.
     *
     * @param maxSize how many items may exist at once; not negative (0, as in eventlet, makes
     *     every {@link #get()} wait until a {@link #resize})
     * @param creator makes an item when none is free and fewer than {@code maxSize} exist
     * @throws IllegalArgumentException if {@code maxSize} is negative
     */
    public ItemPool(int maxSize, Supplier<? extends T> creator) {
        this.maxSize = checkMaxSize(maxSize);
        this.creator = Objects.requireNonNull(creator, "creator");
        this.slots = new Semaphore(maxSize);
    }

    private static int checkMaxSize(int maxSize) {
        if (maxSize < 0) {
            throw new IllegalArgumentException("maxSize must not be negative: " + maxSize);
        }
        return maxSize;
    }

    /**
     * Takes a free item, or creates one, waiting while all {@link #maxSize()} are out.
     *
     * @return the item; give it back with {@link #put}
     * @throws NullPointerException if the creator returned null
     */
    public T get() {
        slots.acquire();
        return take();
    }

    /**
     * As {@link #get()}, waiting at most {@code timeout}.
     *
     * @param timeout how long at most; not negative; zero tries once without waiting; a huge
     *     timeout is clamped to about 73 years
     * @return the item, or empty if the time passed first
     * @throws IllegalArgumentException if the timeout is negative
     */
    public Optional<T> get(Duration timeout) {
        TimeoutArgs.nanos(timeout, "get()", null);
        if (!slots.tryAcquire(timeout)) {
            return Optional.empty();
        }
        return Optional.of(take());
    }

    private T take() {
        synchronized (free) {
            T item = free.pollLast();
            if (item != null) {
                return item;
            }
            created++;
        }
        boolean ok = false;
        try {
            T item = Objects.requireNonNull(creator.get(), "the pool's creator returned null");
            ok = true;
            return item;
        } finally {
            if (!ok) {
                boolean drop;
                synchronized (free) {
                    created--;
                    drop = excess > 0;
                    if (drop) {
                        excess--;
                    }
                }
                if (!drop) {
                    slots.release();
                }
            }
        }
    }

    /**
     * Gives an item back, waking the longest waiter if any. After a {@link #resize} that shrank
     * the pool below the number of items that exist, the item is dropped instead (no longer
     * counted, never handed out again; close it if it holds resources).
     *
     * @param item an item {@link #get()} handed out
     * @return true if the pool kept it, false if it was dropped
     * @throws IllegalStateException if more items are put back than were handed out
     */
    public boolean put(T item) {
        Objects.requireNonNull(item, "item");
        synchronized (free) {
            if (free.size() >= created) {
                throw new IllegalStateException("put back more items than were taken from " + this);
            }
            if (excess > 0) {
                excess--;
                created--;
                return false;
            }
            free.addLast(item);
        }
        slots.release();
        return true;
    }

    /**
     * Changes the maximum (eventlet's {@code resize}). Growing lets waiting getters in at once.
     * Shrinking drops free items beyond the new maximum at once and, while more items exist than
     * the new maximum, the items put back ({@link #put} returns false); items that are out are
     * not touched.
     *
     * @param newMaxSize the new maximum; not negative
     * @return the free items dropped at once, for the caller to close if they hold resources
     * @throws IllegalArgumentException if {@code newMaxSize} is negative
     */
    public List<T> resize(int newMaxSize) {
        checkMaxSize(newMaxSize);
        List<T> dropped = new ArrayList<>();
        int release;
        synchronized (free) {
            int delta = newMaxSize - maxSize;
            maxSize = newMaxSize;
            if (delta >= 0) {
                int cancelled = Math.min(excess, delta);
                excess -= cancelled;
                release = delta - cancelled;
            } else {
                excess += -delta;
                release = 0;
                // take away the slots that are free now: each is a free item or one not yet created
                while (excess > 0 && slots.tryAcquire()) {
                    excess--;
                    T item = free.pollFirst();
                    if (item != null) {
                        created--;
                        dropped.add(item);
                    }
                }
            }
        }
        for (int i = 0; i < release; i++) {
            slots.release();
        }
        return dropped;
    }

    /**
     * How many items may be got without waiting: the free ones plus those that may still be
     * created (eventlet's {@code free()}).
     *
     * @return the number
     */
    public int free() {
        return slots.counter();
    }

    /**
     * How many items exist (handed out or free).
     *
     * @return the number created so far
     */
    public int size() {
        synchronized (free) {
            return created;
        }
    }

    /**
     * The most items that exist at once.
     *
     * @return the maximum size
     */
    public int maxSize() {
        synchronized (free) {
            return maxSize;
        }
    }

    /**
     * How many threads wait for an item (eventlet's {@code waiting()}).
     *
     * @return the number of waiters
     */
    public int waiting() {
        return slots.waiting();
    }

    @Override
    public String toString() {
        return "ItemPool[" + size() + " of " + maxSize() + " created, " + free() + " free]";
    }
}
