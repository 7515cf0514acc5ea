package dev.greenhub.testsuite;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.greenhub.Diagnostics;
import dev.greenhub.Fiber;
import dev.greenhub.Green;
import dev.greenhub.GreenThread;
import dev.greenhub.Scheduler;
import dev.greenhub.Semaphore;
import dev.greenhub.Timeout;
import dev.greenhub.Timer;
import dev.greenhub.hub.Readiness;
import dev.greenhub.internal.Deadlines;
import dev.greenhub.internal.FdWaits;
import dev.greenhub.nativeio.Fds;
import java.lang.ref.WeakReference;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Issue 11's semantics of the split scheduler, on every hub: timers that resume a thread let it
 * run before the next timer acts, deadlines far in the past or future, cancelled timers that let
 * go of their callbacks, the semaphore's counter limit, schedulers of ended threads, names.
 */
class SchedulerSemanticsTest {
    private static final Duration PATIENCE = Duration.ofSeconds(20);

    /**
     * The hub stalls (a green thread holds the carrier) until both the sleep's 10 ms and the
     * timeout's 100 ms have passed: the sleep's timer, due first, resumes its thread, which ends
     * the guarded block before the timeout's timer acts (eventlet runs each timer's switch to
     * completion). The stall waits for the timers' own deadlines, not for a fixed time.
     */
    @ParameterizedTest
    @MethodSource("dev.greenhub.testsuite.EveryHub#hubs")
    void aTimerThatResumesAThreadLetsItRunBeforeTheNextTimerActs(String hub) throws Exception {
        try (Scheduler s = Scheduler.open(hub)) {
            AtomicBoolean sleeping = new AtomicBoolean();
            GreenThread<String> sleeper = Green.spawn(() -> Green.withTimeout(Duration.ofMillis(100), () -> {
                sleeping.set(true);
                Green.sleep(Duration.ofMillis(10));
                return "slept";
            }, "timed out"));
            GreenThread<Integer> staller = Green.spawn(() -> {
                while (!sleeping.get()) {
                    Green.sleep();
                }
                List<Diagnostics.PendingTimer> pending = Diagnostics.timers(s);
                long last = Long.MIN_VALUE;
                for (Diagnostics.PendingTimer t : pending) {
                    last = Math.max(last, t.deadlineNanos());
                }
                while (System.nanoTime() - last <= 0) {
                    Thread.onSpinWait(); // the carrier is held: both deadlines pass meanwhile
                }
                return pending.size();
            });
            // Untimed gets: a timed one would add this thread's own deadline to the pending timers.
            // Both end within the timeout's 100 ms either way.
            assertThat(staller.get()).as("timers pending while the hub stalled (sleep, timeout)")
                    .isEqualTo(2);
            assertThat(sleeper.get()).as("withTimeout(100 ms) { sleep(10 ms) } after a stall past both")
                    .isEqualTo("slept");
        }
    }

    /** callAt(Long.MIN_VALUE) fires at the next turn, and so does a timer scheduled after it. */
    @ParameterizedTest
    @MethodSource("dev.greenhub.testsuite.EveryHub#hubs")
    void aDeadlineFarInThePastFiresAtTheNextTurn(String hub) throws Exception {
        try (Scheduler s = Scheduler.open(hub)) {
            List<String> fired = new ArrayList<>();
            s.callAt(Long.MIN_VALUE, () -> fired.add("min"));
            s.callLater(Duration.ZERO, () -> fired.add("zero"));
            Timer far = s.callAt(Long.MAX_VALUE, () -> fired.add("max"));
            Green.sleep();
            assertThat(fired).as("timers fired by one loop turn").containsExactly("min", "zero");
            assertThat(far.deadlineNanos() - System.nanoTime()).as("Long.MAX_VALUE clamped to the future")
                    .isPositive();
            assertThat(far.cancel()).isTrue();
            GreenThread<Boolean> parked = Green.spawn(() -> Fiber.current().parkUntil(Long.MIN_VALUE));
            assertThat(parked.get(PATIENCE)).as("parkUntil(Long.MIN_VALUE): the deadline has passed").isFalse();
        }
    }

