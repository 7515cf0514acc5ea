package dev.greenhub;

import java.util.Iterator;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A set of tasks whose results are read back in the order they were spawned (eventlet's
 * {@code GreenPile}). It runs its tasks in a {@link GreenPool}: its own, or one shared with other
 * piles.
 *
 * <p>Iterating waits for each result in turn: {@link #next()} returns the result of the oldest
 * task not yet read, or throws a {@link GreenThreadException} whose cause is that task's
 * exception (the iteration can go on). {@link #hasNext()} is true while spawned results are
 * unread; it counts a spawn as soon as it begins, so a reader sees the result of a spawn that is
 * still waiting for a pool slot in another green thread. {@link #iterator()} returns the pile
 * itself, so that {@code for (T r : pile)} consumes the results.
 *
 * <h2>Threading</h2>
 * Thread-safe. Read the results from one thread at a time.
 *
 * @param <T> the result type
 */
public final class GreenPile<T> implements Iterator<T>, Iterable<T> {
    private final GreenPool pool;
    private final GreenQueue<GreenThread<T>> spawned = new GreenQueue<>();
    private final AtomicInteger unread = new AtomicInteger();

    /** A pile with its own pool of {@value GreenPool#DEFAULT_SIZE}. */
    public GreenPile() {
        this(new GreenPool());
    }

    /**
     * A pile with its own pool of {@code size}.
     *
     * @param size the pool size; not negative (0: spawns wait until the pool is resized)
     * @throws IllegalArgumentException if {@code size} is negative
     */
    public GreenPile(int size) {
        this(new GreenPool(size));
    }

    /**
     * A pile that runs its tasks in {@code pool}, sharing its limit with the pool's other users.
     *
     * @param pool the pool
     */
    public GreenPile(GreenPool pool) {
        this.pool = Objects.requireNonNull(pool, "pool");
    }

    /**
     * The pool the tasks run in.
     *
     * @return the pool
     */
    public GreenPool pool() {
        return pool;
    }

    /**
     * Runs {@code task} in the pool (waiting for a slot as {@link GreenPool#spawn} does); its
     * result is read back in spawn order. If the spawn fails (a kill while waiting for a slot),
     * the pile is as before.
     *
     * @param task the work
     * @return the green thread running it
     */
    public GreenThread<T> spawn(Callable<T> task) {
        Objects.requireNonNull(task, "task");
        unread.incrementAndGet();
        GreenThread<T> g;
        try {
            g = pool.spawn(task);
        } catch (RuntimeException | Error e) {
            unread.decrementAndGet();
            throw e;
        }
        spawned.put(g);
        return g;
    }

    /**
     * Whether results of spawned tasks are still unread.
     *
     * @return true if {@link #next()} has a result
     */
    @Override
    public boolean hasNext() {
        return unread.get() > 0;
    }

    /**
     * The result of the oldest unread task, waiting for it.
     *
     * @return its value
     * @throws GreenThreadException if that task failed (its cause)
     * @throws NoSuchElementException if all results have been read
     */
    @Override
    public T next() {
        if (unread.get() <= 0) {
            throw new NoSuchElementException("no unread results in the pile");
        }
        GreenThread<T> g = spawned.get();
        unread.decrementAndGet();
        return g.get();
    }

    /**
     * This pile, for a for-each loop over its results.
     *
     * @return this pile
     */
    @Override
    public Iterator<T> iterator() {
        return this;
    }

    @Override
    public String toString() {
        return "GreenPile[" + unread.get() + " unread, " + pool + "]";
    }
}
