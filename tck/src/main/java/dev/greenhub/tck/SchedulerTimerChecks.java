package dev.greenhub.tck;

import static dev.greenhub.hub.Readiness.READ;
import static org.assertj.core.api.Assertions.assertThat;

import dev.greenhub.Green;
import dev.greenhub.GreenThread;
import dev.greenhub.Scheduler;
import dev.greenhub.Timer;
import dev.greenhub.internal.Deadlines;
import dev.greenhub.internal.FdWaits;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Scheduler rules R55-R58, one concern: time. Sleeps never end early, timers fire in deadline order
 * and never once cancelled, and {@code sleep(0)} yields to ready green threads and fd readiness.
 */
final class SchedulerTimerChecks extends SchedulerChecks {

    SchedulerTimerChecks(TckFixture fx, HubCapabilities capabilities) {
        super(fx, capabilities);
    }

    /** R55. */
    void sleepPrecision() throws Exception {
        long[] delays = {200_000, 1_500_000, ms(10), ms(50)};
        run(s -> {
            for (long d : delays) {
                Duration duration = Duration.ofNanos(d);
                long inGreen = await(s.spawn(() -> {
                    long start = System.nanoTime();
                    Green.sleep(duration);
                    return System.nanoTime() - start;
                }));
                checkSlept("sleep(" + describe(d) + ") in a green thread", inGreen, d);
                long start = System.nanoTime();
                Green.sleep(duration);
                checkSlept("sleep(" + describe(d) + ") on the carrier (a platform thread running the loop)",
                        System.nanoTime() - start, d);
            }
        });
    }

    /** R56. */
    void timerOrder() throws Exception {
        run(s -> {
            long base = System.nanoTime() + ms(30);
            // Offsets from base, scheduled in this order: equal deadlines must fire in this order too.
            long[] offsets = {ms(20), 0, ms(10), 0, -ms(25), ms(10), 0, -ms(25), ms(5), ms(20)};
            List<Integer> fired = new ArrayList<>();
            List<String> early = new ArrayList<>();
            List<Timer> timers = new ArrayList<>();
            for (int i = 0; i < offsets.length; i++) {
                int index = i;
                long deadline = base + offsets[i];
                timers.add(s.callAt(deadline, () -> {
                    long now = System.nanoTime();
                    if (now - deadline < 0) {
                        early.add("timer " + index + " fired " + describe(deadline - now) + " before its deadline");
                    }
                    fired.add(index);
                }));
            }
            // Delays through callLater, from a green thread, mixed with the above.
            List<Integer> later = new ArrayList<>();
            await(s.spawn(() -> {
                // Gaps of 20 ms and more, so that a preempted thread between two calls keeps their order.
                long[] delays = {ms(150), ms(10), ms(80), ms(30)};
                for (int i = 0; i < delays.length; i++) {
                    int index = i;
                    s.callLater(Duration.ofNanos(delays[i]), () -> later.add(index));
                }
                return null;
            }));
            waitFor(s, () -> fired.size() == offsets.length && later.size() == 4, "every timer fired");
            List<Integer> expected = new ArrayList<>();
            for (int i = 0; i < offsets.length; i++) {
                expected.add(i);
            }
            expected.sort(Comparator.comparingLong((Integer i) -> offsets[i]));  // stable: FIFO among equals
            assertThat(early).as("timers that fired before their deadline").isEmpty();
            assertThat(fired).as("firing order of timers with deadlines base+%s (equal deadlines in scheduling order)",
                    describeAll(offsets)).containsExactlyElementsOf(expected);
            assertThat(later).as("firing order of callLater(150 ms, 10 ms, 80 ms, 30 ms)").containsExactly(1, 3, 2, 0);
            for (Timer t : timers) {
                assertThat(t.isCalled()).as("isCalled() of %s after it fired", t).isTrue();
                assertThat(t.cancel()).as("cancel() of %s after it fired", t).isFalse();
            }
        });
    }

