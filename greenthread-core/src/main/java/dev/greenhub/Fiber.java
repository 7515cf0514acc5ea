package dev.greenhub;

import java.util.Objects;
import java.util.concurrent.atomic.AtomicIntegerFieldUpdater;
import java.util.concurrent.atomic.AtomicReferenceFieldUpdater;
import java.util.concurrent.locks.LockSupport;

/**
 * The blocking point every greenhub primitive is built on: a thread of control that can be parked
 * and resumed — a green thread, or a platform thread that runs its {@link Scheduler}'s loop while
 * it waits (as eventlet's main greenlet switches to the hub).
 *
 * <h2>The protocol</h2>
 * Primitives wait with a {@link Waiter} (park first, check after, written once), which parks its
 * fiber here; a fiber is woken by {@link #unpark()}, its deadline or {@link #kill(Throwable)}.
 * Code that parks a fiber directly must loop on its own condition and keep the check made after a
 * park apart from any check made before the first park (see {@link Waiter} for why).
 *
 * <ul>
 *   <li><b>Permit.</b> {@link #unpark()} gives the fiber one permit (permits do not add up); a park
 *       consumes it and returns at once if it is already there. A park may therefore return
 *       because of an unpark meant for an earlier wait: always re-check the condition.</li>
 *   <li><b>Deadlines</b> are on the {@link System#nanoTime()} clock and are kept by a timer on the
 *       scheduler's heap (not by the JDK's timer threads). A deadline already passed still
 *       suspends the fiber for one loop turn unless a permit or a kill is pending.</li>
 *   <li><b>Kill.</b> {@link #kill(Throwable)} delivers an exception at once: a fiber parked here
 *       is resumed and its park throws that exception (unchanged, even if checked); a fiber that
 *       is not parked here throws it from its next park. A green thread blocked in a JDK call
 *       (Thread.sleep, a lock, a queue, a socket) is also interrupted, so the JDK call ends with
 *       its usual interruption exception.</li>
 *   <li><b>Interrupts.</b> A park here is not ended by {@link Thread#interrupt()} (only by unpark,
 *       the deadline or a kill), and it keeps the thread's interrupt status as it was.</li>
 *   <li><b>Platform threads.</b> A platform thread's fiber parks by running its scheduler's loop
 *       until it is unparked, killed or timed out. It must not park from inside the loop (from a
 *       timer callback or a task run by the scheduler): that is an {@link IllegalStateException}.</li>
 * </ul>
 *
 * <h2>Threading</h2>
 * Only the fiber's own thread may park it ({@link WrongThreadException} otherwise).
 * {@link #unpark()} and {@link #kill(Throwable)} may be called from any thread, at any time.
 */
public final class Fiber {
    final Scheduler scheduler;
    final Greenlet greenlet;
    final boolean green;
    Thread thread;
    // Plain volatile fields with field updaters rather than Atomic* objects: two objects fewer per
    // green thread (spawn-heavy work allocates and retains one fiber per thread). Not VarHandles:
    // a VarHandle call site that has not run yet is unlinked, and C2 compiles it as an "unloaded"
    // trap; the exchanges after a park have typically not run when awaitGreen is compiled while
    // many threads are parked, so every one of them would deoptimise when it resumes.
    private static final AtomicIntegerFieldUpdater<Fiber> PERMIT =
            AtomicIntegerFieldUpdater.newUpdater(Fiber.class, "permit");
    private static final AtomicReferenceFieldUpdater<Fiber, Throwable> KILL =
            AtomicReferenceFieldUpdater.newUpdater(Fiber.class, Throwable.class, "pendingKill");

    /** 1 when a permit is pending. */
    private volatile int permit;
    private volatile Throwable pendingKill;
    /** Made on the first timed park; carrier-confined. */
    private DeadlineTimer deadlineTimer;

    Fiber(Scheduler scheduler, Greenlet greenlet, boolean green, Thread thread) {
        this.scheduler = scheduler;
        this.greenlet = greenlet;
        this.green = green;
        this.thread = thread;
    }

    /**
     * {@code #<thread id> <name>}: how messages and diagnostics name a thread, since a scheduler's
     * green threads share one name.
     */
    static String label(Thread t) {
        return "#" + t.threadId() + " " + t.getName();
    }

    /**
     * The calling thread's fiber: its green thread's, or for a platform thread the fiber of the
     * thread's scheduler, which {@link Scheduler#current()} creates on first use.
     *
     * @return the current fiber
     * @throws IllegalStateException if the caller is a virtual thread that greenhub did not create
     */
    public static Fiber current() {
        Thread t = Thread.currentThread();
        if (t.isVirtual()) {
            Fiber f = Scheduler.GREEN.get();
            if (f == null) {
                throw Scheduler.foreignVirtualThread(t);
            }
            return f;
        }
        return Scheduler.current().mainFiber;
    }

    /**
     * The scheduler this fiber belongs to.
     *
     * @return its scheduler
     */
    public Scheduler scheduler() {
        return scheduler;
    }

