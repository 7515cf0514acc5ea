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

    final Scheduler scheduler;
    final long deadline;
    final long sequence;
    final Runnable callback;
    int state;
    /** Position in the heap, or -1 when not in it. */
    int heapIndex = -1;

    Timer(Scheduler scheduler, long deadline, long sequence, Runnable callback) {
        this.scheduler = scheduler;
        this.deadline = deadline;
        this.sequence = sequence;
        this.callback = callback;
    }

    /**
     * Cancels the timer if it has not run yet. O(1): a cancelled timer stays in the heap until its
     * deadline or until the heap is compacted, and never runs.
     *
     * @return true if this call cancelled it, false if it had already run or been cancelled
     */
    public boolean cancel() {
        if (state != PENDING) {
            return false;
        }
        state = CANCELLED;
        scheduler.timerCancelled();
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

    @Override
    public String toString() {
        return "Timer[" + (state == PENDING ? "pending" : state == CANCELLED ? "cancelled" : "called")
                + ", in " + (deadline - System.nanoTime()) + " ns, #" + sequence + "]";
    }
}
