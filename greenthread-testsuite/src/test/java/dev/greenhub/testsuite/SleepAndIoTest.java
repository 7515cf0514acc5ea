package dev.greenhub.testsuite;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.greenhub.Fiber;
import dev.greenhub.Green;
import dev.greenhub.GreenThread;
import dev.greenhub.GreenletExit;
import dev.greenhub.Scheduler;
import dev.greenhub.hub.Readiness;
import dev.greenhub.internal.Deadlines;
import dev.greenhub.internal.FdWaits;
import dev.greenhub.nativeio.Fds;
import java.nio.channels.AsynchronousCloseException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** sleep, the yield, and fd waits (trampoline), on every hub. */
class SleepAndIoTest {

    @ParameterizedTest
    @MethodSource("dev.greenhub.testsuite.EveryHub#hubs")
    void sleepZeroLetsTheOtherGreenThreadsRun(String hub) {
        try (Scheduler s = Scheduler.open(hub)) {
            List<String> log = new ArrayList<>();
            GreenThread<Void> a = Green.spawn(() -> {
                for (int i = 0; i < 3; i++) {
                    log.add("a" + i);
                    Green.sleep();
                }
                return null;
            });
            GreenThread<Void> b = Green.spawn(() -> {
                for (int i = 0; i < 3; i++) {
                    log.add("b" + i);
                    Green.sleep();
                }
                return null;
            });
            a.get();
            b.get();
            assertThat(log).containsExactly("a0", "b0", "a1", "b1", "a2", "b2");
        }
    }

    @ParameterizedTest
    @MethodSource("dev.greenhub.testsuite.EveryHub#hubs")
    void sleepZeroLetsPendingIoRun(String hub) throws Exception {
        int[] pair = Fds.socketPair();
        try (Scheduler s = Scheduler.open(hub)) {
            List<String> log = new ArrayList<>();
            GreenThread<Integer> reader = Green.spawn(() -> {
                int ops = FdWaits.trampoline(s, pair[0], Readiness.READ, Long.MAX_VALUE);
                log.add("reader woke");
                return ops;
            });
            GreenThread<Void> spinner = Green.spawn(() -> {
                Green.sleep(); // the reader is now waiting on its fd
                Fds.write(pair[1], new byte[] {1});
                log.add("written");
                Green.sleep();
                log.add("after yield");
                return null;
            });
            spinner.get();
            assertThat(log).containsExactly("written", "reader woke", "after yield");
            assertThat(reader.get() & Readiness.READ).isEqualTo(Readiness.READ);
        } finally {
            Fds.closeQuietly(pair);
        }
    }

    /**
     * A green thread that does nothing but sleep(0) lets a timer fire and a reader get its data:
     * the loop stops when both have happened (or, if the yield starved them, after a bound that
     * makes the assertion fail instead of hanging).
     */
    @ParameterizedTest
    @MethodSource("dev.greenhub.testsuite.EveryHub#hubs")
    void aLoopOfSleepZeroStarvesNeitherTimersNorIo(String hub) throws Exception {
        int[] pair = Fds.socketPair();
        try (Scheduler s = Scheduler.open(hub)) {
            boolean[] timerFired = {false};
            GreenThread<Integer> reader = Green.spawn(() -> FdWaits.trampoline(s, pair[0], Readiness.READ, Long.MAX_VALUE));
            GreenThread<Long> spinner = Green.spawn(() -> {
                Green.sleep(); // the reader waits on its fd now
                s.callLater(Duration.ofMillis(1), () -> timerFired[0] = true);
                Fds.write(pair[1], new byte[] {1});
                long yields = 0;
                long giveUp = System.nanoTime() + 20_000_000_000L;
                while (!(timerFired[0] && reader.isDone()) && System.nanoTime() - giveUp < 0) {
                    Green.sleep();
                    yields++;
                }
                return yields;
            });
            long yields = spinner.get();
            assertThat(timerFired[0]).as("the timer fired while a green thread looped on sleep(0) (%d yields)", yields)
                    .isTrue();
            assertThat(reader.isDone()).as("the reader woke while a green thread looped on sleep(0)").isTrue();
            assertThat(reader.get() & Readiness.READ).isEqualTo(Readiness.READ);
        } finally {
            Fds.closeQuietly(pair);
        }
    }

