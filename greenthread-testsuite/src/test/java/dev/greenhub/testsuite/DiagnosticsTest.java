package dev.greenhub.testsuite;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.greenhub.Diagnostics;
import dev.greenhub.Green;
import dev.greenhub.GreenIo;
import dev.greenhub.GreenThread;
import dev.greenhub.Scheduler;
import dev.greenhub.hub.Readiness;
import dev.greenhub.nativeio.Fds;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Blocking detection, hub exception reporting, listener and timer listings, on every hub. */
class DiagnosticsTest {

    /** Collects the records of one java.util.logging logger (System.Logger's default backend). */
    static final class Captured extends Handler implements AutoCloseable {
        final Logger logger;
        final List<LogRecord> records = Collections.synchronizedList(new ArrayList<>());

        Captured(String name) {
            logger = Logger.getLogger(name);
            logger.addHandler(this);
        }

        @Override
        public void publish(LogRecord record) {
            records.add(record);
        }

        @Override
        public void flush() {
        }

        @Override
        public void close() {
            logger.removeHandler(this);
        }

        List<String> messages(Level level) {
            synchronized (records) {
                return records.stream().filter(r -> r.getLevel() == level).map(LogRecord::getMessage).toList();
            }
        }
    }

    /**
     * Holds the hub until {@code done} (at most 20 s): a fixed-length hold would race the watchdog
     * thread, which a loaded machine may not schedule in time.
     */
    static void spinUntil(java.util.function.BooleanSupplier done) {
        long until = System.nanoTime() + 20_000_000_000L;
        while (!done.getAsBoolean() && System.nanoTime() < until) {
            Thread.onSpinWait();
        }
    }

    static void spinFor(long millis) {
        long until = System.nanoTime() + millis * 1_000_000L;
        while (System.nanoTime() < until) {
            Thread.onSpinWait();
        }
    }

    @ParameterizedTest
    @MethodSource("dev.greenhub.testsuite.EveryHub#hubs")
    void blockingDetectionReportsTheGreenThreadThatHoldsTheHub(String hub) {
        assertThat(Diagnostics.isBlockingDetectionEnabled()).as("off by default").isFalse();
        List<Diagnostics.BlockingReport> reports = Collections.synchronizedList(new ArrayList<>());
        Diagnostics.setBlockingReporter(reports::add);
        Diagnostics.enableBlockingDetection(Duration.ofMillis(40));
        try (Scheduler s = Scheduler.open(hub)) {
            Thread[] culprit = new Thread[1];
            GreenThread<Void> polite = Green.spawn(() -> {
                for (int i = 0; i < 20; i++) {
                    Green.sleep(Duration.ofMillis(2));
                }
                return null;
            });
            GreenThread<Void> hog = Green.spawn(() -> {
                culprit[0] = Thread.currentThread();
                spinUntil(() -> !reports.isEmpty());
                return null;
            });
            hog.get();
            polite.get();
            assertThat(reports).singleElement().satisfies(r -> {
                assertThat(r.thread()).isSameAs(culprit[0]);
                assertThat(r.what()).contains(culprit[0].getName());
                assertThat(r.hub()).isSameAs(s);
                assertThat(r.held()).isGreaterThan(Duration.ofMillis(40));
                assertThat(r.stackTrace()).anySatisfy(e -> assertThat(e.getMethodName()).isEqualTo("spinUntil"));
                assertThat(r.format()).startsWith("blocking detected: green thread #" + culprit[0].threadId() + " " + culprit[0].getName())
                        .contains("at dev.greenhub.testsuite.DiagnosticsTest.spinUntil");
            });
        } finally {
            Diagnostics.disableBlockingDetection();
            Diagnostics.setBlockingReporter(null);
        }
        assertThat(Diagnostics.isBlockingDetectionEnabled()).isFalse();
    }

