package dev.greenhub;

import dev.greenhub.hub.Hub;
import dev.greenhub.hub.ReadyHandler;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.function.BooleanSupplier;

/**
 * The loop of one scheduler (eventlet's {@code BaseHub.run}): the carrier runs it in
 * {@link #runUntil} while it waits for something green, one {@link #turn()} at a time, over the
 * scheduler's parts: its {@link Hub}, {@link RunQueue}, {@link TimerQueue} and {@link FdTable}.
 * Carrier-confined, except {@link #resumeMain}, which any thread may call.
 *
 * <p>It sees its scheduler only through the narrow {@link Host}, whose {@code toString()} names
 * the scheduler in messages and JFR events.
 */
final class HubLoop {
    /** What the loop needs from the scheduler it runs, and no more. */
    interface Host {
        /** Throws {@link IllegalStateException} if the scheduler is closed. */
        void checkOpen();

        /** Whether the caller is the carrier or one of the scheduler's green threads. */
        boolean onCarrier();

        /** Queues {@code task} to run on the carrier at the next turn; any thread. */
        void runOnCarrier(Runnable task);
    }

    private final Hub hub;
    private final String hubName;
    private final Thread owner;
    private final RunQueue runQueue;
    private final TimerQueue timers;
    private final FdTable fds;
    private final ReadyHandler onReady;
    private final Host host;

    // The carrier's wait in runUntil.
    /** The marker of the carrier's current wait, or null when it is not waiting. */
    private volatile ResumeMarker activeMarker;
    private BooleanSupplier waitCondition;
    private boolean inLoop;

    HubLoop(Hub hub, Thread owner, RunQueue runQueue, TimerQueue timers, FdTable fds, Host host) {
        this.hub = hub;
        this.hubName = hub.name();
        this.owner = owner;
        this.runQueue = runQueue;
        this.timers = timers;
        this.fds = fds;
        this.onReady = fds::onReady;
        this.host = host;
    }

    /**
     * Runs the loop on the carrier until {@code done} holds. Called by the carrier's own fiber.
     */
    void runUntil(BooleanSupplier done) {
        if (Thread.currentThread() != owner) {
            throw new WrongThreadException("only the carrier " + owner + " runs the loop of " + host);
        }
        if (inLoop) {
            throw new IllegalStateException("blocking call inside the hub loop of " + host
                    + " (from a timer callback or a task run by the loop): it would wait for the loop"
                    + " it stops; spawn a green thread to do the blocking work");
        }
        host.checkOpen();
        inLoop = true;
        waitCondition = done;
        activeMarker = new ResumeMarker();
        try {
            while (!done.getAsBoolean()) {
                turn();
            }
        } finally {
            activeMarker = null;
            waitCondition = null;
            inLoop = false;
        }
    }

    /**
     * One turn (eventlet's {@code BaseHub.run} body): wait for I/O until there is work or a timer
     * falls due (queueing the threads whose fds are ready), fire the due timers, run what is
     * ready.
     */
    private void turn() {
        runQueue.resume();
        runQueue.drainInbox();
        waitForEvents(pollTimeout());
        fireDueTimers();
        runQueue.runReady();
    }

    /** 0 when work is ready, else until the earliest timer; -1 without timers (until woken). */
    private long pollTimeout() {
        if (runQueue.hasWork()) {
            return 0;
        }
        Timer first = timers.firstLive();
        return first == null ? -1 : Math.max(0, first.deadline - System.nanoTime());
    }

    /**
     * Polls the hub for up to {@code timeout} ns (-1: no limit) unless nothing could come of it,
     * queueing the threads whose fds are ready. Sets {@code sleeping} around a poll that may
     * block, and looks at the inbox once more after setting it, so that no wakeup is lost.
     */
    private void waitForEvents(long timeout) {
        if (timeout != 0) {
            JfrEvents.registerStatistics();
            runQueue.sleeping = true;
            if (!runQueue.inboxEmpty()) {
                timeout = 0;
            }
        }
        if (timeout == 0 && fds.isEmpty()) {
            runQueue.sleeping = false;
            return;
        }
        try {
            if (JfrEvents.recording()) {
                JfrEvents.recordedPoll(hub, timeout, onReady, hubName, host);
            } else {
                hub.poll(timeout, onReady);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("hub " + hubName + " of " + host + " failed to poll: "
                    + e.getMessage(), e);
        } finally {
            runQueue.sleeping = false;
        }
    }

    /**
     * Fires the timers due now that were stored before this round (those their callbacks add
     * wait for the next turn), and releases the green threads that yielded before this turn in
     * deadline order among them (a yield's time is its deadline, as if {@code sleep(0)} were a
     * timer). A timer that resumes a thread lets it run (with the work ready before it, in order)
     * before the next timer acts on it, as eventlet runs a timer's switch to completion.
     */
    private void fireDueTimers() {
        int yields = runQueue.yieldCount();
        if ((yields == 0 && timers.isEmpty()) || runQueue.isStopped()) {
            return;
        }
        long now = System.nanoTime();
        long limit = timers.sequenceMark();
        runQueue.beginTimerRound();
        try {
            while (!runQueue.isStopped()) {
                Timer t = timers.nextDue(now, limit);
                if (yields > 0 && (t == null || runQueue.firstYieldTime() - t.deadline < 0)) {
                    yields -= runQueue.releaseYields(yields, t != null, t == null ? 0 : t.deadline);
                    runQueue.runReady();
                } else if (t == null) {
                    break;
                } else {
                    timers.remove(t);
                    if (runQueue.runTimer(t.fire())) {
                        runQueue.runReady();
                    }
                }
            }
        } finally {
            timers.endRound();
            runQueue.endTimerRound();
        }
    }

    /** Ends the run phase when the carrier's wait (the one it was queued for) is over. */
    private final class ResumeMarker implements Runnable {
        @Override
        public void run() {
            BooleanSupplier c = waitCondition;
            if (activeMarker == this && c != null && c.getAsBoolean()) {
                runQueue.stop();
            }
        }

        @Override
        public String toString() {
            return "resume " + owner.getName();
        }
    }

    /**
     * Resumes the carrier's own (platform) fiber if it is running the loop in runUntil: its
     * marker task is queued behind the work that is already ready (or run next, for a direct
     * switch), and ends the run phase if the wait is over. A fiber that is not waiting notices
     * its permit or kill when it next parks.
     */
    void resumeMain(boolean direct) {
        ResumeMarker marker = activeMarker;
        if (marker == null) {
            return;
        }
        if (direct && host.onCarrier()) {
            runQueue.addHandoff(marker);
        } else {
            host.runOnCarrier(marker);
        }
    }

    /** Whether the carrier is inside {@link #runUntil} (a timer callback or task is running, or a poll). */
    boolean running() {
        return inLoop;
    }
}
