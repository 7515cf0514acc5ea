package dev.greenhub.testsuite;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.greenhub.BoundedSemaphore;
import dev.greenhub.Green;
import dev.greenhub.GreenThread;
import dev.greenhub.GreenThreadException;
import dev.greenhub.GreenletExit;
import dev.greenhub.Scheduler;
import dev.greenhub.Semaphore;
import dev.greenhub.Timeout;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Semaphore and BoundedSemaphore, ported from eventlet's tests/semaphore_test.py, on every hub. */
class SemaphoreTest {

    /** test_non_blocking. */
    @ParameterizedTest
    @MethodSource("dev.greenhub.testsuite.EveryHub#hubs")
    void tryAcquireDoesNotWait(String hub) {
        try (Scheduler s = Scheduler.open(hub)) {
            Semaphore sem = new Semaphore(0);
            assertThat(sem.tryAcquire()).isFalse();
            assertThat(sem.isLocked()).isTrue();
            sem.release();
            assertThat(sem.isLocked()).isFalse();
            assertThat(sem.tryAcquire()).isTrue();
            assertThat(sem.counter()).isZero();
        }
    }

    /** test_timeout. */
    @ParameterizedTest
    @MethodSource("dev.greenhub.testsuite.EveryHub#hubs")
    void timedAcquireGivesUpAfterTheTimeout(String hub) {
        try (Scheduler s = Scheduler.open(hub)) {
            Semaphore sem = new Semaphore(0);
            long start = System.nanoTime();
            assertThat(sem.tryAcquire(Duration.ofMillis(50))).isFalse();
            assertThat(System.nanoTime() - start).isGreaterThanOrEqualTo(50_000_000L);
            assertThat(sem.waiting()).isZero();
            assertThat(sem.balance()).isZero();
        }
    }

    @ParameterizedTest
    @MethodSource("dev.greenhub.testsuite.EveryHub#hubs")
    void timedAcquireSucceedsWhenReleasedInTime(String hub) {
        try (Scheduler s = Scheduler.open(hub)) {
            Semaphore sem = new Semaphore(0);
            Green.spawnAfter(Duration.ofMillis(10), () -> {
                sem.release();
                return null;
            });
            assertThat(sem.tryAcquire(Duration.ofSeconds(10))).isTrue();
            assertThat(sem.counter()).isZero();
        }
    }

    /** Waiters are served strictly in arrival order. */
    @ParameterizedTest
    @MethodSource("dev.greenhub.testsuite.EveryHub#hubs")
    void waitersAreServedInFifoOrder(String hub) {
        try (Scheduler s = Scheduler.open(hub)) {
            Semaphore sem = new Semaphore(0);
            List<Integer> order = new ArrayList<>();
            List<GreenThread<Void>> gts = new ArrayList<>();
            for (int i = 0; i < 6; i++) {
                int n = i;
                gts.add(Green.spawn(() -> {
                    sem.acquire();
                    order.add(n);
                    return null;
                }));
                Green.sleep(); // arrive one after the other
            }
            assertThat(sem.waiting()).isEqualTo(6);
            assertThat(sem.balance()).isEqualTo(-6);
            for (int i = 0; i < 6; i++) {
                sem.release();
            }
            gts.forEach(GreenThread::get);
            assertThat(order).containsExactly(0, 1, 2, 3, 4, 5);
            assertThat(sem.counter()).isZero();
        }
    }

    /** A released unit belongs to the longest waiter; a newcomer cannot take it. */
    @ParameterizedTest
    @MethodSource("dev.greenhub.testsuite.EveryHub#hubs")
    void aNewcomerDoesNotOvertakeAWaiter(String hub) {
        try (Scheduler s = Scheduler.open(hub)) {
            Semaphore sem = new Semaphore(0);
            GreenThread<String> waiter = Green.spawn(() -> {
                sem.acquire();
                return "waiter got it";
            });
            Green.sleep();
            sem.release();
            assertThat(sem.tryAcquire()).isFalse();
            assertThat(waiter.get()).isEqualTo("waiter got it");
            assertThat(sem.counter()).isZero();
        }
    }

    /** test_semaphore_contention: with FIFO hand-over, two workers strictly alternate. */
    @ParameterizedTest
    @MethodSource("dev.greenhub.testsuite.EveryHub#hubs")
    void contendingWorkersAlternate(String hub) {
        try (Scheduler s = Scheduler.open(hub)) {
            Semaphore mutex = new Semaphore();
            List<Integer> holders = new ArrayList<>();
            List<GreenThread<Void>> workers = new ArrayList<>();
            for (int w = 1; w <= 2; w++) {
                int no = w;
                workers.add(Green.spawn(() -> {
                    for (int i = 0; i < 15; i++) {
                        mutex.acquire();
                        try {
                            holders.add(no);
                            Green.sleep(Duration.ofMillis(1));
                        } finally {
                            mutex.release();
                        }
                    }
                    return null;
                }));
            }
            workers.forEach(GreenThread::get);
            assertThat(holders).hasSize(30);
            for (int i = 0; i < holders.size(); i++) {
                assertThat(holders.get(i)).as("holder #%d", i).isEqualTo(i % 2 == 0 ? 1 : 2);
            }
            assertThat(mutex.counter()).isEqualTo(1);
        }
    }

