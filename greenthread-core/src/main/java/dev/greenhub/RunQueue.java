package dev.greenhub;

import java.util.ArrayDeque;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.function.BiConsumer;

/**
 * The work a scheduler's carrier runs: the ready queue (first in first out), the hand-offs that
 * run before anything else that is ready, the inbox of tasks from other threads, and the flag
 * that tells those threads the loop sleeps in its poll and needs a wakeup.
 *
 * <p>The ready and hand-off queues are carrier-confined. {@link #addForeign} is thread-safe: a
 * producer wakes the loop only when it is (about to be) blocked in its poll, and the loop looks
 * at the inbox again after setting {@link #sleeping} (Dekker on two volatiles), so no wakeup is
 * lost.
 *
 * <p><b>Hand-offs.</b> A task goes to the hand-off queue, to run next, when it resumes the target
 * of a greenlet switch ({@link #armHandoff()} by the switching thread just before it unparks the
 * target).
 */
final class RunQueue {
    /** Wakes the loop from its poll; called by a producer that sees {@link #sleeping}. */
    interface Wakeup {
        void wakeup();
    }

    private final ArrayDeque<Runnable> ready = new ArrayDeque<>();
    private final ArrayDeque<Runnable> handoffs = new ArrayDeque<>();
    /** What green threads make ready during a round of timers: it runs after that round. */
    private final ArrayDeque<Runnable> afterTimers = new ArrayDeque<>();
    private boolean inTimerRound;
    private final ConcurrentLinkedQueue<Runnable> inbox = new ConcurrentLinkedQueue<>();
    /** The green threads that yielded, released by the loop among the due timers of its next turn. */
    private final YieldQueue yielded = new YieldQueue();
    /** Set by a green thread just before it yields: its continuation, submitted next, is a yield. */
    private boolean yieldArmed;
    private long yieldTime;
    private final Wakeup wakeup;
    private final BiConsumer<String, Throwable> reporter;
    /** Set by the loop while it may block in its poll. */
    volatile boolean sleeping;
    private volatile Thread handoffFrom;
    /** Set when the carrier's own wait is over: the loop stops running work and returns. */
    private boolean stopped;
    /** What the carrier runs now and since when, kept only while blocking detection is on. */
    volatile Runnable runningTask;
    volatile long runningSince;

    RunQueue(Wakeup wakeup, BiConsumer<String, Throwable> reporter) {
        this.wakeup = wakeup;
        this.reporter = reporter;
    }

    /** Marks the next task the calling thread submits (its unpark) as a hand-off. */
    void armHandoff() {
        handoffFrom = Thread.currentThread();
    }

    void disarmHandoff() {
        handoffFrom = null;
    }

    /** Takes {@code task} as a hand-off if {@code caller} armed one; false otherwise. */
    boolean takeHandoff(Thread caller, Runnable task) {
        if (handoffFrom != caller) {
            return false;
        }
        handoffFrom = null;
        handoffs.addLast(task);
        return true;
    }

    /**
     * Marks the next task the carrier submits (the continuation of the green thread that calls
     * this and then yields) as a yield made at {@code time}. Carrier-confined.
     */
    void armYield(long time) {
        yieldTime = time;
        yieldArmed = true;
    }

    /** Clears the mark after a yield; true if it was still set (the thread did not yield). */
    boolean disarmYield() {
        boolean stillArmed = yieldArmed;
        yieldArmed = false;
        return stillArmed;
    }

    /** Takes {@code task} as a yield if one is armed; false otherwise. Carrier-confined. */
    boolean takeYield(Runnable task) {
        if (!yieldArmed) {
            return false;
        }
        yieldArmed = false;
        yielded.add(task, yieldTime);
        return true;
    }

    /**
     * Queues {@code task} as a yield made at {@code time} (a spawn without delay: it starts among
     * the due timers of the next turn, as if it were a timer of that deadline, without one).
     * Carrier-confined; times must not go backwards.
     */
    void addYield(Runnable task, long time) {
        yielded.add(task, time);
    }

    /** How many yields wait for their turn. */
    int yieldCount() {
        return yielded.size();
    }