    /** R57. */
    void cancelledTimersNeverFire() throws Exception {
        run(s -> {
            List<String> fired = new ArrayList<>();
            // Deadlines from one base: a thread preempted between two calls must not reorder them.
            long base = System.nanoTime();
            Timer b = s.callAt(base + ms(10), () -> fired.add("b"));
            Timer d = s.callAt(base + ms(20), () -> fired.add("d"));
            Timer a = s.callAt(base + ms(10), () -> {
                fired.add("a");
                assertThat(d.cancel()).as("cancel() of a pending timer from another timer's callback").isTrue();
            });
            Timer c = s.callAt(base + ms(30), () -> fired.add("c"));
            assertThat(b.cancel()).as("cancel() of a pending timer").isTrue();
            assertThat(b.cancel()).as("cancel() of a cancelled timer").isFalse();
            assertThat(b.isCancelled()).as("isCancelled() after cancel()").isTrue();
            // Many timers, every third cancelled: the others all fire, in deadline order.
            Random random = new Random(55);
            List<Long> deadlines = new ArrayList<>();
            List<Integer> bulkFired = new ArrayList<>();
            List<Integer> kept = new ArrayList<>();
            List<Timer> bulk = new ArrayList<>();
            for (int i = 0; i < 300; i++) {
                int index = i;
                long deadline = System.nanoTime() + ms(random.nextInt(25));
                deadlines.add(deadline);
                bulk.add(s.callAt(deadline, () -> bulkFired.add(index)));
            }
            for (int i = 0; i < bulk.size(); i++) {
                if (i % 3 == 0) {
                    assertThat(bulk.get(i).cancel()).as("cancel() of pending timer %d", i).isTrue();
                } else {
                    kept.add(i);
                }
            }
            waitFor(s, () -> fired.contains("c") && bulkFired.size() >= kept.size(), "timer c and the kept timers fired");
            Green.sleep(Duration.ofMillis(20));
            assertThat(fired).as("callbacks run (b cancelled at once, d cancelled by a)").containsExactly("a", "c");
            assertThat(a.isCalled()).as("a.isCalled()").isTrue();
            assertThat(a.cancel()).as("cancel() of a timer that fired").isFalse();
            assertThat(d.isCalled()).as("d.isCalled() after it was cancelled").isFalse();
            assertThat(d.isCancelled()).as("d.isCancelled()").isTrue();
            assertThat(c.isCalled()).as("c.isCalled()").isTrue();
            kept.sort(Comparator.comparingLong((Integer i) -> deadlines.get(i) - deadlines.get(0)));
            assertThat(bulkFired).as("the 200 uncancelled of 300 timers (every third cancelled), in deadline order")
                    .containsExactlyElementsOf(kept);
        });
    }

    /** R58. */
    void sleepZeroYields() throws Exception {
        run(s -> {
            List<String> order = new ArrayList<>();
            List<GreenThread<Object>> threads = new ArrayList<>();
            for (String name : List.of("a", "b", "c")) {
                threads.add(s.spawn(() -> {
                    for (int i = 0; i < 3; i++) {
                        order.add(name + i);
                        Green.sleep(Duration.ZERO);
                    }
                    return null;
                }));
            }
            for (GreenThread<Object> t : threads) {
                await(t);
            }
            assertThat(order).as("three green threads that each record a step and sleep(0), three times")
                    .containsExactly("a0", "b0", "c0", "a1", "b1", "c1", "a2", "b2", "c2");
            // sleep(0) also lets a green thread whose fd became ready run before the caller goes on.
            int[] p = fx.pipe();
            AtomicReference<String> readerState = new AtomicReference<>("not started");
            GreenThread<Integer> reader = s.spawn(() -> {
                readerState.set("waiting");
                int ops = FdWaits.trampoline(s, p[0], READ, Deadlines.after(PATIENCE_NANOS));
                readerState.set("resumed");
                return ops;
            });
            GreenThread<String> yielder = s.spawn(() -> {
                while (!readerState.get().equals("waiting")) {
                    Green.sleep(Duration.ZERO);
                }
                Green.sleep(Duration.ZERO); // the reader is now parked in trampoline
                TckFixture.writeByte(p[1]);
                Green.sleep(Duration.ZERO);
                return readerState.get();
            });
            assertThat(await(yielder)).as("state of a green thread waiting to read a pipe, after another green thread"
                    + " wrote to the pipe and called sleep(0) once").isEqualTo("resumed");
            assertThat(await(reader)).as("trampoline(READ) result").isEqualTo(READ);
            assertThat(TckFixture.drain(p[0])).as("bytes in the pipe").isEqualTo(1);
        });
    }
}
