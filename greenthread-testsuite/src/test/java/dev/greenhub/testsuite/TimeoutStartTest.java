package dev.greenhub.testsuite;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.fail;

import dev.greenhub.Green;
import dev.greenhub.GreenThread;
import dev.greenhub.Scheduler;
import dev.greenhub.Timeout;
import java.time.Duration;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Timeouts created unstarted and started later, and the timeout without limit, on every hub;
 * ported from eventlet's tests/timeout_test.py (test_direct_raise_instance, test_repr) and
 * tests/timeout_with_statement_test.py (test_dummy_timer, test_cancel_timer_inside_block,
 * restarting after a cancel as Timeout.start's assertion allows).
 */
class TimeoutStartTest {
    private static final Duration DELAY = Duration.ofMillis(20);

    @ParameterizedTest
    @MethodSource("dev.greenhub.testsuite.EveryHub#hubs")
    void anUnstartedTimeoutFiresOnlyAfterItIsStarted(String hub) {
        try (Scheduler s = Scheduler.open(hub)) {
            Timeout t = Timeout.unstarted(DELAY);
            assertThat(t.isPending()).isFalse();
            assertThat(t.toString()).contains("not started");
            Green.sleep(DELAY.multipliedBy(3)); // never started: nothing fires
            assertThat(t.isExpired()).isFalse();
            long start = System.nanoTime();
            try (Timeout running = t.start()) {
                assertThat(running).isSameAs(t);
                assertThat(t.isPending()).isTrue();
                Green.sleep(Duration.ofSeconds(10));
                fail("must raise the timeout");
            } catch (Timeout e) {
                assertThat(e).isSameAs(t);
            }
            assertThat(System.nanoTime() - start).isGreaterThanOrEqualTo(DELAY.toNanos());
            assertThat(t.isExpired()).isTrue();
        }
    }

    /** A timeout is bound to the thread that starts it, not to the one that created it. */
    @ParameterizedTest
    @MethodSource("dev.greenhub.testsuite.EveryHub#hubs")
    void itInterruptsTheThreadThatStartsIt(String hub) {
        try (Scheduler s = Scheduler.open(hub)) {
            Timeout t = Timeout.unstarted(DELAY);
            GreenThread<String> g = Green.spawn(() -> {
                try (Timeout running = t.start()) {
                    Green.sleep(Duration.ofSeconds(10));
                    return "slept";
                } catch (Timeout e) {
                    return e == t ? "timed out" : "other";
                }
            });
            Green.sleep(DELAY.multipliedBy(2)); // the creator is not interrupted
            assertThat(g.get()).isEqualTo("timed out");
        }
    }

    // Timeout.start: "to restart it, cancel it first"; test_cancel_timer_inside_block
    @ParameterizedTest
    @MethodSource("dev.greenhub.testsuite.EveryHub#hubs")
    void aPendingTimeoutCannotBeStartedTwiceButACancelledOneRestarts(String hub) {
        try (Scheduler s = Scheduler.open(hub)) {
            Timeout t = Timeout.start(DELAY);
            assertThatThrownBy(t::start).isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("already started").hasMessageContaining("cancel");
            assertThat(t.cancel()).isTrue();
            Green.sleep(DELAY.multipliedBy(2)); // cancelled inside the block: nothing fires
            assertThat(t.isExpired()).isFalse();
            try (Timeout again = t.start()) {
                assertThat(again.isPending()).isTrue();
                Green.sleep(Duration.ofSeconds(10));
                fail("the restarted timeout must fire");
            } catch (Timeout e) {
                assertThat(e).isSameAs(t);
            }
            // expired, it may be started again too; a close before the deadline means it never fires
            try (Timeout third = t.start()) {
                assertThat(third.isPending()).isTrue();
            }
            Green.sleep(DELAY.multipliedBy(2));
            assertThat(t.isPending()).isFalse();
        }
    }

    // test_dummy_timer: Timeout(None) never fires; start/cancel/close do nothing
    @ParameterizedTest
    @MethodSource("dev.greenhub.testsuite.EveryHub#hubs")
    void aTimeoutWithoutLimitNeverFires(String hub) {
        try (Scheduler s = Scheduler.open(hub)) {
            Timeout never = Timeout.never();
            try (Timeout t = never.start()) {
                assertThat(t.isPending()).isFalse();
                assertThat(t.start()).isSameAs(t); // again: still nothing
                Green.sleep(DELAY);
            }
            Green.sleep(DELAY);
            assertThat(never.isExpired()).isFalse();
            assertThat(never.cancel()).isFalse();
            assertThat(never.duration()).isEmpty();
            assertThat(never.toString()).contains("never");
            assertThat(Timeout.start(DELAY).duration()).contains(DELAY);
        }
    }

    // test_direct_raise_instance: a Timeout raised directly is caught as itself, not pending
    @ParameterizedTest
    @MethodSource("dev.greenhub.testsuite.EveryHub#hubs")
    void aTimeoutCanBeRaisedDirectly(String hub) {
        try (Scheduler s = Scheduler.open(hub)) {
            Timeout tm = Timeout.never();
            try {
                throw tm;
            } catch (Timeout t) {
                assertThat(t).isSameAs(tm);
                assertThat(t.isPending()).isFalse();
                assertThat(Timeout.isTimeout(t)).isTrue();
            }
        }
    }

    @ParameterizedTest
    @MethodSource("dev.greenhub.testsuite.EveryHub#hubs")
    void badArgumentsAreRefusedAtCreation(String hub) {
        try (Scheduler s = Scheduler.open(hub)) {
            assertThatThrownBy(() -> Timeout.unstarted(Duration.ofMillis(-1)))
                    .isInstanceOf(IllegalArgumentException.class).hasMessage("duration must not be negative: PT-0.001S");
            assertThatThrownBy(() -> Timeout.unstarted(null)).isInstanceOf(NullPointerException.class);
            // a huge duration is clamped, never overflows into the past
            try (Timeout t = Timeout.unstarted(Duration.ofSeconds(Long.MAX_VALUE)).start()) {
                Green.sleep(DELAY);
                assertThat(t.isPending()).isTrue();
            }
        }
    }
}
