package dev.greenhub;

/**
 * A callback scheduled on a {@link Scheduler}'s timer heap, as returned by
 * {@link Scheduler#callLater} and {@link Scheduler#callAt}.
 *
 * <p>The callback runs on the scheduler's carrier thread, inside the hub loop, once its deadline
 * has passed ({@link System#nanoTime()} at or after the deadline); timers with equal deadlines run
 * in the order they were scheduled. A callback must not block: it may unpark or spawn green
 * threads, schedule timers and cancel timers. An exception it throws is reported by the
 * scheduler's exception reporter and the loop goes on.
 *
 * <p>Not thread-safe: use a timer only from its scheduler's own threads (its green threads and its
 * carrier).
 */
public final class Timer {
    static final int PENDING = 0;
    static final int CANCELLED = 1;
    static final int FIRED = 2;

    private final TimerQueue queue;
    final long deadline;
    final long sequence;
    /** What to run; dropped (null) once the timer is cancelled or has fired. */
    Runnable callback;
    int state;
    /** Position in the heap, or -1 when not in it. */
    int heapIndex = -1;

    Timer(TimerQueue queue, long deadline, long sequence, Runnable callback) {
        this.queue = queue;
        this.deadline = deadline;
        this.sequence = sequence;
        this.callback = callback;
    }

    /**
     * Cancels the timer if it has not run yet. O(1): the callback (and whatever it holds) is
     * dropped at once; the timer itself stays stored until its deadline or until the store is
     * compacted, and never runs.
     *
     * @return true if this call cancelled it, false if it had already run or been cancelled
     */
    public boolean cancel() {
        if (state != PENDING) {
            return false;
        }
        state = CANCELLED;
        callback = null;
        queue.cancelled();
        return true;
    }

    /**
     * Whether {@link #cancel()} stopped this timer.
     *
     * @return true if cancelled before it ran
     */
    public boolean isCancelled() {
        return state == CANCELLED;
    }

    /**
     * Whether the callback has been called (it may have thrown).
     *
     * @return true once it ran
     */
    public boolean isCalled() {
        return state == FIRED;
    }

    /**
     * The deadline, on the {@link System#nanoTime()} clock.
     *
     * @return the deadline in nanoseconds
     */
    public long deadlineNanos() {
        return deadline;
    }

    /** Marks the timer fired and hands out its callback, which it no longer holds. */
    Runnable fire() {
        state = FIRED;
        Runnable c = callback;
        callback = null;
        return c;
    }

    /**
     * What the timer does: its callback's description, for diagnostics.
     *
     * @return the callback's {@code toString()}, or what became of the timer once it ran or was
     *     cancelled
     */
    String describe() {
        Runnable c = callback;
        return c != null ? c.toString() : state == CANCELLED ? "(cancelled)" : "(called)";
    }

    @Override
    public String toString() {
        return "Timer[" + (state == PENDING ? "pending" : state == CANCELLED ? "cancelled" : "called")
                + ", in " + (deadline - System.nanoTime()) + " ns, #" + sequence + ": " + describe() + "]";
    }
}