    /** test_bounded (eventlet's balance accounting). */
    @ParameterizedTest
    @MethodSource("dev.greenhub.testsuite.EveryHub#hubs")
    void balanceCountsWaiters(String hub) {
        try (Scheduler s = Scheduler.open(hub)) {
            Semaphore sem = new Semaphore(2);
            sem.acquire();
            sem.acquire();
            List<GreenThread<Void>> gts = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                gts.add(Green.spawn(() -> acquire(sem)));
            }
            Green.sleep();
            assertThat(sem.balance()).isEqualTo(-3);
            assertThat(sem.counter()).isZero();
            for (int i = 0; i < 5; i++) {
                sem.release();
            }
            gts.forEach(GreenThread::get);
            assertThat(sem.balance()).isEqualTo(2);
            assertThat(sem.counter()).isEqualTo(2);
        }
    }

    @ParameterizedTest
    @MethodSource("dev.greenhub.testsuite.EveryHub#hubs")
    void boundedSemaphoreRefusesOverRelease(String hub) {
        try (Scheduler s = Scheduler.open(hub)) {
            BoundedSemaphore sem = new BoundedSemaphore(2);
            assertThatThrownBy(sem::release).isInstanceOf(IllegalStateException.class)
                    .hasMessage("BoundedSemaphore released too many times: the counter is already at its initial value 2");
            sem.acquire();
            sem.release();
            assertThat(sem.counter()).isEqualTo(2);
            assertThatThrownBy(sem::release).isInstanceOf(IllegalStateException.class);
            assertThat(sem.counter()).isEqualTo(2);
            assertThat(sem.limit()).isEqualTo(2);
        }
    }

    /** test_bounded_with_zero_limit: a release with a waiter hands over even at limit 0. */
    @ParameterizedTest
    @MethodSource("dev.greenhub.testsuite.EveryHub#hubs")
    void boundedSemaphoreHandsOverToAWaiter(String hub) {
        try (Scheduler s = Scheduler.open(hub)) {
            BoundedSemaphore sem = new BoundedSemaphore(1);
            sem.acquire();
            GreenThread<Void> gt = Green.spawn(() -> acquire(sem));
            Green.sleep();
            sem.release();
            gt.get();
            assertThat(sem.counter()).isZero();
            sem.release();
            assertThatThrownBy(sem::release).isInstanceOf(IllegalStateException.class);
        }
    }

    /** test_semaphore_type_check. */
    @ParameterizedTest
    @MethodSource("dev.greenhub.testsuite.EveryHub#hubs")
    void badValuesAreRefused(String hub) {
        try (Scheduler s = Scheduler.open(hub)) {
            assertThat(new Semaphore(0).counter()).isZero();
            assertThat(new Semaphore(100).counter()).isEqualTo(100);
            assertThatThrownBy(() -> new Semaphore(-1)).isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("semaphore value must not be negative: -1");
            assertThatThrownBy(() -> new BoundedSemaphore(-3)).isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> new Semaphore(0).tryAcquire(Duration.ofMillis(-5)))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("timeout must not be negative");
        }
    }

    /** A waiter killed right after a unit was handed to it passes the unit on. */
    @ParameterizedTest
    @MethodSource("dev.greenhub.testsuite.EveryHub#hubs")
    void aKilledWaiterPassesItsUnitOn(String hub) {
        try (Scheduler s = Scheduler.open(hub)) {
            Semaphore sem = new Semaphore(0);
            GreenThread<String> first = Green.spawn(() -> {
                sem.acquire();
                return "first";
            });
            GreenThread<String> second = Green.spawn(() -> {
                sem.acquire();
                return "second";
            });
            Green.sleep();
            sem.release(); // handed to first, which has not resumed yet
            first.kill();
            assertThatThrownBy(first::get).isInstanceOf(GreenThreadException.class).hasCauseInstanceOf(GreenletExit.class);
            assertThat(second.get()).isEqualTo("second");
            assertThat(sem.counter()).isZero();
            assertThat(sem.waiting()).isZero();
        }
    }

    @ParameterizedTest
    @MethodSource("dev.greenhub.testsuite.EveryHub#hubs")
    void aTimeoutEndsABlockedAcquire(String hub) {
        try (Scheduler s = Scheduler.open(hub)) {
            Semaphore sem = new Semaphore(0);
            Timeout t = Timeout.start(Duration.ofMillis(10));
            try (t) {
                assertThatThrownBy(sem::acquire).isSameAs(t);
            }
            assertThat(sem.waiting()).isZero();
            sem.release();
            assertThat(sem.counter()).isEqualTo(1);
        }
    }

    private static Void acquire(Semaphore sem) {
        sem.acquire();
        return null;
    }
}