    /** The time of the oldest waiting yield; only when {@link #yieldCount()} is not 0. */
    long firstYieldTime() {
        return yielded.firstTime();
    }

    /**
     * Makes ready up to {@code max} of the oldest yields, those made before {@code deadline} only
     * when {@code beforeDeadline}.
     *
     * @return how many were made ready
     */
    int releaseYields(int max, boolean beforeDeadline, long deadline) {
        int n = 0;
        while (n < max && !yielded.isEmpty() && (!beforeDeadline || yielded.firstTime() - deadline < 0)) {
            ready.addLast(yielded.poll());
            n++;
        }
        return n;
    }

    /** From the carrier itself (a timer callback, the hub's ready handler, the main fiber). */
    void addFromCarrier(Runnable task) {
        ready.addLast(task);
    }

    /**
     * From one of the carrier's green threads. During a round of timers it waits until the
     * round ends: what a timer resumes runs before the next timer acts, but what that thread
     * resumes in turn comes after the threads the later timers of the round resume, as in
     * eventlet, where such a wakeup is a timer of the next round.
     */
    void addFromGreen(Runnable task) {
        (inTimerRound ? afterTimers : ready).addLast(task);
    }

    void beginTimerRound() {
        inTimerRound = true;
    }

    void endTimerRound() {
        inTimerRound = false;
        Runnable r;
        while ((r = afterTimers.pollFirst()) != null) {
            ready.addLast(r);
        }
    }

    /** Queues {@code task} to run next, before the other ready work. Carrier-confined. */
    void addHandoff(Runnable task) {
        handoffs.addLast(task);
    }

    /** From any other thread. */
    void addForeign(Runnable task) {
        inbox.add(task);
        if (sleeping) {
            try {
                wakeup.wakeup();
            } catch (IllegalStateException closedMeanwhile) {
                // the scheduler closed meanwhile; the task is dropped with it
            }
        }
    }

    boolean hasWork() {
        return !ready.isEmpty() || !handoffs.isEmpty() || !afterTimers.isEmpty() || !yielded.isEmpty();
    }

    boolean inboxEmpty() {
        return inbox.isEmpty();
    }

    void drainInbox() {
        Runnable r;
        while ((r = inbox.poll()) != null) {
            ready.addLast(r);
        }
    }

    /** Ends the current run phase (the carrier's wait is over). */
    void stop() {
        stopped = true;
    }

    boolean isStopped() {
        return stopped;
    }

    /** Starts a loop turn: nothing stops it yet. */
    void resume() {
        stopped = false;
    }

    /**
     * Runs one timer's callback on the carrier.
     *
     * @return whether it made work ready (resumed or started a thread)
     */
    boolean runTimer(Runnable callback) {
        int before = ready.size();
        run(callback, "timer callback ");
        return ready.size() != before || !handoffs.isEmpty();
    }

    /**
     * Runs the tasks that are ready now, first in first out, with the hand-offs each makes;
     * tasks made ready meanwhile wait for the next turn. Stops early when {@link #stop()} is
     * called; the hand-offs not run then run first at the next turn.
     */
    void runReady() {
        drainInbox();
        int budget = ready.size();
        runHandoffs();
        while (!stopped && budget-- > 0) {
            run(ready.pollFirst(), "task ");
            runHandoffs();
        }
    }

    private void runHandoffs() {
        Runnable h;
        while (!stopped && (h = handoffs.pollFirst()) != null) {
            run(h, "task ");
        }
    }

    private void run(Runnable task, String kind) {
        boolean watched = Diagnostics.watching;
        if (watched) {
            runningSince = System.nanoTime();
            runningTask = task;
        }
        try {
            task.run();
        } catch (Throwable e) {
            reporter.accept(kind + task + " failed", e);
        } finally {
            if (watched) {
                runningTask = null;
            }
        }
    }

    /** Drops everything queued (the scheduler is closing). */
    void clear() {
        ready.clear();
        handoffs.clear();
        afterTimers.clear();
        yielded.clear();
        inbox.clear();
    }
}