    /** A trampoline with a deadline far in the past returns 0 at once; deadlines never overflow. */
    @ParameterizedTest
    @MethodSource("dev.greenhub.testsuite.EveryHub#hubs")
    void aTrampolineWithADeadlineFarInThePastReturnsAtOnce(String hub) throws Exception {
        int[] pipe = Fds.pipe();
        try (Scheduler s = Scheduler.open(hub)) {
            GreenThread<Integer> reader = Green.spawn(() -> FdWaits.trampoline(s, pipe[0], Readiness.READ, Long.MIN_VALUE));
            assertThat(reader.get(PATIENCE)).as("trampoline(READ) on an empty pipe, deadline Long.MIN_VALUE")
                    .isZero();
            long now = System.nanoTime();
            assertThat(Deadlines.after(Long.MAX_VALUE) - now).as("deadlineAfter(Long.MAX_VALUE)").isPositive();
            assertThat(Deadlines.after(Long.MIN_VALUE) - now).as("deadlineAfter(Long.MIN_VALUE)")
                    .isGreaterThanOrEqualTo(0);
            try (Timeout t = Timeout.start(Duration.ofSeconds(Long.MAX_VALUE))) {
                assertThat(t.isPending()).as("a timeout of Long.MAX_VALUE seconds").isTrue();
            }
            GreenThread<String> done = Green.spawn(() -> "done");
            assertThat(done.get(Duration.ofSeconds(Long.MAX_VALUE))).isEqualTo("done");
        } finally {
            Fds.closeQuietly(pipe);
        }
    }

    /**
     * A trampoline on an fd number that is not open fails at once on every hub (an exception, or
     * ERROR in the result), instead of waiting for its deadline (which would return 0).
     */
    @ParameterizedTest
    @MethodSource("dev.greenhub.testsuite.EveryHub#hubs")
    void aTrampolineOnAnFdThatIsNotOpenFailsPromptly(String hub) throws Exception {
        int fd = 1000;
        while (Fds.isOpen(fd)) {
            fd++;
        }
        int notOpen = fd;
        try (Scheduler s = Scheduler.open(hub)) {
            GreenThread<Object> waiter = Green.spawn(() -> {
                try {
                    return FdWaits.trampoline(s, notOpen, Readiness.READ, Deadlines.after(PATIENCE.toNanos()));
                } catch (java.io.IOException | RuntimeException e) {
                    return e;
                }
            });
            Object outcome = waiter.get();
            if (outcome instanceof Integer ops) {
                assertThat(ops & Readiness.ERROR).as("trampoline(%d, READ) on %s returned %s", notOpen, hub,
                        Readiness.describe(ops)).isNotZero();
            } else {
                assertThat(outcome).as("trampoline(%d, READ) on %s", notOpen, hub).isInstanceOf(Exception.class);
            }
            Green.sleep(); // the next poll reports the fd again with nobody waiting: its interest goes
            assertThat(FdWaits.fdInterest(s, notOpen)).as("interest left registered for fd %d", notOpen).isZero();
        }
    }

    /** A closed Timeout, or a cancelled timer, lets go of its exception and callback at once. */
    @ParameterizedTest
    @MethodSource("dev.greenhub.testsuite.EveryHub#hubs")
    void aCancelledTimerDropsItsCallbackAtOnce(String hub) throws Exception {
        try (Scheduler s = Scheduler.open(hub)) {
            WeakReference<Object> exception = closedTimeoutsException();
            WeakReference<Object> captured = cancelledTimersCapture(s);
            assertThat(s.timerCount()).as("the cancelled timers are still stored").isPositive();
            long deadline = System.nanoTime() + PATIENCE.toNanos();
            while ((exception.get() != null || captured.get() != null) && System.nanoTime() < deadline) {
                System.gc();
                Thread.sleep(10);
            }
            assertThat(exception.get()).as("exception of a closed 60-second Timeout, after GC").isNull();
            assertThat(captured.get()).as("object captured by a cancelled 60-second timer's callback, after GC")
                    .isNull();
        }
    }

