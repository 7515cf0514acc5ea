package dev.greenhub.testsuite;

import static org.assertj.core.api.Assertions.assertThat;

import dev.greenhub.Fiber;
import dev.greenhub.Green;
import dev.greenhub.GreenThread;
import dev.greenhub.Scheduler;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Work handed to the loop by other threads: no lost wakeups, cross-scheduler waits, on every hub. */
class ForeignThreadTest {

    @ParameterizedTest
    @MethodSource("dev.greenhub.testsuite.EveryHub#hubs")
    void runOnCarrierFromAnotherThreadWakesABlockedLoop(String hub) throws Exception {
        try (Scheduler s = Scheduler.open(hub)) {
            Fiber main = Fiber.current();
            List<String> ran = new ArrayList<>();
            Thread t = Thread.ofPlatform().start(() -> {
                sleepQuietly(20);
                s.runOnCarrier(() -> {
                    ran.add("task on " + Thread.currentThread().getName());
                    main.unpark();
                });
            });
            long start = System.nanoTime();
            main.park(); // no timers, no fds: only the foreign task can end this
            assertThat(ran).containsExactly("task on " + Thread.currentThread().getName());
            assertThat(System.nanoTime() - start).isLessThan(20_000_000_000L);
            t.join(30_000);
        }
    }

    @ParameterizedTest
    @MethodSource("dev.greenhub.testsuite.EveryHub#hubs")
    void noWakeupIsLostUnderManyForeignUnparks(String hub) throws Exception {
        try (Scheduler s = Scheduler.open(hub)) {
            int rounds = 2000;
            Fiber[] green = new Fiber[1];
            AtomicInteger turn = new AtomicInteger();
            CountDownLatch ready = new CountDownLatch(1);
            GreenThread<Integer> waiter = Green.spawn(() -> {
                green[0] = Fiber.current();
                ready.countDown();
                int seen = 0;
                while (seen < rounds) {
                    while (turn.get() == seen * 2) {
                        green[0].park();
                    }
                    seen++;
                    turn.incrementAndGet(); // odd -> even: the producer may go on
                }
                return seen;
            });
            Thread producer = Thread.ofPlatform().start(() -> {
                try {
                    ready.await();
                } catch (InterruptedException e) {
                    return;
                }
                for (int i = 0; i < rounds; i++) {
                    while (turn.get() != i * 2) {
                        Thread.onSpinWait();
                    }
                    turn.incrementAndGet();
                    green[0].unpark();
                }
            });
            assertThat(waiter.get(Duration.ofSeconds(40))).isEqualTo(rounds);
            producer.join(30_000);
        }
    }

    @ParameterizedTest
    @MethodSource("dev.greenhub.testsuite.EveryHub#hubs")
    void aPlatformThreadOfAnotherSchedulerWaitsForAGreenResult(String hub) throws Exception {
        try (Scheduler s = Scheduler.open(hub)) {
            GreenThread<String> g = Green.spawn(() -> {
                Green.sleep(Duration.ofMillis(10));
                return "done";
            });
            CompletableFuture<String> seen = new CompletableFuture<>();
            Thread other = Thread.ofPlatform().start(() -> {
                try (Scheduler theirs = Scheduler.open(hub)) {
                    seen.complete(g.get());
                } catch (Throwable e) {
                    seen.completeExceptionally(e);
                }
            });
            assertThat(g.get()).isEqualTo("done");
            assertThat(seen.get(30, TimeUnit.SECONDS)).isEqualTo("done");
            other.join(30_000);
        }
    }

    @ParameterizedTest
    @MethodSource("dev.greenhub.testsuite.EveryHub#hubs")
    void killFromAnotherThreadIsDelivered(String hub) throws Exception {
        try (Scheduler s = Scheduler.open(hub)) {
            GreenThread<String> g = Green.spawn(() -> {
                Green.sleep(Duration.ofSeconds(20));
                return "woke";
            });
            Green.sleep();
            Thread killer = Thread.ofPlatform().start(g::kill);
            killer.join(30_000);
            long start = System.nanoTime();
            try {
                g.get();
            } catch (RuntimeException expected) {
                // GreenThreadException with GreenletExit
            }
            assertThat(g.isDone()).isTrue();
            assertThat(System.nanoTime() - start).isLessThan(10_000_000_000L);
        }
    }

    private static void sleepQuietly(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @ParameterizedTest
    @MethodSource("dev.greenhub.testsuite.EveryHub#hubs")
    void aJdkVirtualThreadIsToldToUseAPlatformThreadOrAGreenExecutorServiceAndTheFixWorks(String hub)
            throws Exception {
        CompletableFuture<Throwable> refused = new CompletableFuture<>();
        CompletableFuture<String> viaExecutor = new CompletableFuture<>();
        Thread jdkVirtual = Thread.ofVirtual().start(() -> {
            try {
                Green.sleep(Duration.ofMillis(1));
                refused.complete(null);
            } catch (Throwable e) {
                refused.complete(e);
            }
            try (dev.greenhub.GreenExecutorService executor = dev.greenhub.GreenExecutorService.open(hub)) {
                viaExecutor.complete(executor.submit(() -> {
                    Green.sleep(Duration.ofMillis(1));
                    return Green.inGreenThread() + " on " + Scheduler.current().hubName();
                }).get());
            } catch (Throwable e) {
                viaExecutor.completeExceptionally(e);
            }
        });
        assertThat(jdkVirtual.join(Duration.ofSeconds(30))).isTrue();
        assertThat(refused.get()).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("is a virtual thread that greenhub did not create")
                .hasMessageContaining("platform thread").hasMessageContaining("GreenExecutorService");
        assertThat(viaExecutor.get()).isEqualTo("true on " + hub);
    }

    @ParameterizedTest
    @MethodSource("dev.greenhub.testsuite.EveryHub#hubs")
    void openingASchedulerFromAGreenThreadSaysWhereToOpenIt(String hub) {
        try (Scheduler s = Scheduler.open(hub)) {
            Throwable e = Green.spawn(() -> {
                try {
                    Scheduler.open(hub).close();
                    return null;
                } catch (IllegalStateException expected) {
                    return expected;
                }
            }).get();
            assertThat(e).isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("is a green thread").hasMessageContaining("from a platform thread");
        }
    }

    @ParameterizedTest
    @MethodSource("dev.greenhub.testsuite.EveryHub#hubs")
    void aGreenThreadThatReplacesItsUncaughtExceptionHandlerIsStillGreen(String hub) {
        try (Scheduler s = Scheduler.open(hub)) {
            dev.greenhub.Event<String> event = new dev.greenhub.Event<>();
            GreenThread<String> g = Green.spawn(() -> {
                Thread.currentThread().setUncaughtExceptionHandler((t, e) -> { });
                Green.sleep(Duration.ofMillis(1));
                return Green.inGreenThread() + " " + (Scheduler.current() == s) + " " + event.await();
            });
            Green.sleep(Duration.ZERO);
            event.send("woken");
            assertThat(g.get()).isEqualTo("true true woken");
        }
    }
}
