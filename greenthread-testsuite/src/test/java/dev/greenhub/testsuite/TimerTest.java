package dev.greenhub.testsuite;

import static org.assertj.core.api.Assertions.assertThat;

import dev.greenhub.Green;
import dev.greenhub.GreenThread;
import dev.greenhub.Scheduler;
import dev.greenhub.Timer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Timer behaviour, ported from eventlet's hub_test.py and timer tests, on every hub. */
class TimerTest {
    private static final Runnable NOOP = () -> { };

    @ParameterizedTest
    @MethodSource("dev.greenhub.testsuite.EveryHub#hubs")
    void timersFireInDeadlineOrder(String hub) {
        try (Scheduler s = Scheduler.open(hub)) {
            List<Integer> fired = new ArrayList<>();
            int[] delaysMs = {40, 10, 30, 0, 20, 5};
            for (int d : delaysMs) {
                s.callLater(Duration.ofMillis(d), () -> fired.add(d));
            }
            Green.sleep(Duration.ofMillis(60));
            assertThat(fired).containsExactly(0, 5, 10, 20, 30, 40);
        }
    }

    @ParameterizedTest
    @MethodSource("dev.greenhub.testsuite.EveryHub#hubs")
    void equalDeadlinesFireInSchedulingOrder(String hub) {
        try (Scheduler s = Scheduler.open(hub)) {
            List<Integer> fired = new ArrayList<>();
            long deadline = System.nanoTime() + 5_000_000L;
            for (int i = 0; i < 50; i++) {
                int n = i;
                s.callAt(deadline, () -> fired.add(n));
            }
            Green.sleep(Duration.ofMillis(20));
            assertThat(fired).hasSize(50).isSorted();
        }
    }

    @ParameterizedTest
    @MethodSource("dev.greenhub.testsuite.EveryHub#hubs")
    void timerNeverFiresBeforeItsDeadline(String hub) {
        try (Scheduler s = Scheduler.open(hub)) {
            long[] firedAt = new long[1];
            long start = System.nanoTime();
            Timer t = s.callLater(Duration.ofMillis(15), () -> firedAt[0] = System.nanoTime());
            Green.sleep(Duration.ofMillis(40));
            assertThat(t.isCalled()).isTrue();
            assertThat(firedAt[0] - start).isGreaterThanOrEqualTo(15_000_000L);
            assertThat(firedAt[0]).isGreaterThanOrEqualTo(t.deadlineNanos());
        }
    }

    @ParameterizedTest
    @MethodSource("dev.greenhub.testsuite.EveryHub#hubs")
    void cancelledTimerNeverFires(String hub) {
        try (Scheduler s = Scheduler.open(hub)) {
            List<String> fired = new ArrayList<>();
            Timer cancelledEarly = s.callLater(Duration.ofMillis(5), () -> fired.add("early"));
            s.callLater(Duration.ofMillis(10), () -> fired.add("kept"));
            Timer cancelledInHeap = s.callLater(Duration.ofMillis(15), () -> fired.add("late"));
            assertThat(cancelledEarly.cancel()).isTrue();
            assertThat(cancelledEarly.cancel()).isFalse();
            Green.sleep(); // moves the rest into the heap
            assertThat(cancelledInHeap.cancel()).isTrue();
            Green.sleep(Duration.ofMillis(40));
            assertThat(fired).containsExactly("kept");
            assertThat(cancelledEarly.isCancelled()).isTrue();
            assertThat(cancelledEarly.isCalled()).isFalse();
            assertThat(cancelledInHeap.isCalled()).isFalse();
            assertThat(s.cancelledTimerCount()).isZero();
        }
    }

    @ParameterizedTest
    @MethodSource("dev.greenhub.testsuite.EveryHub#hubs")
    void cancellingAFiredTimerIsANoOp(String hub) {
        try (Scheduler s = Scheduler.open(hub)) {
            Timer t = s.callLater(Duration.ZERO, NOOP);
            Green.sleep();
            assertThat(t.isCalled()).isTrue();
            assertThat(t.cancel()).isFalse();
            assertThat(s.cancelledTimerCount()).isZero();
        }
    }

    /** eventlet TestTimerCleanup.test_cancel_immediate. */
    @ParameterizedTest
    @MethodSource("dev.greenhub.testsuite.EveryHub#hubs")
    void cancelImmediateKeepsTheCancelledCountBounded(String hub) {
        try (Scheduler s = Scheduler.open(hub)) {
            int startTimers = s.timerCount();
            for (int i = 0; i < 2000; i++) {
                Timer t = s.callLater(Duration.ofSeconds(60), NOOP);
                t.cancel();
                assertThat(s.cancelledTimerCount()).isLessThanOrEqualTo(s.timerCount() + 1);
            }
            assertThat(s.timerCount()).isLessThanOrEqualTo(1000 + startTimers);
            assertThat(s.cancelledTimerCount()).isLessThanOrEqualTo(1000);
        }
    }