    /**
     * sleep(0) is ordered among the due timers as a timer due at the time of the call: a timer
     * scheduled (already due) before the yield acts before the yielding thread resumes, and one
     * scheduled after the yield acts after it, when both are due at the same turn.
     */
    @ParameterizedTest
    @MethodSource("dev.greenhub.testsuite.EveryHub#hubs")
    void sleepZeroIsOrderedAmongDueTimersByTheTimeOfTheCall(String hub) {
        try (Scheduler s = Scheduler.open(hub)) {
            List<String> log = new ArrayList<>();
            GreenThread<Void> a = Green.spawn(() -> {
                s.callAt(System.nanoTime(), () -> log.add("timer before the yield"));
                Green.sleep();
                log.add("a resumed");
                return null;
            });
            GreenThread<Void> b = Green.spawn(() -> {
                long deadline = System.nanoTime(); // a has yielded: it ran first in this turn
                s.callAt(deadline, () -> log.add("timer after the yield"));
                while (System.nanoTime() - deadline <= 0) {
                    Thread.onSpinWait();
                }
                return null;
            });
            a.get();
            b.get();
            assertThat(log).containsExactly("timer before the yield", "a resumed", "timer after the yield");
        }
    }

    @ParameterizedTest
    @MethodSource("dev.greenhub.testsuite.EveryHub#hubs")
    void sleepNeverReturnsEarly(String hub) {
        try (Scheduler s = Scheduler.open(hub)) {
            long[] nanos = {1_000L, 300_000L, 1_000_000L, 2_500_000L, 10_000_000L, 25_000_000L};
            GreenThread<List<Long>> g = Green.spawn(() -> {
                List<Long> slept = new ArrayList<>();
                for (long n : nanos) {
                    long start = System.nanoTime();
                    Green.sleep(Duration.ofNanos(n));
                    slept.add(System.nanoTime() - start);
                }
                return slept;
            });
            List<Long> slept = g.get();
            for (int i = 0; i < nanos.length; i++) {
                assertThat(slept.get(i)).as("sleep of %d ns", nanos[i]).isGreaterThanOrEqualTo(nanos[i]);
            }
            long start = System.nanoTime();
            Green.sleep(0.005);
            assertThat(System.nanoTime() - start).isGreaterThanOrEqualTo(5_000_000L);
        }
    }

    @ParameterizedTest
    @MethodSource("dev.greenhub.testsuite.EveryHub#hubs")
    void aPlatformThreadSleepingRunsTheGreenThreads(String hub) {
        try (Scheduler s = Scheduler.open(hub)) {
            List<String> log = new ArrayList<>();
            Green.spawn(() -> log.add("green ran"));
            Green.sleep(Duration.ofMillis(2));
            assertThat(log).containsExactly("green ran");
        }
    }

    @ParameterizedTest
    @MethodSource("dev.greenhub.testsuite.EveryHub#hubs")
    void trampolineReportsReadinessAndTimesOut(String hub) throws Exception {
        int[] pair = Fds.socketPair();
        try (Scheduler s = Scheduler.open(hub)) {
            long start = System.nanoTime();
            int none = FdWaits.trampoline(s, pair[0], Readiness.READ, Deadlines.after(10_000_000L));
            assertThat(none).isZero();
            assertThat(System.nanoTime() - start).isGreaterThanOrEqualTo(10_000_000L);
            assertThat(FdWaits.trampoline(s, pair[0], Readiness.WRITE, Long.MAX_VALUE) & Readiness.WRITE)
                    .isEqualTo(Readiness.WRITE);
            Green.spawnAfter(Duration.ofMillis(5), () -> Fds.write(pair[1], new byte[] {7}));
            int ops = FdWaits.trampoline(s, pair[0], Readiness.READ, Deadlines.after(5_000_000_000L));
            assertThat(ops & Readiness.READ).isEqualTo(Readiness.READ);
        } finally {
            Fds.closeQuietly(pair);
        }
    }

