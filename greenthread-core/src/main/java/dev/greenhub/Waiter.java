package dev.greenhub;

/**
 * One wait of one thread for something another thread completes: the waiter primitive every
 * greenhub blocking point (events, semaphores, queues, pools, joins, fd waits, thread-pool calls,
 * greenlet switches) is built on.
 *
 * <p>A primitive makes a waiter on the waiting thread, puts it where the signaller finds it (its
 * waiter list), and calls {@link #await()} or {@link #await(long)}; the signaller changes the
 * primitive's state and then calls {@link #complete()}. Subclasses carry what the signaller hands
 * over (an event's value, a queue's item):
 * <pre>{@code
 * Waiter w = new Waiter();
 * synchronized (lock) {
 *     if (isSet) {                 // the check before the wait belongs to the primitive
 *         return true;
 *     }
 *     waiters.add(w);
 * }
 * try {
 *     return w.await(deadline);    // false: the deadline passed first
 * } finally {
 *     synchronized (lock) {
 *         waiters.remove(w);       // timeouts and kills leave early
 *     }
 * }
 * // send():  synchronized (lock) { isSet = true; waiters drained }  then  w.complete() for each
 * }</pre>
 *
 * <h2>Why one primitive</h2>
 * The wait parks first and checks only after a park, in one place. A check made after a park
 * must not share its bytecode with a check made before the first park: C2 may compile a method
 * while many threads are parked in it, when the shared check has only ever seen "not yet"; it
 * then prunes the "done" exit, and every parked frame takes an uncommon trap (one
 * deoptimisation per woken thread) when it resumes. {@link #await} never checks before parking,
 * so its checks are profiled only with the outcomes resumed threads see.
 *
 * <h2>Threading and errors</h2>
 * Only the waiter's own thread may await it ({@link WrongThreadException}); {@link #complete()}
 * is thread-safe. A kill ({@link Fiber#kill(Throwable)}) is thrown from {@code await}, even if the
 * waiter was completed meanwhile: check {@link #isCompleted()} in the primitive's cleanup to hand
 * on what the waiter was given. A waiter is used for one wait.
 */
public class Waiter {
    private final Fiber fiber;
    private volatile boolean completed;

    /** A waiter for the calling thread (a green thread, or a platform thread running its loop). */
    public Waiter() {
        this(Fiber.current());
    }

    Waiter(Fiber fiber) {
        this.fiber = fiber;
    }

    /**
     * The waiting thread's fiber.
     *
     * @return the fiber
     */
    public final Fiber fiber() {
        return fiber;
    }

    /**
     * The waiting thread.
     *
     * @return the thread
     */
    public final Thread thread() {
        return fiber.thread;
    }

    /**
     * Whether {@link #complete()} was called.
     *
     * @return true once completed
     */
    public final boolean isCompleted() {
        return completed;
    }

    /**
     * Completes the wait and resumes the waiting thread. Thread-safe; call it after changing the
     * state the waiter is waiting for. The primitive decides (under its own lock, if it has one)
     * which waiter is completed; completing one twice is harmless.
     */
    public final void complete() {
        completed = true;
        fiber.unpark();
    }

    /** As {@link #complete()}, resuming the waiter before other ready work (a greenlet switch). */
    final void completeDirect() {
        completed = true;
        fiber.switchResume();
    }

    /**
     * Waits until {@link #complete()} is called or the thread is killed. Returns at once if
     * already completed.
     *
     * @throws WrongThreadException if the caller is not the waiter's thread
     */
    public final void await() {
        Fiber f = fiber;
        if (f.green) {
            f.parkUntilCompleted(this); // the same loop, a few frames shallower (see Fiber)
            return;
        }
        // Park first, then check: complete() unparks after completing, so its permit wakes this
        // park, and the check below runs only after a park (see the class comment).
        while (true) {
            f.park();
            if (completed) {
                return;
            }
        }
    }

    /**
     * Waits until {@link #complete()} is called, the deadline passes or the thread is killed.
     *
     * @param deadlineNanos on the {@link System#nanoTime()} clock; {@link Long#MAX_VALUE} waits
     *     without a deadline
     * @return true if completed, false if the deadline passed first
     * @throws WrongThreadException if the caller is not the waiter's thread
     */
    public final boolean await(long deadlineNanos) {
        if (deadlineNanos == Long.MAX_VALUE) {
            if (fiber.green) {
                fiber.parkUntilCompleted(this);
            } else {
                await();
            }
            return true;
        }
        while (true) {
            boolean unparked = fiber.parkUntil(deadlineNanos);
            if (completed) {
                return true;
            }
            if (!unparked) {
                return false;
            }
        }
    }
}