    /**
     * The thread this fiber runs on: the green thread's virtual thread, or the platform thread.
     *
     * @return the thread
     */
    public Thread thread() {
        return thread;
    }

    /**
     * Whether this is a green thread's fiber (false for a platform thread's).
     *
     * @return true for a green thread
     */
    public boolean isGreen() {
        return green;
    }

    /**
     * The greenlet this fiber runs: the green thread or greenlet, or the platform thread's main
     * greenlet.
     *
     * @return the greenlet
     */
    public Greenlet greenlet() {
        return greenlet;
    }

    /**
     * Parks until {@link #unpark()} (consuming its permit) or a kill.
     *
     * @throws WrongThreadException if the caller is not this fiber's thread
     * @throws IllegalStateException if a platform fiber parks from inside its scheduler's loop, or
     *     the scheduler is closed
     */
    public void park() {
        await(0, false, true);
    }

    /**
     * Parks until {@link #unpark()} (consuming its permit), the deadline, or a kill.
     *
     * @param deadlineNanos the deadline on the {@link System#nanoTime()} clock
     * @return true if unparked, false if the deadline passed first
     * @throws WrongThreadException if the caller is not this fiber's thread
     * @throws IllegalStateException as {@link #park()}
     */
    public boolean parkUntil(long deadlineNanos) {
        return await(deadlineNanos, true, true);
    }

    /**
     * Parks until {@link #unpark()}, {@code nanos} nanoseconds from now, or a kill.
     *
     * @param nanos how long at most; zero or less still yields for one loop turn
     * @return true if unparked, false if the time passed first
     */
    public boolean parkNanos(long nanos) {
        return parkUntil(Scheduler.deadlineAfter(nanos));
    }

    /**
     * Gives the fiber a permit and resumes it if it is parked. Thread-safe.
     */
    public void unpark() {
        permit = 1;
        signal(false);
    }

    /**
     * Delivers {@code exception} to the fiber: its current or next park throws it. A green
     * thread blocked in a JDK call is interrupted as well. Thread-safe. The first pending kill
     * wins; a kill is consumed when a park throws it.
     *
     * @param exception what the park will throw
     * @return true if delivered, false if another kill was already pending
     */
    public boolean kill(Throwable exception) {
        Objects.requireNonNull(exception, "exception");
        if (!KILL.compareAndSet(this, null, exception)) {
            return false;
        }
        if (green) {
            Thread t = thread;
            if (t != null && t != Thread.currentThread()) {
                t.interrupt();
                LockSupport.unpark(t);
            }
        } else {
            signal(false);
        }
        return true;
    }

    /**
     * Whether a kill is waiting to be thrown by a park.
     *
     * @return true if {@link #kill(Throwable)} delivered an exception not yet thrown
     */
    public boolean isKillPending() {
        return pendingKill != null;
    }

    /**
     * Throws the pending kill, if any, consuming it.
     */
    void throwIfKilled() {
        if (pendingKill == null) {
            return; // the common case, without the atomic exchange
        }
        Throwable k = KILL.getAndSet(this, null);
        if (k != null) {
            if (green) {
                Thread.interrupted(); // the kill's interrupt has done its job
            }
            throw Sneaky.rethrow(k);
        }
    }

    /**
     * Withdraws {@code exception} if it is the pending kill (a {@link Timeout} that fired but was
     * not thrown yet, closed by its owner).
     *
     * @return true if it was pending and is withdrawn
     */
    boolean withdrawKill(Throwable exception) {
        return KILL.compareAndSet(this, exception, null);
    }

    /** Takes the pending kill without throwing it. */
    Throwable takeKill() {
        return KILL.getAndSet(this, null);
    }

    /**
     * Waits until {@code deadline} passes (one loop turn at least), ignoring permits. Kills are
     * thrown.
     */
    void sleepUntil(long deadline) {
        if (green) {
            long now = System.nanoTime();
            if (deadline - now <= 0 && yieldTurn(now)) {
                return;
            }
        }
        await(deadline, true, false);
    }

    /** {@link #sleepUntil} {@code nanos} from now (not negative); zero is a green thread's yield. */
    void sleepNanos(long nanos) {
        long now = System.nanoTime();
        if (nanos == 0 && green && yieldTurn(now)) {
            return;
        }
        await(now + Math.min(nanos, Scheduler.MAX_DELAY_NANOS), true, false);
    }

    /**
     * A green thread's {@code sleep(0)}: {@link Thread#yield()}, which the scheduler queues as a
     * yield made at {@code now} (no timer, no park), released at its next turn after the I/O and
     * among the due timers as a zero-delay timer would be. Kills are thrown.
     *
     * @return false if the thread could not yield (it is pinned); nothing was done then
     */
    private boolean yieldTurn(long now) {
        checkOwnThread();
        throwIfKilled();
        scheduler.checkOpen();
        RunQueue queue = scheduler.runQueue;
        queue.armYield(now);
        Thread.yield();
        if (queue.disarmYield()) {
            return false;
        }
        throwIfKilled();
        return true;
    }