    @ParameterizedTest
    @MethodSource("dev.greenhub.testsuite.EveryHub#hubs")
    void blockingReportsGoToTheSystemLoggerByDefault(String hub) {
        try (Captured log = new Captured("dev.greenhub.diagnostics")) {
            Diagnostics.enableBlockingDetection(Duration.ofMillis(40));
            try (Scheduler s = Scheduler.open(hub)) {
                Green.spawn(() -> {
                    spinUntil(() -> !log.messages(Level.WARNING).isEmpty());
                    return null;
                }).get();
                // Under the threshold (5 s, so that no preemption of a loaded machine reaches it): not reported.
                Diagnostics.enableBlockingDetection(Duration.ofSeconds(5));
                Green.spawn(() -> {
                    spinFor(10);
                    return null;
                }).get();
            } finally {
                Diagnostics.disableBlockingDetection();
            }
            assertThat(log.messages(Level.WARNING)).singleElement().asString()
                    .containsPattern("^blocking detected: green thread #\\d+ green-").contains("spinUntil");
        }
        assertThatThrownBy(() -> Diagnostics.enableBlockingDetection(Duration.ZERO))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("threshold");
    }

    @ParameterizedTest
    @MethodSource("dev.greenhub.testsuite.EveryHub#hubs")
    void hubExceptionReportingCanBeSwitchedOffAndOn(String hub) {
        try (Captured log = new Captured("dev.greenhub"); Scheduler s = Scheduler.open(hub)) {
            Diagnostics.hubExceptions(s, false);
            Green.spawnN(() -> {
                throw new IllegalStateException("quiet failure");
            });
            Green.sleep(Duration.ofMillis(5));
            Diagnostics.hubExceptions(s, true);
            Green.spawnN(() -> {
                throw new IllegalStateException("loud failure");
            });
            Green.sleep(Duration.ofMillis(5));
            synchronized (log.records) {
                assertThat(log.records).singleElement().satisfies(r -> {
                    assertThat(r.getLevel()).isEqualTo(Level.WARNING);
                    assertThat(r.getThrown()).hasMessage("loud failure");
                });
            }
        }
    }

    @ParameterizedTest
    @MethodSource("dev.greenhub.testsuite.EveryHub#hubs")
    void listingsShowListenersWithTheirGreenThreadsAndPendingTimers(String hub) throws Exception {
        int[] pipe = Fds.pipe();
        try (Scheduler s = Scheduler.open(hub)) {
            Thread[] reader = new Thread[1];
            GreenThread<Integer> waiting = Green.spawn(() -> {
                reader[0] = Thread.currentThread();
                return GreenIo.trampoline(pipe[0], Readiness.READ, null);
            });
            GreenThread<String> later = Green.spawnAfter(Duration.ofSeconds(30), () -> "never");
            Green.sleep(Duration.ofMillis(5));
            assertThat(Diagnostics.listeners(s)).containsExactly(
                    new Diagnostics.Listener(pipe[0], Readiness.READ, reader[0], null));
            List<Diagnostics.PendingTimer> timers = Diagnostics.timers(s);
            assertThat(timers).singleElement().satisfies(t -> {
                assertThat(t.remaining()).isBetween(Duration.ofSeconds(20), Duration.ofSeconds(30));
                assertThat(t.callback()).isNotBlank();
            });
            assertThat(Diagnostics.describe(s)).contains("listeners (1)", "fd " + pipe[0] + " READ",
                    "reader #" + reader[0].threadId() + " " + reader[0].getName(), "timers (1)");
            List<Throwable> wrong = new ArrayList<>();
            Thread other = Thread.ofPlatform().start(() -> {
                try {
                    Diagnostics.listeners(s);
                } catch (WrongThreadException e) {
                    wrong.add(e);
                }
            });
            other.join();
            assertThat(wrong).hasSize(1);
            later.cancel();
            Fds.write(pipe[1], new byte[] {1});
            assertThat(waiting.get() & Readiness.READ).isNotZero();
            assertThat(Diagnostics.timers(s)).isEmpty();
        } finally {
            Fds.closeQuietly(pipe);
        }
    }
}
