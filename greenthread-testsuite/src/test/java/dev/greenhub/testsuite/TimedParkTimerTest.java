package dev.greenhub.testsuite;

import static org.assertj.core.api.Assertions.assertThat;

import dev.greenhub.Diagnostics;
import dev.greenhub.Event;
import dev.greenhub.Fiber;
import dev.greenhub.Green;
import dev.greenhub.GreenThread;
import dev.greenhub.Scheduler;
import java.time.Duration;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A green thread keeps one deadline timer for its timed parks: a park woken before its deadline
 * leaves the timer for the next one instead of a cancelled timer per wait, and a park still never
 * ends before its own deadline, however the kept timer's deadline relates to it.
 */
@Timeout(60)
class TimedParkTimerTest {
    private static final Duration PATIENCE = Duration.ofSeconds(20);

    /** A read with a long timeout per request must not store (or cancel) a timer per request. */
    @ParameterizedTest
    @MethodSource("dev.greenhub.testsuite.EveryHub#hubs")
    void timedWaitsWokenEarlyShareOneTimer(String hub) throws Exception {
        try (Scheduler s = Scheduler.open(hub)) {
            int[] stored = new int[2];
            GreenThread<Integer> waiter = Green.spawn(() -> {
                int got = 0;
                for (int i = 0; i < 5000; i++) {
                    Event<Integer> e = new Event<>();
                    int value = i;
                    Green.spawnN(() -> e.send(value));
                    got += e.await(Duration.ofSeconds(60)) == i ? 1 : 0;
                }
                stored[0] = s.timerCount();
                stored[1] = Diagnostics.timers(s).size();
                return got;
            });
            assertThat(waiter.get(PATIENCE)).isEqualTo(5000);
            // this thread's get(PATIENCE) has a timer of its own, and the waiter keeps one
            assertThat(stored[0]).as("timers stored after 5,000 timed waits, all woken early").isLessThanOrEqualTo(2);
            assertThat(stored[1]).as("pending timers after them").isLessThanOrEqualTo(2);
            Green.sleep();
            assertThat(Diagnostics.timers(s)).as("the ended thread's kept timer is let go").isEmpty();
        }
    }

    /** A park whose deadline is after the kept timer's still waits its whole time. */
    @ParameterizedTest
    @MethodSource("dev.greenhub.testsuite.EveryHub#hubs")
    void aLaterDeadlineIsWaitedInFull(String hub) throws Exception {
        try (Scheduler s = Scheduler.open(hub)) {
            GreenThread<long[]> t = Green.spawn(() -> {
                Fiber me = Fiber.current();
                Green.spawnN(me::unpark);
                boolean first = me.parkNanos(Duration.ofMillis(30).toNanos()); // woken at once: timer kept
                long t0 = System.nanoTime();
                boolean second = me.parkNanos(Duration.ofMillis(200).toNanos());
                return new long[] {first ? 1 : 0, second ? 1 : 0, System.nanoTime() - t0};
            });
            long[] r = t.get(PATIENCE);
            assertThat(r[0]).as("first park unparked").isEqualTo(1);
            assertThat(r[1]).as("second park timed out").isZero();
            assertThat(r[2]).as("the second park's wait (ns)").isGreaterThanOrEqualTo(Duration.ofMillis(200).toNanos());
        }
    }

    /** A park whose deadline is before the kept timer's gets a timer of its own and times out. */
    @ParameterizedTest
    @MethodSource("dev.greenhub.testsuite.EveryHub#hubs")
    void anEarlierDeadlineStillTimesOut(String hub) throws Exception {
        try (Scheduler s = Scheduler.open(hub)) {
            GreenThread<Boolean> t = Green.spawn(() -> {
                Fiber me = Fiber.current();
                Green.spawnN(me::unpark);
                me.parkNanos(Duration.ofSeconds(600).toNanos()); // woken at once: a 600 s timer kept
                long t0 = System.nanoTime();
                boolean unparked = me.parkNanos(Duration.ofMillis(20).toNanos());
                return !unparked && System.nanoTime() - t0 >= Duration.ofMillis(20).toNanos();
            });
            assertThat(t.get(PATIENCE)).as("timed out, after its 20 ms").isTrue();
            assertThat(Diagnostics.timers(s)).as("no pending timer left after the thread ended").isEmpty();
        }
    }

    /** GreenThread.get with a timeout after a kept timer: the timeout still fires. */
    @ParameterizedTest
    @MethodSource("dev.greenhub.testsuite.EveryHub#hubs")
    void aTimedGetAfterAnEarlyWakeStillTimesOut(String hub) throws Exception {
        try (Scheduler s = Scheduler.open(hub)) {
            Event<Void> never = new Event<>();
            GreenThread<Void> forever = Green.spawn(() -> {
                never.await();
                return null;
            });
            GreenThread<String> t = Green.spawn(() -> {
                Event<String> soon = new Event<>();
                Green.spawnN(() -> soon.send("early"));
                String first = soon.await(Duration.ofMillis(10));
                try {
                    forever.get(Duration.ofMillis(50));
                    return "no timeout";
                } catch (TimeoutException e) {
                    return first + ", then timed out";
                }
            });
            assertThat(t.get(PATIENCE)).isEqualTo("early, then timed out");
            forever.kill();
        }
    }
}
