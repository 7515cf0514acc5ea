package dev.greenhub;

import java.time.Duration;

/**
 * A semaphore whose counter stays between 0 and a limit, blocking at both ends (eventlet's
 * {@code CappedSemaphore}): {@link #acquire()} waits while the counter is 0, and
 * {@link #release()} waits while it is at the limit, until an acquire makes room. Unlike
 * {@link BoundedSemaphore}, whose release past the limit is an error, a release here is a green
 * wait.
 *
 * <p>Built from two {@link Semaphore}s, as eventlet's is: one counts the units that may be
 * acquired, the other the room left for releases. Waiters of each end are served in arrival
 * order.
 *
 * <h2>Threading</h2>
 * As {@link Semaphore}: thread-safe; waits park a green thread (a platform thread runs its
 * scheduler's loop meanwhile); a kill or a {@link Timeout} ends a wait with its exception, and a
 * wait that ends so has taken nothing.
 */
public final class CappedSemaphore {
    private final Semaphore units;
    private final Semaphore room;
    private final int limit;

    /**
     * A capped semaphore.
     *
     * @param count the initial counter; from 0 to {@code limit}
     * @param limit the largest the counter may be; not negative
     * @throws IllegalArgumentException if {@code limit} is negative or {@code count} outside
     *     {@code [0, limit]}
     */
    public CappedSemaphore(int count, int limit) {
        if (limit < 0) {
            throw new IllegalArgumentException("limit must not be negative: " + limit);
        }
        if (count < 0 || count > limit) {
            throw new IllegalArgumentException("count must be from 0 to the limit " + limit + ", not " + count);
        }
        this.units = new Semaphore(count);
        this.room = new Semaphore(limit - count);
        this.limit = limit;
    }

    /** Takes a unit, waiting while the counter is 0. */
    public void acquire() {
        units.acquire();
        room.release();
    }

    /**
     * Takes a unit if one is free and nobody waits for one, without waiting (eventlet's
     * {@code acquire(blocking=False)}).
     *
     * @return true if taken
     */
    public boolean tryAcquire() {
        if (!units.tryAcquire()) {
            return false;
        }
        room.release();
        return true;
    }

    /**
     * Takes a unit, waiting at most {@code timeout}.
     *
     * @param timeout how long at most; not negative; zero tries once without waiting, as
     *     {@link #tryAcquire()}; a huge timeout is clamped to about 73 years
     * @return true if taken, false if the time passed first
     * @throws IllegalArgumentException if the timeout is negative
     */
    public boolean tryAcquire(Duration timeout) {
        TimeoutArgs.nanos(timeout, "acquire()", "tryAcquire()");
        if (!units.tryAcquire(timeout)) {
            return false;
        }
        room.release();
        return true;
    }

    /** Gives a unit back, waiting while the counter is at the limit. */
    public void release() {
        room.acquire();
        units.release();
    }

    /**
     * Gives a unit back if the counter is below the limit and no releaser waits, without waiting.
     *
     * @return true if given back
     */
    public boolean tryRelease() {
        if (!room.tryAcquire()) {
            return false;
        }
        units.release();
        return true;
    }

    /**
     * Gives a unit back, waiting at most {@code timeout} for room.
     *
     * @param timeout how long at most; not negative; zero tries once without waiting, as
     *     {@link #tryRelease()}; a huge timeout is clamped to about 73 years
     * @return true if given back, false if the time passed first
     * @throws IllegalArgumentException if the timeout is negative
     */
    public boolean tryRelease(Duration timeout) {
        TimeoutArgs.nanos(timeout, "release()", "tryRelease()");
        if (!room.tryAcquire(timeout)) {
            return false;
        }
        units.release();
        return true;
    }

    /**
     * The counter: how many units may be acquired without waiting.
     *
     * @return from 0 to {@link #limit()}
     */
    public int counter() {
        return units.counter();
    }

    /**
     * The limit.
     *
     * @return the largest the counter may be
     */
    public int limit() {
        return limit;
    }

    /**
     * How many threads wait to acquire.
     *
     * @return the number of acquirers waiting
     */
    public int waitingToAcquire() {
        return units.waiting();
    }

    /**
     * How many threads wait to release.
     *
     * @return the number of releasers waiting
     */
    public int waitingToRelease() {
        return room.waiting();
    }

    @Override
    public String toString() {
        return "CappedSemaphore[" + counter() + " of " + limit + "]";
    }
}
