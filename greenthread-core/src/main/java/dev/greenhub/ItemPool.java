package dev.greenhub;

import java.time.Duration;
import java.util.ArrayDeque;
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
 * many callers work at once. Not reproduced from eventlet: {@code min_size} (create eagerly by
 * getting and putting back), {@code resize} and the {@code item()} context manager (use
 * try/finally with {@link #put}).
 *
 * <h2>Threading</h2>
 * Thread-safe. Waits park a green thread (a platform thread runs its scheduler's loop meanwhile);
 * a kill or a {@link Timeout} ends a wait with its exception and takes nothing. Waiters are
 * served in arrival order.
 *
 * @param <T> the item type
 */
public final class ItemPool<T> {
    private final int maxSize;
    private final Supplier<? extends T> creator;
    private final Semaphore slots;
    private final ArrayDeque<T> free = new ArrayDeque<>();
    private int created;

    /**
     * A pool of at most {@code maxSize} items made by {@code creator}.
     *
     * @param maxSize how many items may exist at once; at least 1
     * @param creator makes an item when none is free and fewer than {@code maxSize} exist
     * @throws IllegalArgumentException if {@code maxSize} is less than 1
     */
    public ItemPool(int maxSize, Supplier<? extends T> creator) {
        if (maxSize < 1) {
            throw new IllegalArgumentException("maxSize must be at least 1, not " + maxSize);
        }
        this.maxSize = maxSize;
        this.creator = Objects.requireNonNull(creator, "creator");
        this.slots = new Semaphore(maxSize);
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
     * @param timeout how long at most; not negative
     * @return the item, or empty if the time passed first
     * @throws IllegalArgumentException if the timeout is negative
     */
    public Optional<T> get(Duration timeout) {
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
                synchronized (free) {
                    created--;
                }
                slots.release();
            }
        }
    }

    /**
     * Gives an item back, waking the longest waiter if any.
     *
     * @param item an item {@link #get()} handed out
     * @throws IllegalStateException if more items are put back than were handed out
     */
    public void put(T item) {
        Objects.requireNonNull(item, "item");
        synchronized (free) {
            if (free.size() >= created) {
                throw new IllegalStateException("put back more items than were taken from " + this);
            }
            free.addLast(item);
        }
        slots.release();
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
        return maxSize;
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
        return "ItemPool[" + size() + " of " + maxSize + " created, " + free() + " free]";
    }
}
