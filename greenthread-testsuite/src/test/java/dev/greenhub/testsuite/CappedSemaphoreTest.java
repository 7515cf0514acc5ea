package dev.greenhub.testsuite;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.greenhub.CappedSemaphore;
import dev.greenhub.Green;
import dev.greenhub.GreenThread;
import dev.greenhub.Scheduler;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * CappedSemaphore on every hub; eventlet's tests/semaphore_test.py cases (test_bounded,
 * test_non_blocking, test_timeout, test_timeout_non_blocking) carried over to both ends.
 */
class CappedSemaphoreTest {
    @ParameterizedTest
    @MethodSource("dev.greenhub.testsuite.EveryHub#hubs")
    void acquireWaitsAtZeroAndReleaseWaitsAtTheLimit(String hub) throws Exception {
        try (Scheduler s = Scheduler.open(hub)) {
            CappedSemaphore sem = new CappedSemaphore(1, 2);
            List<String> order = new ArrayList<>();
            sem.release();
            assertThat(sem.counter()).isEqualTo(2);
            GreenThread<Void> releaser = Green.spawn(() -> {
                order.add("release waits");
                sem.release(); // at the limit: waits for an acquire
                order.add("released");
                return null;
            });
            Green.sleep();
            assertThat(sem.waitingToRelease()).isEqualTo(1);
            order.add("acquire");
            sem.acquire();
            releaser.get();
            assertThat(order).containsExactly("release waits", "acquire", "released");
            assertThat(sem.counter()).isEqualTo(2);

            sem.acquire();
            sem.acquire();
            GreenThread<Boolean> acquirer = Green.spawn(() -> {
                sem.acquire();
                return true;
            });
            Green.sleep();
            assertThat(sem.waitingToAcquire()).isEqualTo(1);
            sem.release();
            assertThat(acquirer.get()).isTrue();
            assertThat(sem.counter()).isZero();
        }
    }

    @ParameterizedTest
    @MethodSource("dev.greenhub.testsuite.EveryHub#hubs")
    void nonBlockingAndTimedCallsAtBothEnds(String hub) throws Exception {
        try (Scheduler s = Scheduler.open(hub)) {
            CappedSemaphore sem = new CappedSemaphore(0, 1);
            assertThat(sem.tryAcquire()).isFalse();
            assertThat(sem.tryAcquire(Duration.ofMillis(10))).isFalse();
            assertThat(sem.tryRelease()).isTrue();
            assertThat(sem.tryRelease()).isFalse();
            assertThat(sem.tryRelease(Duration.ofMillis(10))).isFalse();
            assertThat(sem.counter()).isEqualTo(1);
            assertThat(sem.tryAcquire(Duration.ZERO)).isTrue();
            assertThat(sem.counter()).isZero();
            assertThat(sem.toString()).isEqualTo("CappedSemaphore[0 of 1]");
        }
    }

    @org.junit.jupiter.api.Test
    void badLimitsAreRefusedWithTheValues() {
        assertThatThrownBy(() -> new CappedSemaphore(3, 2)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("from 0 to the limit 2, not 3");
        assertThatThrownBy(() -> new CappedSemaphore(0, -1)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("-1");
    }
}
