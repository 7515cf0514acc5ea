package dev.greenhub.testsuite;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.greenhub.Green;
import dev.greenhub.GreenThread;
import dev.greenhub.Scheduler;
import dev.greenhub.Timeout;
import dev.greenhub.Tpool;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Tpool: blocking calls on platform threads while the hub goes on. */
class TpoolTest {

    @ParameterizedTest
    @MethodSource("dev.greenhub.testsuite.EveryHub#hubs")
    void aBlockingCallRunsOnAPoolThreadWhileTheHubKeepsRunning(String hub) throws Exception {
        try (Scheduler s = Scheduler.open(hub)) {
            AtomicInteger ticks = new AtomicInteger();
            boolean[] stop = {false};
            GreenThread<Void> ticker = Green.spawn(() -> {
                while (!stop[0]) {
                    ticks.incrementAndGet();
                    Green.sleep(Duration.ofMillis(2));
                }
                return null;
            });
            GreenThread<String> caller = Green.spawn(() -> Tpool.execute(() -> {
                Thread.sleep(150); // blocks a platform thread, not the hub
                return Thread.currentThread().getName() + " ticks " + ticks.get();
            }));
            String result = caller.get();
            stop[0] = true;
            ticker.get();
            assertThat(result).startsWith("greenhub-tpool-");
            assertThat(Integer.parseInt(result.substring(result.lastIndexOf(' ') + 1))).isGreaterThan(5);
        }
    }

    @ParameterizedTest
    @MethodSource("dev.greenhub.testsuite.EveryHub#hubs")
    void exceptionsComeBackUnchangedAndManyCallersGetTheirOwnResults(String hub) throws Exception {
        try (Scheduler s = Scheduler.open(hub)) {
            IOException failure = new IOException("disk on fire");
            GreenThread<Object> failing = Green.spawn(() -> Tpool.execute(() -> {
                throw failure;
            }));
            assertThatThrownBy(failing::get).cause().isSameAs(failure);
            List<GreenThread<Integer>> callers = new ArrayList<>();
            for (int i = 0; i < 100; i++) {
                int n = i;
                callers.add(Green.spawn(() -> Tpool.execute(() -> n * n)));
            }
            for (int i = 0; i < 100; i++) {
                assertThat(callers.get(i).get()).isEqualTo(i * i);
            }
            // from the platform thread too (it runs the loop while it waits), and nested
            assertThat(Tpool.execute(() -> Tpool.execute(() -> Thread.currentThread().getName())))
                    .startsWith("greenhub-tpool-");
        }
    }

    @ParameterizedTest
    @MethodSource("dev.greenhub.testsuite.EveryHub#hubs")
    void aTimeoutStopsTheWaitAndInterruptsTheCall(String hub) throws Exception {
        try (Scheduler s = Scheduler.open(hub)) {
            // A loaded machine may not start the pool thread before a short timeout, and a call
            // cancelled before it starts is never run (nothing to interrupt): the timeout doubles
            // until the call has started in time.
            for (long timeoutMs = 50; ; timeoutMs *= 2) {
                CountDownLatch started = new CountDownLatch(1);
                CountDownLatch interrupted = new CountDownLatch(1);
                Duration timeout = Duration.ofMillis(timeoutMs);
                GreenThread<Object> caller = Green.spawn(() -> {
                    try (Timeout t = Timeout.start(timeout)) {
                        return Tpool.execute(() -> {
                            started.countDown();
                            try {
                                Thread.sleep(20_000);
                                return "slept";
                            } catch (InterruptedException e) {
                                interrupted.countDown();
                                throw e;
                            }
                        });
                    } catch (Timeout t) {
                        return t;
                    }
                });
                long start = System.nanoTime();
                assertThat(caller.get()).isInstanceOf(Timeout.class);
                assertThat(System.nanoTime() - start).isLessThan(timeout.toNanos() + 5_000_000_000L);
                if (started.getCount() == 0) {
                    assertThat(interrupted.await(10, TimeUnit.SECONDS)).as("the started call was interrupted").isTrue();
                    break;
                }
                assertThat(timeoutMs).as("the pool never started a call within its timeout").isLessThan(5_000);
            }
            // the pool still works, and the interrupt did not leak into the next call
            assertThat(Green.spawn(() -> Tpool.execute(() -> Thread.currentThread().isInterrupted())).get()).isFalse();
        }
    }

    @Test
    void theSizeComesFromThePropertyAndBoundsTheConcurrency() throws Exception {
        String old = System.getProperty(Tpool.SIZE_PROPERTY);
        Tpool.shutdown();
        try (Scheduler s = Scheduler.open((String) null)) {
            System.setProperty(Tpool.SIZE_PROPERTY, "nope");
            assertThatThrownBy(Tpool::size).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining(Tpool.SIZE_PROPERTY).hasMessageContaining("'nope'");
            System.setProperty(Tpool.SIZE_PROPERTY, "3");
            assertThat(Tpool.size()).isEqualTo(3);
            AtomicInteger running = new AtomicInteger();
            AtomicInteger most = new AtomicInteger();
            List<GreenThread<Integer>> callers = new ArrayList<>();
            for (int i = 0; i < 9; i++) {
                callers.add(Green.spawn(() -> Tpool.execute(() -> {
                    most.accumulateAndGet(running.incrementAndGet(), Math::max);
                    Thread.sleep(30);
                    running.decrementAndGet();
                    return 1;
                })));
            }
            int sum = 0;
            for (GreenThread<Integer> c : callers) {
                sum += c.get();
            }
            assertThat(sum).isEqualTo(9);
            assertThat(most.get()).isEqualTo(3);
        } finally {
            Tpool.shutdown();
            if (old == null) {
                System.clearProperty(Tpool.SIZE_PROPERTY);
            } else {
                System.setProperty(Tpool.SIZE_PROPERTY, old);
            }
        }
        assertThat(Tpool.size()).isEqualTo(old == null ? Tpool.DEFAULT_SIZE : Integer.parseInt(old));
    }
}