    @ParameterizedTest
    @MethodSource("dev.greenhub.testsuite.EveryHub#hubs")
    void dataThatArrivedWinsOverADueTimeout(String hub) throws Exception {
        int[] pair = Fds.socketPair();
        try (Scheduler s = Scheduler.open(hub)) {
            GreenThread<Integer> reader = Green.spawn(() ->
                    FdWaits.trampoline(s, pair[0], Readiness.READ, Deadlines.after(20_000_000L)));
            Green.sleep(); // reader waits
            Fds.write(pair[1], new byte[] {1});
            // block the carrier past the reader's deadline: both the data and the timeout are due
            long until = System.nanoTime() + 30_000_000L;
            while (System.nanoTime() < until) {
                Thread.onSpinWait();
            }
            assertThat(reader.get() & Readiness.READ).isEqualTo(Readiness.READ);
        } finally {
            Fds.closeQuietly(pair);
        }
    }

    @ParameterizedTest
    @MethodSource("dev.greenhub.testsuite.EveryHub#hubs")
    void aSecondSimultaneousReaderIsRefused(String hub) throws Exception {
        int[] pair = Fds.socketPair();
        try (Scheduler s = Scheduler.open(hub)) {
            GreenThread<Integer> first = Green.spawn(() ->
                    FdWaits.trampoline(s, pair[0], Readiness.READ, Deadlines.after(5_000_000_000L)));
            Green.sleep();
            assertThatThrownBy(() -> FdWaits.trampoline(s, pair[0], Readiness.READ, Long.MAX_VALUE))
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("second simultaneous read on fd " + pair[0]);
            // a writer on the same fd is a different direction and is fine
            assertThat(FdWaits.trampoline(s, pair[0], Readiness.WRITE, Long.MAX_VALUE) & Readiness.WRITE).isNotZero();
            Fds.write(pair[1], new byte[] {1});
            assertThat(first.get() & Readiness.READ).isEqualTo(Readiness.READ);
        } finally {
            Fds.closeQuietly(pair);
        }
    }

    @ParameterizedTest
    @MethodSource("dev.greenhub.testsuite.EveryHub#hubs")
    void registrationIsKeptBetweenWaitsAndDroppedWhenReadyWithoutAWaiter(String hub) throws Exception {
        int[] pair = Fds.socketPair();
        try (Scheduler s = Scheduler.open(hub)) {
            byte[] buf = new byte[16];
            for (int i = 0; i < 3; i++) {
                Green.spawnAfter(Duration.ofMillis(1), () -> Fds.write(pair[1], new byte[] {1}));
                assertThat(FdWaits.trampoline(s, pair[0], Readiness.READ, Deadlines.after(5_000_000_000L))
                        & Readiness.READ).isNotZero();
                assertThat(Fds.read(pair[0], buf)).isEqualTo(1);
                assertThat(FdWaits.fdInterest(s, pair[0])).isEqualTo(Readiness.READ);
            }
            // ready with nobody waiting: the interest goes, so the level-triggered fd cannot spin
            Fds.write(pair[1], new byte[] {2});
            Green.sleep(Duration.ofMillis(2));
            assertThat(FdWaits.fdInterest(s, pair[0])).isZero();
        } finally {
            Fds.closeQuietly(pair);
        }
    }

