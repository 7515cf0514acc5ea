package dev.greenhub.tck;

import static dev.greenhub.hub.Readiness.READ;
import static dev.greenhub.hub.Readiness.WRITE;

/**
 * Rules of the kit, one concern: the scheduler on this hub: greenthread-core's Scheduler runs on a hub of the
 * provider (the bodies are in SchedulerTimerChecks, SchedulerFdChecks and SchedulerLoopChecks).
 *
 * <p>The sections of {@code HubTck} form one chain of abstract classes, each extending the one before, so
 * that the public kit class inherits every rule; the order of the chain means nothing.
 */
abstract class SchedulerRules extends LimitRules {

    @Rule(id = "R55", title = "scheduler: sleep(d) in a green thread and on the carrier never returns before d, and within d plus a margin (200 us, 1.5 ms, 10 ms, 50 ms)",
            check = "that timed waits in the hub never end early and round the timeout up")
    @Required
    void r55SchedulerSleepPrecision() throws Exception {
        schedulerTimers().sleepPrecision();
    }

    @Rule(id = "R56", title = "scheduler: timers fire in deadline order, equal deadlines in scheduling order, none before its deadline",
            check = "that the hub's poll timeout lets the scheduler fire timers on time")
    @Required
    void r56SchedulerTimerOrder() throws Exception {
        schedulerTimers().timerOrder();
    }

    @Rule(id = "R57", title = "scheduler: a cancelled timer never fires, also when cancelled by another timer; the others all fire in order",
            check = "that the scheduler's cancelled timers never need a hub wakeup that does not come")
    @Required
    void r57SchedulerCancelledTimers() throws Exception {
        schedulerTimers().cancelledTimersNeverFire();
    }

    @Rule(id = "R58", title = "scheduler: sleep(0) lets the other ready green threads run in order, and a green thread whose fd became ready",
            check = "that poll(0) reports readiness without waiting")
    @Required
    void r58SchedulerSleepZeroYields() throws Exception {
        schedulerTimers().sleepZeroYields();
    }

    @Rule(id = "R59", title = "scheduler: a green thread in trampoline(fd, READ) is resumed with READ when another thread writes a pipe or socket",
            check = "that readiness reaches the scheduler for pipes and sockets written by another thread")
    @Required
    void r59SchedulerTrampolineRead() throws Exception {
        schedulerFds().trampolineRead();
    }

    @Rule(id = "R60", title = "scheduler: a green thread in trampoline(fd, WRITE) on a full pipe is resumed with WRITE when it is drained; READ|WRITE as ready",
            check = "that WRITE readiness and READ|WRITE interest reach the scheduler")
    @Required
    void r60SchedulerTrampolineWrite() throws Exception {
        schedulerFds().trampolineWrite();
    }

    @Rule(id = "R61", title = "scheduler: trampoline with a deadline and no readiness returns 0 after the deadline, never before (300 us, 2 ms, 30 ms)",
            check = "that timed waits never end early (rounding, the never-early loop)")
    @Required
    void r61SchedulerTrampolineTimeout() throws Exception {
        schedulerFds().trampolineTimeout();
    }

    @Rule(id = "R62", title = "scheduler: data that arrived while a trampoline deadline fell due wins: READ, not 0 (eventlet #50, #55)",
            check = "that a poll(0) before firing due timers reports data already there")
    @Required
    void r62SchedulerReadinessWinsOverTimeout() throws Exception {
        schedulerFds().readinessWinsOverDueTimeout();
    }

    @Rule(id = "R63", title = "scheduler: runOnCarrier() from a platform thread runs its task on the carrier promptly while the loop waits in poll",
            check = "that wakeup() from a foreign thread ends a poll(-1) under way")
    @Required
    void r63SchedulerForeignExecute() throws Exception {
        schedulerLoop().foreignExecuteWakesTheLoop();
    }

    @Rule(id = "R64", title = "scheduler: 200 green threads waiting on 200 pipes are each resumed exactly once, with READ and their byte",
            check = "that many registered fds are all reported (event buffer sizes)")
    @Required
    void r64SchedulerManyWaiters() throws Exception {
        schedulerLoop().manyWaitersOnManyFds();
    }

    @Rule(id = "R65", title = "scheduler: close() ends its green threads, releases the hub's fds and keeps the watched fds open; later calls throw",
            check = "that the hub's close() releases its fds and leaves registered fds open")
    @Required
    void r65SchedulerCloseReleasesHub() throws Exception {
        schedulerLoop().closeReleasesTheHub();
    }

    @Rule(id = "R66", title = "scheduler: forgetFd wakes the fd's waiters with AsynchronousCloseException; a new fd with that number is watched afresh",
            check = "that unregister and re-register of a reused fd number works from the scheduler")
    @Required
    void r66SchedulerForgetFd() throws Exception {
        schedulerLoop().forgetFdWakesWaiters();
    }
}
