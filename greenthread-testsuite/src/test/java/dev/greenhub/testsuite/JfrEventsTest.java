package dev.greenhub.testsuite;

import static org.assertj.core.api.Assertions.assertThat;

import dev.greenhub.Diagnostics;
import dev.greenhub.Green;
import dev.greenhub.GreenThread;
import dev.greenhub.Scheduler;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordingStream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * greenhub's JFR events, recorded in this JVM with a {@link RecordingStream} and read back: each
 * test waits (bounded) for the event it expects, so a slow machine only makes it slower.
 */
class JfrEventsTest {
    private static final long WAIT_SECONDS = 30;

    /** Collects the events of one type from a started stream until one matches. */
    private static final class Expect implements AutoCloseable {
        final RecordingStream stream = new RecordingStream();
        final List<RecordedEvent> seen = new CopyOnWriteArrayList<>();
        final CountDownLatch matched = new CountDownLatch(1);

        Expect(String eventName, Duration period, Predicate<RecordedEvent> match) {
            var settings = stream.enable(eventName).withoutThreshold();
            if (period != null) {
                settings.withPeriod(period);
            }
            stream.onEvent(eventName, e -> {
                seen.add(e);
                if (match.test(e)) {
                    matched.countDown();
                }
            });
            stream.startAsync();
        }

        boolean await() throws InterruptedException {
            return matched.await(WAIT_SECONDS, TimeUnit.SECONDS);
        }

        RecordedEvent first(Predicate<RecordedEvent> match) {
            return seen.stream().filter(match).findFirst().orElseThrow();
        }

        @Override
        public void close() {
            stream.close();
        }
    }

    @ParameterizedTest
    @MethodSource("dev.greenhub.testsuite.EveryHub#hubs")
    void aHubPollIsRecordedWithItsHubTimeoutAndReportedFds(String hub) throws Exception {
        Predicate<RecordedEvent> ours = e -> hub.equals(e.getString("hub")) && e.getInt("fdsReady") == 0
                && e.getLong("timeout") > 0;
        try (Expect expect = new Expect("dev.greenhub.HubPoll", null, ours); Scheduler s = Scheduler.open(hub)) {
            String name = s.toString();
            // Sleeps poll the hub with a timeout until the event has been seen (or the bound ends).
            long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(WAIT_SECONDS);
            while (expect.matched.getCount() > 0 && System.nanoTime() < until) {
                Green.sleep(Duration.ofMillis(5));
            }
            assertThat(expect.await()).as("a HubPoll event for %s within %d s", hub, WAIT_SECONDS).isTrue();
            RecordedEvent e = expect.first(ours.and(ev -> name.equals(ev.getString("scheduler"))));
            assertThat(e.getDuration()).isPositive();
            assertThat(e.getLong("timeout")).isLessThanOrEqualTo(Duration.ofMillis(5).toNanos());
        }
    }

    @ParameterizedTest
    @MethodSource("dev.greenhub.testsuite.EveryHub#hubs")
    void blockingDetectedIsRecordedWithTheGreenThreadItsStackAndHowLong(String hub) throws Exception {
        Predicate<RecordedEvent> ours = e -> hub.equals(e.getString("hub"));
        Diagnostics.setBlockingReporter(report -> { });
        Diagnostics.enableBlockingDetection(Duration.ofMillis(20));
        try (Expect expect = new Expect("dev.greenhub.BlockingDetected", null, ours); Scheduler s = Scheduler.open(hub)) {
            String[] culprit = new String[1];
            GreenThread<Void> hog = Green.spawn(() -> {
                culprit[0] = Thread.currentThread().getName();
                holdTheHubUntil(expect.matched);
                return null;
            });
            hog.get();
            assertThat(expect.await()).as("a BlockingDetected event within %d s", WAIT_SECONDS).isTrue();
            RecordedEvent e = expect.first(ours);
            assertThat(e.getString("what")).contains(culprit[0]);
            assertThat(e.getThread("carrier").getJavaName()).isEqualTo(Thread.currentThread().getName());
            assertThat(e.getDuration("held")).isGreaterThan(Duration.ofMillis(20));
            assertThat(e.getString("greenStack")).contains("holdTheHubUntil");
        } finally {
            Diagnostics.disableBlockingDetection();
            Diagnostics.setBlockingReporter(null);
        }
    }

    /** Holds the hub (no yield) until the latch opens, at most {@link #WAIT_SECONDS}. */
    static void holdTheHubUntil(CountDownLatch latch) {
        long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(WAIT_SECONDS);
        while (latch.getCount() > 0 && System.nanoTime() < until) {
            Thread.onSpinWait();
        }
    }

    @ParameterizedTest
    @MethodSource("dev.greenhub.testsuite.EveryHub#hubs")
    void greenThreadStatisticsCountSpawnsAndEndsPerScheduler(String hub) throws Exception {
        String[] name = new String[1];
        Predicate<RecordedEvent> ours = e -> e.getString("scheduler").equals(name[0]) && e.getLong("spawned") == 9
                && e.getLong("ended") == 7;
        try (Expect expect = new Expect("dev.greenhub.GreenThreadStatistics", Duration.ofMillis(100), ours);
                Scheduler s = Scheduler.open(hub)) {
            name[0] = s.toString();
            List<GreenThread<Integer>> threads = new ArrayList<>();
            for (int i = 0; i < 7; i++) {
                int n = i;
                threads.add(Green.spawn(() -> n));
            }
            for (GreenThread<Integer> t : threads) {
                t.get();
            }
            // Two more that stay parked while the events are taken.
            dev.greenhub.Event<Void> done = new dev.greenhub.Event<>();
            Green.spawnN(() -> done.await());
            Green.spawnN(() -> done.await());
            Green.sleep(Duration.ZERO);
            assertThat(expect.await()).as("a statistics event for %s within %d s", name[0], WAIT_SECONDS).isTrue();
            RecordedEvent e = expect.first(ours);
            assertThat(e.getString("hub")).isEqualTo(hub);
            assertThat(e.getLong("alive")).isEqualTo(2);
            done.send(null);
            Green.sleep(Duration.ZERO);
            assertThat(s.liveCount()).isZero();
        }
    }
}