    @ParameterizedTest
    @MethodSource("dev.greenhub.testsuite.EveryHub#hubs")
    void forgetFdResumesItsWaitersWithAsynchronousClose(String hub) throws Exception {
        int[] pair = Fds.socketPair();
        try (Scheduler s = Scheduler.open(hub)) {
            List<Throwable> reported = new ArrayList<>();
            s.setExceptionReporter((what, e) -> reported.add(e));
            GreenThread<Integer> reader = Green.spawn(() ->
                    FdWaits.trampoline(s, pair[0], Readiness.READ, Deadlines.after(5_000_000_000L)));
            Green.sleep();
            FdWaits.forgetFd(s, pair[0]);
            assertThatThrownBy(reader::get).hasCauseInstanceOf(AsynchronousCloseException.class);
            assertThat(FdWaits.fdInterest(s, pair[0])).isZero();
            assertThat(reported).singleElement().isInstanceOf(AsynchronousCloseException.class);
        } finally {
            Fds.closeQuietly(pair);
        }
    }

    @ParameterizedTest
    @MethodSource("dev.greenhub.testsuite.EveryHub#hubs")
    void killOfAnFdWaiterFreesItsSlot(String hub) throws Exception {
        int[] pair = Fds.socketPair();
        try (Scheduler s = Scheduler.open(hub)) {
            GreenThread<Integer> reader = Green.spawn(() ->
                    FdWaits.trampoline(s, pair[0], Readiness.READ, Long.MAX_VALUE));
            Green.sleep();
            reader.kill();
            assertThatThrownBy(reader::get).hasCauseInstanceOf(GreenletExit.class);
            Fds.write(pair[1], new byte[] {1});
            assertThat(FdWaits.trampoline(s, pair[0], Readiness.READ, Long.MAX_VALUE) & Readiness.READ).isNotZero();
        } finally {
            Fds.closeQuietly(pair);
        }
    }

    @ParameterizedTest
    @MethodSource("dev.greenhub.testsuite.EveryHub#hubs")
    void fiberParkTimesOutUnparksAndKeepsAPermit(String hub) {
        try (Scheduler s = Scheduler.open(hub)) {
            GreenThread<Boolean> timedOut = Green.spawn(() -> Fiber.current().parkNanos(2_000_000L));
            assertThat(timedOut.get()).isFalse();
            Fiber[] fiber = new Fiber[1];
            GreenThread<Boolean> parked = Green.spawn(() -> {
                fiber[0] = Fiber.current();
                return fiber[0].parkNanos(5_000_000_000L);
            });
            Green.sleep();
            fiber[0].unpark();
            assertThat(parked.get()).isTrue();
            // a permit given before the park makes it return at once
            Fiber main = Fiber.current();
            assertThat(main.isGreen()).isFalse();
            main.unpark();
            long start = System.nanoTime();
            assertThat(main.parkNanos(5_000_000_000L)).isTrue();
            assertThat(System.nanoTime() - start).isLessThan(1_000_000_000L);
            assertThat(main.parkNanos(1_000_000L)).isFalse();
        }
    }

    @ParameterizedTest
    @MethodSource("dev.greenhub.testsuite.EveryHub#hubs")
    void killOfAParkedPlatformFiberIsThrownFromItsPark(String hub) {
        try (Scheduler s = Scheduler.open(hub)) {
            Fiber main = Fiber.current();
            IllegalStateException reason = new IllegalStateException("timeout");
            s.callLater(Duration.ofMillis(2), () -> main.kill(reason));
            assertThatThrownBy(main::park).isSameAs(reason);
            assertThat(main.isKillPending()).isFalse();
        }
    }

    @ParameterizedTest
    @MethodSource("dev.greenhub.testsuite.EveryHub#hubs")
    void aBlockingCallFromATimerCallbackIsRefused(String hub) {
        try (Scheduler s = Scheduler.open(hub)) {
            List<Throwable> reported = new ArrayList<>();
            s.setExceptionReporter((what, e) -> reported.add(e));
            s.callLater(Duration.ZERO, () -> Green.sleep(Duration.ofMillis(1)));
            Green.sleep(Duration.ofMillis(2));
            assertThat(reported).singleElement().isInstanceOf(IllegalStateException.class)
                    .extracting(Throwable::getMessage).asString().contains("blocking call inside the hub loop");
        }
    }
}
