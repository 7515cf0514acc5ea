package dev.greenhub;

import java.time.Duration;
import java.util.ArrayDeque;

/**
 * A counting semaphore for green threads (eventlet's {@code Semaphore}).
 *
 * <p>{@link #acquire()} takes one unit of the counter, waiting while it is zero;
 * {@link #release()} gives one back. Waiters are served strictly in FIFO order: a release while
 * threads wait hands its unit directly to the longest waiter (the counter stays at zero), and a
 * new acquirer never overtakes waiting ones.
 *
 * <h2>Timeouts and kills</h2>
 * {@link #tryAcquire()} never waits; {@link #tryAcquire(Duration)} returns false when the time
 * passes first. A kill (such as a {@link Timeout}) is thrown from a waiting acquire, which then
 * holds nothing: a unit handed to it at the same moment is passed on to the next waiter.
 *
 * <h2>Threading</h2>
 * Thread-safe. Acquirers may be green threads of any scheduler or platform threads (which run
 * their scheduler's loop while they wait); {@link #release()} may be called from any thread.
 */
public sealed class Semaphore permits BoundedSemaphore {
    final Object lock = new Object();
    int counter;
    private final ArrayDeque<GrantWaiter> waiters = new ArrayDeque<>();

    /**
     * A semaphore with {@code value} units.
     *
     * @param value the initial counter; not negative
     * @throws IllegalArgumentException if {@code value} is negative
     */
    public Semaphore(int value) {
        if (value < 0) {
            throw new IllegalArgumentException("semaphore value must not be negative: " + value);
        }
        this.counter = value;
    }

    /** A semaphore with one unit (a lock that any thread may release). */
    public Semaphore() {
        this(1);
    }

    /**
     * Takes a unit, waiting as long as it takes.
     */
    public void acquire() {
        acquire(false, 0);
    }

    /**
     * Takes a unit if one is free and nobody waits (eventlet's {@code acquire(blocking=False)}).
     *
     * @return true if taken
     */
    public boolean tryAcquire() {
        synchronized (lock) {
            if (counter > 0 && waiters.isEmpty()) {
                counter--;
                return true;
            }
            return false;
        }
    }

    /**
     * Takes a unit, waiting at most {@code timeout} (eventlet's {@code acquire(timeout=...)};
     * eventlet's {@code acquire(blocking=False)} is {@link #tryAcquire()}, so the two cannot be
     * mixed up).
     *
     * @param timeout how long at most; not negative. Zero tries once without waiting or yielding,
     *     exactly as {@link #tryAcquire()} (eventlet yields one loop turn for a zero timeout).
     *     A huge timeout is clamped to about 73 years.
     * @return true if taken, false if the time passed first
     * @throws IllegalArgumentException if the timeout is negative (the message names what to call
     *     instead)
     */
    public boolean tryAcquire(Duration timeout) {
        long nanos = TimeoutArgs.nanos(timeout, "acquire()", "tryAcquire()");
        if (nanos == 0) {
            return tryAcquire();
        }
        return acquire(true, Scheduler.deadlineAfter(nanos));
    }

    private boolean acquire(boolean timed, long deadline) {
        GrantWaiter w = new GrantWaiter();
        synchronized (lock) {
            if (counter > 0 && waiters.isEmpty()) {
                counter--;
                return true;
            }
            waiters.addLast(w);
        }
        boolean granted = false;
        try {
            if (w.await(timed ? deadline : Long.MAX_VALUE)) {
                granted = true;
                return true;
            }
            synchronized (lock) {
                granted = w.granted; // granted just as the deadline passed
                return granted;
            }
        } finally {
            if (!granted) {
                GrantWaiter.withdraw(lock, waiters, w, this::releaseUnit); // a unit handed to it goes on
            }
        }
    }

    /**
     * Gives a unit back, waking the longest waiter if any.
     *
     * @throws IllegalStateException for a {@link BoundedSemaphore} already at its initial value,
     *     or when the counter is already {@link Integer#MAX_VALUE} (it would wrap)
     */
    public void release() {
        releaseUnit();
    }

    final void releaseUnit() {
        GrantWaiter next;
        synchronized (lock) {
            checkRelease();
            next = waiters.pollFirst();
            if (next == null) {
                if (counter == Integer.MAX_VALUE) {
                    throw new IllegalStateException("semaphore counter is already Integer.MAX_VALUE ("
                            + Integer.MAX_VALUE + "); a release would wrap it: release only units that"
                            + " were acquired");
                }
                counter++;
                return;
            }
            next.granted = true;
        }
        next.complete();
    }

    /** Called under the lock before a release; BoundedSemaphore refuses an over-release. */
    void checkRelease() {
    }

    /**
     * The number of free units (eventlet's {@code counter}).
     *
     * @return the counter
     */
    public int counter() {
        synchronized (lock) {
            return counter;
        }
    }

    /**
     * The counter minus the number of waiters (eventlet's {@code balance}): positive, how many
     * acquires would not wait; negative, how many releases the waiters need.
     *
     * @return the balance
     */
    public int balance() {
        synchronized (lock) {
            return counter - waiters.size();
        }
    }

    /**
     * Whether an {@link #acquire()} would wait now.
     *
     * @return true if no unit is free (or others wait)
     */
    public boolean isLocked() {
        synchronized (lock) {
            return counter <= 0 || !waiters.isEmpty();
        }
    }

    /**
     * How many threads are waiting in acquire.
     *
     * @return the number of waiters
     */
    public int waiting() {
        synchronized (lock) {
            return waiters.size();
        }
    }

    @Override
    public String toString() {
        synchronized (lock) {
            return getClass().getSimpleName() + "[counter=" + counter + ", " + waiters.size() + " waiting]";
        }
    }
}