    /** eventlet TestTimerCleanup.test_cancel_accumulated. */
    @ParameterizedTest
    @MethodSource("dev.greenhub.testsuite.EveryHub#hubs")
    void cancelAccumulatedKeepsTheCancelledCountBounded(String hub) {
        try (Scheduler s = Scheduler.open(hub)) {
            int startTimers = s.timerCount();
            for (int i = 0; i < 2000; i++) {
                Timer t = s.callLater(Duration.ofSeconds(60), NOOP);
                Green.sleep();
                assertThat(s.cancelledTimerCount()).isLessThanOrEqualTo(s.timerCount() + 1);
                t.cancel();
                assertThat(s.cancelledTimerCount()).isLessThanOrEqualTo(s.timerCount() + 1);
            }
            assertThat(s.timerCount()).isLessThanOrEqualTo(1000 + startTimers);
            assertThat(s.cancelledTimerCount()).isLessThanOrEqualTo(1000);
        }
    }

    /** eventlet TestTimerCleanup.test_cancel_proportion: under half cancelled, nothing is dropped. */
    @ParameterizedTest
    @MethodSource("dev.greenhub.testsuite.EveryHub#hubs")
    void cancelProportionKeepsUncancelledTimers(String hub) {
        try (Scheduler s = Scheduler.open(hub)) {
            List<Timer> uncancelled = new ArrayList<>();
            for (int i = 0; i < 1000; i++) {
                Timer t = s.callLater(Duration.ofSeconds(60), NOOP);
                Timer t2 = s.callLater(Duration.ofSeconds(60), NOOP);
                Timer t3 = s.callLater(Duration.ofSeconds(60), NOOP);
                Green.sleep();
                t.cancel();
                assertThat(s.cancelledTimerCount()).isLessThanOrEqualTo(s.timerCount() + 1);
                uncancelled.add(t2);
                uncancelled.add(t3);
            }
            assertThat(s.timerCount()).isGreaterThanOrEqualTo(3000);
            assertThat(s.cancelledTimerCount()).isEqualTo(1000);
            for (Timer t : uncancelled) {
                t.cancel();
                assertThat(s.cancelledTimerCount()).isLessThanOrEqualTo(s.timerCount());
            }
            assertThat(s.timerCount()).isLessThan(1000);
            Green.sleep();
        }
    }

    @ParameterizedTest
    @MethodSource("dev.greenhub.testsuite.EveryHub#hubs")
    void timerExceptionIsReportedAndTheLoopGoesOn(String hub) {
        try (Scheduler s = Scheduler.open(hub)) {
            List<Throwable> reported = new CopyOnWriteArrayList<>();
            s.setExceptionReporter((what, e) -> reported.add(e));
            List<String> fired = new ArrayList<>();
            IllegalStateException boom = new IllegalStateException("boom");
            s.callLater(Duration.ofMillis(1), () -> {
                throw boom;
            });
            s.callLater(Duration.ofMillis(2), () -> fired.add("after"));
            GreenThread<String> g = Green.spawn(() -> {
                Green.sleep(Duration.ofMillis(5));
                return "still running";
            });
            assertThat(g.get()).isEqualTo("still running");
            assertThat(fired).containsExactly("after");
            assertThat(reported).containsExactly(boom);
        }
    }

    @ParameterizedTest
    @MethodSource("dev.greenhub.testsuite.EveryHub#hubs")
    void reportingCanBeSwitchedOff(String hub) {
        try (Scheduler s = Scheduler.open(hub)) {
            s.setExceptionReporter(null);
            List<String> fired = new ArrayList<>();
            s.callLater(Duration.ZERO, () -> {
                throw new IllegalStateException("nobody hears this");
            });
            s.callLater(Duration.ZERO, () -> fired.add("next"));
            Green.sleep(Duration.ofMillis(1));
            assertThat(fired).containsExactly("next");
        }
    }

    @ParameterizedTest
    @MethodSource("dev.greenhub.testsuite.EveryHub#hubs")
    void timersScheduledByTimersWaitForTheNextTurn(String hub) {
        try (Scheduler s = Scheduler.open(hub)) {
            List<String> fired = new ArrayList<>();
            s.callLater(Duration.ZERO, () -> {
                fired.add("a");
                s.callLater(Duration.ZERO, () -> fired.add("c"));
            });
            s.callLater(Duration.ZERO, () -> fired.add("b"));
            // Not one fixed sleep: on a loaded machine the sleep's own timer may be due in the
            // first round already, and resume this thread before the next turn fires "c".
            long until = System.nanoTime() + 10_000_000_000L;
            while (fired.size() < 3 && System.nanoTime() < until) {
                Green.sleep(Duration.ofMillis(1));
            }
            assertThat(fired).containsExactly("a", "b", "c");
        }
    }
}