    private void checkOwnThread() {
        if (Thread.currentThread() != thread) {
            throw new WrongThreadException("a fiber can only be parked by its own thread (" + thread
                    + "), not by " + Thread.currentThread());
        }
    }

    /** Resumes the fiber as a greenlet switch does: it runs next, before other ready work. */
    void switchResume() {
        permit = 1;
        signal(true);
    }

    /** Makes the fiber's thread notice a permit, a fired deadline or a kill. */
    void signal(boolean direct) {
        if (green) {
            Thread t = thread;
            if (t == null) {
                return;
            }
            if (direct) {
                scheduler.armHandoff();
                try {
                    LockSupport.unpark(t);
                } finally {
                    scheduler.disarmHandoff();
                }
            } else {
                LockSupport.unpark(t);
            }
        } else {
            scheduler.resumeMain(direct);
        }
    }

    private boolean await(long deadline, boolean timed, boolean usePermit) {
        checkOwnThread();
        throwIfKilled();
        if (usePermit && permit != 0 && PERMIT.getAndSet(this, 0) != 0) {
            return true;
        }
        DeadlineTimer wake = timed ? beginTimedWait(deadline) : null;
        try {
            if (green) {
                return awaitGreen(wake, usePermit);
            }
            scheduler.runUntil(() -> pendingKill != null || (usePermit && permit != 0)
                    || (wake != null && wake.fired));
            throwIfKilled();
            return usePermit && PERMIT.getAndSet(this, 0) != 0;
        } finally {
            if (wake != null) {
                wake.end();
            }
        }
    }

    private DeadlineTimer beginTimedWait(long deadline) {
        DeadlineTimer w = deadlineTimer;
        if (w == null || !green) {
            // a platform fiber's timed wait can nest (a timer callback that sleeps is refused only
            // inside the wait): a timer of its own each time
            w = new DeadlineTimer(this);
            if (green) {
                deadlineTimer = w;
            }
        }
        w.begin(deadline);
        return w;
    }

    /** Cancels the timer kept for timed parks; called when the green thread ends. */
    void dropDeadlineTimer() {
        DeadlineTimer w = deadlineTimer;
        if (w != null) {
            w.drop();
        }
    }

    /**
     * Parks a green thread until a permit, the deadline or a kill. {@link #await} has already
     * checked the kill and the permit, and the deadline cannot have fired yet (its timer runs on
     * the carrier, which this thread occupies), so the first thing done here is to park.
     *
     * <p>The checks after a park are separate bytecodes from the checks made before one. A method
     * that C2 compiles while many threads are parked has seen only "not woken" outcomes before
     * the park; if the checks after the park shared those branches, the compiled code would have
     * pruned the "woken" path and every frame parked in it would hit an uncommon trap (one
     * deoptimisation per woken thread) when it resumes. Checks that run only after a park are
     * either unprofiled when such a compilation happens (both paths kept) or profiled with the
     * outcomes that resumed threads actually see.
     */
    private boolean awaitGreen(DeadlineTimer wake, boolean usePermit) {
        boolean interrupted = false;
        try {
            while (true) {
                LockSupport.park(this);
                if (Thread.interrupted()) {
                    interrupted = true;
                }
                if (pendingKill != null) {
                    interrupted = false;
                    throwIfKilled();
                }
                if (usePermit && PERMIT.getAndSet(this, 0) != 0) {
                    return true;
                }
                if (wake != null && wake.fired) {
                    return false;
                }
            }
        } finally {
            if (interrupted) {
                thread.interrupt();
            }
        }
    }

    /**
     * {@link Waiter#await()} for a green thread: parks until {@code waiter} is completed (its
     * permit consumed after the completion) or a kill, in one frame instead of the four of
     * {@code Waiter.await -> park -> await -> awaitGreen}. Every parked green thread keeps its
     * stack in a heap chunk, so each frame less is memory less per parked thread.
     *
     * <p>As {@link #awaitGreen}: the checks after a park are not shared with the checks before the
     * first one, so that C2 never prunes the "woken" exits (see {@link Waiter}).
     */
    void parkUntilCompleted(Waiter waiter) {
        checkOwnThread();
        throwIfKilled();
        if (permit != 0 && PERMIT.getAndSet(this, 0) != 0 && waiter.isCompleted()) {
            return; // completed (and unparked) before the wait began
        }
        boolean interrupted = false;
        try {
            while (true) {
                LockSupport.park(this);
                if (Thread.interrupted()) {
                    interrupted = true;
                }
                if (pendingKill != null) {
                    interrupted = false;
                    throwIfKilled();
                }
                if (PERMIT.getAndSet(this, 0) != 0 && waiter.isCompleted()) {
                    return;
                }
            }
        } finally {
            if (interrupted) {
                thread.interrupt();
            }
        }
    }

    @Override
    public String toString() {
        return "Fiber[" + (green ? "green " : "platform ") + thread + "]";
    }
}
