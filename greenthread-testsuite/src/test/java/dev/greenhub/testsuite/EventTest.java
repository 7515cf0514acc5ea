package dev.greenhub.testsuite;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.greenhub.Event;
import dev.greenhub.EventException;
import dev.greenhub.Green;
import dev.greenhub.GreenThread;
import dev.greenhub.Scheduler;
import dev.greenhub.Timeout;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Event behaviour, ported from eventlet's tests/event_test.py, on every hub. */
class EventTest {

    /** test_waiting_for_event. */
    @ParameterizedTest
    @MethodSource("dev.greenhub.testsuite.EveryHub#hubs")
    void waitingForEvent(String hub) {
        try (Scheduler s = Scheduler.open(hub)) {
            Event<String> evt = new Event<>();
            Green.spawnN(() -> evt.send("some stuff"));
            assertThat(evt.isReady()).isFalse();
            assertThat(evt.await()).isEqualTo("some stuff");
            assertThat(evt.isReady()).isTrue();
        }
    }

    /** test_multiple_waiters: every waiter wakes, in the order they started waiting. */
    @ParameterizedTest
    @MethodSource("dev.greenhub.testsuite.EveryHub#hubs")
    void allWaitersWake(String hub) {
        try (Scheduler s = Scheduler.open(hub)) {
            Event<Integer> evt = new Event<>();
            List<String> results = new ArrayList<>();
            List<GreenThread<Integer>> waiters = new ArrayList<>();
            for (int i = 0; i < 5; i++) {
                int n = i;
                waiters.add(Green.spawn(() -> {
                    int v = evt.await();
                    results.add(n + ":" + v);
                    return v;
                }));
            }
            Green.sleep(); // let them all wait
            assertThat(evt.waiting()).isEqualTo(5);
            assertThat(results).isEmpty();
            evt.send(7);
            for (GreenThread<Integer> w : waiters) {
                assertThat(w.get()).isEqualTo(7);
            }
            assertThat(results).containsExactly("0:7", "1:7", "2:7", "3:7", "4:7");
            assertThat(evt.waiting()).isZero();
        }
    }

    /** test_multiple_waiters_with_exception: every waiter gets the exception. */
    @ParameterizedTest
    @MethodSource("dev.greenhub.testsuite.EveryHub#hubs")
    void allWaitersGetTheSentException(String hub) {
        try (Scheduler s = Scheduler.open(hub)) {
            Event<Integer> evt = new Event<>();
            IllegalStateException boom = new IllegalStateException("boom");
            List<Throwable> causes = new ArrayList<>();
            List<GreenThread<Void>> waiters = new ArrayList<>();
            for (int i = 0; i < 5; i++) {
                waiters.add(Green.spawn(() -> {
                    try {
                        evt.await();
                    } catch (EventException e) {
                        causes.add(e.getCause());
                    }
                    return null;
                }));
            }
            Green.sleep();
            evt.sendException(boom);
            waiters.forEach(GreenThread::get);
            assertThat(causes).hasSize(5).allMatch(c -> c == boom);
            assertThatThrownBy(evt::await).isInstanceOf(EventException.class).hasCause(boom);
        }
    }

    /** test_reset. */
    @ParameterizedTest
    @MethodSource("dev.greenhub.testsuite.EveryHub#hubs")
    void resetAllowsASecondSend(String hub) {
        try (Scheduler s = Scheduler.open(hub)) {
            Event<String> evt = new Event<>();
            assertThatThrownBy(evt::reset).isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("not been sent");
            Green.spawnN(() -> evt.send("some stuff"));
            assertThat(evt.await()).isEqualTo("some stuff");
            assertThatThrownBy(() -> evt.send("second stuff")).isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("already sent").hasMessageContaining("some stuff");
            assertThat(evt.await()).isEqualTo("some stuff");
            evt.reset();
            assertThat(evt.isReady()).isFalse();
            Green.spawnN(() -> evt.send("second stuff"));
            assertThat(evt.await()).isEqualTo("second stuff");
        }
    }