    private static WeakReference<Object> closedTimeoutsException() {
        RuntimeException e = new RuntimeException("never thrown");
        Timeout t = Timeout.start(Duration.ofSeconds(60), e);
        t.close();
        return new WeakReference<>(e);
    }

    private static WeakReference<Object> cancelledTimersCapture(Scheduler s) {
        Object big = new byte[1 << 20];
        Timer t = s.callLater(Duration.ofSeconds(60), () -> System.out.println(big.hashCode()));
        assertThat(t.cancel()).isTrue();
        return new WeakReference<>(big);
    }

    /** The counter cannot wrap: a release beyond Integer.MAX_VALUE is refused and changes nothing. */
    @ParameterizedTest
    @MethodSource("dev.greenhub.testsuite.EveryHub#hubs")
    void aSemaphoreRefusesToOverflow(String hub) {
        try (Scheduler s = Scheduler.open(hub)) {
            Semaphore sem = new Semaphore(Integer.MAX_VALUE);
            assertThatThrownBy(sem::release).isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("Integer.MAX_VALUE");
            assertThat(sem.counter()).isEqualTo(Integer.MAX_VALUE);
            sem.acquire();
            sem.release();
            assertThat(sem.counter()).isEqualTo(Integer.MAX_VALUE);
        }
    }

    /**
     * 1,000 short-lived platform threads each get a scheduler and end without closing it: their
     * hubs are closed (when the next scheduler is created), so the open fds come back to the
     * baseline.
     */
    @ParameterizedTest
    @MethodSource("dev.greenhub.testsuite.EveryHub#hubs")
    void schedulersOfEndedThreadsAreClosed(String hub) throws Exception {
        runOnNewThread(hub);
        runOnNewThread(hub);
        int baseline = Fds.openFdCount();
        for (int i = 0; i < 1000; i++) {
            runOnNewThread(hub);
        }
        int after = Fds.openFdCount();
        assertThat(after).as("open fds after 1,000 threads each opened a '%s' scheduler and ended (baseline %d)",
                hub, baseline).isLessThanOrEqualTo(baseline);
    }

    private static void runOnNewThread(String hub) throws Exception {
        AtomicReference<Throwable> failure = new AtomicReference<>();
        Thread t = Thread.ofPlatform().start(() -> {
            try {
                Scheduler.open(hub);
                Green.sleep();
            } catch (Throwable e) {
                failure.set(e);
            }
        });
        t.join(PATIENCE.toMillis());
        assertThat(t.isAlive()).isFalse();
        assertThat(failure.get()).isNull();
    }

    /** Thread dumps show the hub a green thread belongs to; spawn(name, task) names it. */
    @ParameterizedTest
    @MethodSource("dev.greenhub.testsuite.EveryHub#hubs")
    void greenThreadsAreNamedAfterTheirHub(String hub) throws Exception {
        try (Scheduler s = Scheduler.open(hub)) {
            GreenThread<String> plain = Green.spawn(() -> Thread.currentThread().getName());
            GreenThread<String> named = s.spawn("worker-7", () -> Thread.currentThread().getName());
            assertThat(plain.get(PATIENCE)).matches("green-" + hub + "-\\d+");
            assertThat(named.get(PATIENCE)).isEqualTo("worker-7");
            assertThatThrownBy(() -> s.spawn(" ", () -> null)).isInstanceOf(IllegalArgumentException.class);
            GreenThread<Void> sleeper = Green.spawn(() -> {
                Green.sleep(Duration.ofSeconds(30));
                return null;
            });
            Green.sleep();
            String described = Diagnostics.describe(s);
            assertThat(described).as("Diagnostics.describe(s)").contains("wake #" + sleeper.thread().threadId() + " " + sleeper.thread().getName())
                    .doesNotContain("DeadlineTimer@");
            sleeper.kill();
        }
    }
}