    /** test_double_exception: after a reset the old exception is gone. */
    @ParameterizedTest
    @MethodSource("dev.greenhub.testsuite.EveryHub#hubs")
    void resetForgetsTheException(String hub) {
        try (Scheduler s = Scheduler.open(hub)) {
            Event<String> evt = new Event<>();
            evt.sendException(new RuntimeException("from test_double_exception"));
            assertThatThrownBy(evt::await).isInstanceOf(EventException.class)
                    .hasRootCauseMessage("from test_double_exception");
            evt.reset();
            try (Timeout t = Timeout.start(Duration.ofMillis(1))) {
                assertThatThrownBy(evt::await).isSameAs(t);
            }
        }
    }

    /** test_wait_timeout_ok. */
    @ParameterizedTest
    @MethodSource("dev.greenhub.testsuite.EveryHub#hubs")
    void timedAwaitReturnsTheValueSentInTime(String hub) throws Exception {
        try (Scheduler s = Scheduler.open(hub)) {
            Event<Boolean> evt = new Event<>();
            Green.spawnAfter(Duration.ofMillis(50), () -> {
                evt.send(true);
                return null;
            });
            long start = System.nanoTime();
            assertThat(evt.await(Duration.ofSeconds(5))).isTrue();
            assertThat(System.nanoTime() - start).isGreaterThanOrEqualTo(50_000_000L);
        }
    }

    /** test_wait_timeout_exceed: the default value (eventlet's None), or TimeoutException. */
    @ParameterizedTest
    @MethodSource("dev.greenhub.testsuite.EveryHub#hubs")
    void timedAwaitGivesUpAfterTheTimeout(String hub) {
        try (Scheduler s = Scheduler.open(hub)) {
            Event<Boolean> evt = new Event<>();
            GreenThread<Object> sender = Green.spawnAfter(Duration.ofMillis(500), () -> {
                evt.send(true);
                return null;
            });
            long start = System.nanoTime();
            assertThat(evt.await(Duration.ofMillis(40), false)).isFalse();
            assertThat(System.nanoTime() - start).isGreaterThanOrEqualTo(40_000_000L);
            start = System.nanoTime();
            assertThatThrownBy(() -> evt.await(Duration.ofMillis(20))).isInstanceOf(TimeoutException.class)
                    .hasMessageContaining("PT0.02S");
            assertThat(System.nanoTime() - start).isGreaterThanOrEqualTo(20_000_000L);
            assertThat(evt.waiting()).isZero();
            assertThat(sender.cancel()).isTrue();
        }
    }

    @ParameterizedTest
    @MethodSource("dev.greenhub.testsuite.EveryHub#hubs")
    void aWokenWaiterKeepsItsValueThroughAReset(String hub) {
        try (Scheduler s = Scheduler.open(hub)) {
            Event<String> evt = new Event<>();
            GreenThread<String> waiter = Green.spawn(() -> evt.await());
            Green.sleep();
            evt.send("first");
            evt.reset();
            evt.send("second");
            assertThat(waiter.get()).isEqualTo("first");
        }
    }

    @ParameterizedTest
    @MethodSource("dev.greenhub.testsuite.EveryHub#hubs")
    void aThreadWithoutASchedulerMaySend(String hub) throws Exception {
        try (Scheduler s = Scheduler.open(hub)) {
            Event<String> evt = new Event<>();
            GreenThread<String> green = Green.spawn(() -> evt.await());
            Green.sleep();
            Thread sender = new Thread(() -> evt.send("from a plain thread"));
            sender.start();
            assertThat(evt.await(Duration.ofSeconds(10))).isEqualTo("from a plain thread");
            assertThat(green.get(Duration.ofSeconds(10))).isEqualTo("from a plain thread");
            sender.join(10_000);
            assertThat(sender.isAlive()).isFalse();
        }
    }

    @ParameterizedTest
    @MethodSource("dev.greenhub.testsuite.EveryHub#hubs")
    void aKilledWaiterLeavesTheWaiterList(String hub) {
        try (Scheduler s = Scheduler.open(hub)) {
            Event<String> evt = new Event<>();
            GreenThread<String> waiter = Green.spawn(() -> evt.await());
            Green.sleep();
            assertThat(evt.waiting()).isEqualTo(1);
            waiter.kill();
            assertThat(waiter.isDone()).isTrue();
            assertThat(evt.waiting()).isZero();
            assertThatThrownBy(() -> evt.await(Duration.ofMillis(-1), "x"))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("timeout must not be negative");
        }
    }
}
