package dev.greenhub.tck;

import static dev.greenhub.hub.Readiness.READ;
import static dev.greenhub.hub.Readiness.WRITE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.fail;

import dev.greenhub.Fiber;
import dev.greenhub.Green;
import dev.greenhub.GreenThread;
import dev.greenhub.GreenThreadException;
import dev.greenhub.Scheduler;
import dev.greenhub.Timer;
import dev.greenhub.hub.Readiness;
import dev.greenhub.nativeio.Fds;
import dev.greenhub.nativeio.Native;
import java.io.IOException;
import java.nio.channels.AsynchronousCloseException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The bodies of the scheduler-level rules of {@link HubTck} (R55 on): greenthread-core's
 * {@link Scheduler} runs on the hub under test, bound to the rule's thread with
 * {@link Scheduler#open(dev.greenhub.hub.HubProvider)}, and the rules check what green threads see
 * of the hub: sleep and timer precision and order, fd readiness resuming green threads, wakeups
 * from other threads, and the release of the hub's fds when the scheduler closes.
 *
 * <p>Every wait is bounded: green threads are awaited with a timeout, fd waits have deadlines, and
 * time bounds are exact below ("never early") and generous above. Each rule closes its scheduler
 * on its own thread (the carrier) before it ends, so the fixture's leak check sees the hub's fds.
 */
final class SchedulerChecks {
    /** The slack allowed on top of every upper time bound: the machine may be slow and busy. */
    static final long MARGIN_NANOS = TimeUnit.SECONDS.toNanos(2);
    /** How long a rule waits for a green thread, or an fd wait that should end, at most. */
    private static final Duration PATIENCE = Duration.ofSeconds(5);
    private static final long PATIENCE_NANOS = PATIENCE.toNanos();

    private final TckFixture fx;
    private final HubCapabilities capabilities;
    private final List<String> reported = new CopyOnWriteArrayList<>();

    SchedulerChecks(TckFixture fx, HubCapabilities capabilities) {
        this.fx = fx;
        this.capabilities = capabilities;
    }

    /** A rule body that runs on the carrier of a scheduler open on the hub under test. */
    interface Body {
        void run(Scheduler scheduler) throws Exception;
    }

    /**
     * Opens a scheduler on the hub under test, bound to the calling thread, runs {@code body} on
     * it, and closes it. Fails if a timer, task or green thread reported an exception.
     */
    void run(Body body) throws Exception {
        Scheduler s = Scheduler.open(fx.provider());
        s.setExceptionReporter((what, error) -> reported.add(what + ": " + error));
        Throwable failure = null;
        try {
            assertThat(s.hubName()).as("hubName() of a scheduler opened with the provider")
                    .isEqualTo(fx.provider().name());
            body.run(s);
        } catch (Exception | Error e) {
            failure = e;
            throw e;
        } finally {
            try {
                s.close();
            } catch (RuntimeException | Error e) {
                if (failure == null) {
                    throw e;
                }
                failure.addSuppressed(e);
            }
            if (!reported.isEmpty()) {
                AssertionError error = new AssertionError("the scheduler on the " + fx.provider().name()
                        + " hub reported exceptions: " + reported);
                if (failure == null) {
                    throw error;
                }
                failure.addSuppressed(error);
            }
        }
    }

    // ---------------------------------------------------------------- rules

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
                long[] delays = {ms(15), ms(1), ms(8), ms(3)};
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
            assertThat(later).as("firing order of callLater(15 ms, 1 ms, 8 ms, 3 ms)").containsExactly(1, 3, 2, 0);
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
            Timer b = s.callLater(Duration.ofMillis(10), () -> fired.add("b"));
            Timer d = s.callLater(Duration.ofMillis(20), () -> fired.add("d"));
            Timer a = s.callLater(Duration.ofMillis(10), () -> {
                fired.add("a");
                assertThat(d.cancel()).as("cancel() of a pending timer from another timer's callback").isTrue();
            });
            Timer c = s.callLater(Duration.ofMillis(30), () -> fired.add("c"));
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
                int ops = s.trampoline(p[0], READ, Scheduler.deadlineAfter(PATIENCE_NANOS));
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

    /** R59. */
    void trampolineRead() throws Exception {
        run(s -> {
            int[] p = fx.pipe();
            int[] sp = fx.socketPair();
            for (int[] pair : List.of(p, sp)) {
                String what = pair == p ? "a pipe's read end" : "a Unix socket";
                AtomicLong writtenAt = new AtomicLong();
                long[] resumedAt = {0};
                GreenThread<Integer> reader = s.spawn(() -> {
                    int ops = s.trampoline(pair[0], READ, Scheduler.deadlineAfter(PATIENCE_NANOS));
                    resumedAt[0] = System.nanoTime();
                    return ops;
                });
                Green.sleep(Duration.ofMillis(5)); // the reader parks
                fx.start("writer", () -> writeAfter(pair[1], 50, writtenAt));
                int ops = await(reader);
                assertThat(ops).as("trampoline(%s, READ) after another thread wrote a byte (%s)", what,
                        Readiness.describe(ops)).isEqualTo(READ);
                assertThat(resumedAt[0] - writtenAt.get()).as("resumed after the write (ns from the write)")
                        .isGreaterThanOrEqualTo(0).isLessThan(MARGIN_NANOS);
                assertThat(TckFixture.drain(pair[0])).as("bytes read from %s", what).isEqualTo(1);
            }
            // Data already there: trampoline returns at once, without waiting for anything else.
            TckFixture.writeByte(p[1]);
            long start = System.nanoTime();
            int ops = await(s.spawn(() -> s.trampoline(p[0], READ, Scheduler.deadlineAfter(PATIENCE_NANOS))));
            assertThat(ops).as("trampoline(READ) on a pipe that already holds data").isEqualTo(READ);
            assertThat(System.nanoTime() - start).as("ns to return for data already there").isLessThan(MARGIN_NANOS);
            TckFixture.drain(p[0]);
        });
    }

    /** R60. */
    void trampolineWrite() throws Exception {
        run(s -> {
            int[] p = fx.pipe();
            TckFixture.fill(p[1]);
            AtomicLong drainedAt = new AtomicLong();
            long[] resumedAt = {0};
            GreenThread<Integer> writer = s.spawn(() -> {
                int ops = s.trampoline(p[1], WRITE, Scheduler.deadlineAfter(PATIENCE_NANOS));
                resumedAt[0] = System.nanoTime();
                return ops;
            });
            Green.sleep(Duration.ofMillis(5));
            fx.start("drainer", () -> {
                TckFixture.sleepMillis(50);
                drainedAt.set(System.nanoTime());
                TckFixture.unchecked(() -> TckFixture.drain(p[0]));
            });
            int ops = await(writer);
            assertThat(ops).as("trampoline(WRITE) on a full pipe after another thread drained it (%s)",
                    Readiness.describe(ops)).isEqualTo(WRITE);
            assertThat(resumedAt[0] - drainedAt.get()).as("resumed after the drain began (ns)")
                    .isGreaterThanOrEqualTo(0).isLessThan(MARGIN_NANOS);
            int again = await(s.spawn(() -> s.trampoline(p[1], WRITE, Scheduler.deadlineAfter(PATIENCE_NANOS))));
            assertThat(again).as("trampoline(WRITE) on an empty pipe").isEqualTo(WRITE);
            int[] sp = fx.socketPair();
            int both = await(s.spawn(() -> s.trampoline(sp[0], READ | WRITE, Scheduler.deadlineAfter(PATIENCE_NANOS))));
            assertThat(both).as("trampoline(READ|WRITE) on an idle Unix socket (%s)", Readiness.describe(both))
                    .isEqualTo(WRITE);
            TckFixture.writeByte(sp[1]);
            int afterWrite = await(s.spawn(() -> s.trampoline(sp[0], READ | WRITE,
                    Scheduler.deadlineAfter(PATIENCE_NANOS))));
            assertThat(afterWrite).as("trampoline(READ|WRITE) on a Unix socket its peer wrote to (%s)",
                    Readiness.describe(afterWrite)).isEqualTo(READ | WRITE);
        });
    }

    /** R61. */
    void trampolineTimeout() throws Exception {
        long[] timeouts = {300_000, 2_000_000, ms(30)};
        run(s -> {
            int[] p = fx.pipe();
            int[] full = fx.pipe();
            TckFixture.fill(full[1]);
            await(s.spawn(() -> {
                for (long t : timeouts) {
                    for (int[] wait : new int[][] {{p[0], READ}, {full[1], WRITE}}) {
                        String what = "trampoline(" + (wait[1] == READ ? "idle pipe, READ" : "full pipe, WRITE")
                                + ", deadline in " + describe(t) + ")";
                        long deadline = Scheduler.deadlineAfter(t);
                        int ops = s.trampoline(wait[0], wait[1], deadline);
                        long late = System.nanoTime() - deadline;
                        assertThat(ops).as("%s with no readiness (%s)", what, Readiness.describe(ops)).isZero();
                        assertThat(late).as("%s: ns after the deadline it returned (it must not return before)",
                                what).isGreaterThanOrEqualTo(0).isLessThan(MARGIN_NANOS);
                    }
                }
                return null;
            }));
            // The fd is still watched correctly after its waits timed out.
            TckFixture.writeByte(p[1]);
            int ops = await(s.spawn(() -> s.trampoline(p[0], READ, Scheduler.deadlineAfter(PATIENCE_NANOS))));
            assertThat(ops).as("trampoline(READ) after timed-out waits, once data is written").isEqualTo(READ);
        });
    }

    /** R62. */
    void readinessWinsOverDueTimeout() throws Exception {
        run(s -> {
            int[] p = fx.pipe();
            for (int round = 1; round <= 5; round++) {
                long deadline = Scheduler.deadlineAfter(ms(10));
                GreenThread<Integer> reader = s.spawn(() -> s.trampoline(p[0], READ, deadline));
                GreenThread<Long> busy = s.spawn(() -> {
                    // The reader is parked (it started first in this run phase). Make the pipe
                    // readable, then hold the carrier until the reader's deadline is well past, so
                    // that the next loop turn finds both the data and the due timeout.
                    TckFixture.writeByte(p[1]);
                    long past;
                    while ((past = System.nanoTime() - deadline) < ms(5)) {
                        Thread.onSpinWait();
                    }
                    return past;
                });
                assertThat(await(busy)).as("round %d: the carrier was held past the reader's deadline", round)
                        .isGreaterThanOrEqualTo(ms(5));
                int ops = await(reader);
                assertThat(ops).as("round %d: trampoline(READ) whose deadline fell due while data arrived (%s):"
                        + " readable data must win over the timeout (eventlet #50, #55)", round,
                        Readiness.describe(ops)).isEqualTo(READ);
                assertThat(TckFixture.drain(p[0])).as("round %d: bytes in the pipe", round).isEqualTo(1);
            }
        });
    }

    /** R63. */
    void foreignExecuteWakesTheLoop() throws Exception {
        run(s -> {
            Fiber carrier = Fiber.current();
            Thread carrierThread = Thread.currentThread();
            Random random = new Random(63);
            for (int round = 1; round <= 20; round++) {
                CountDownLatch go = new CountDownLatch(1);
                AtomicLong submittedAt = new AtomicLong();
                AtomicLong ranAt = new AtomicLong();
                AtomicReference<Thread> ranOn = new AtomicReference<>();
                int pause = random.nextInt(6);
                fx.start("execute-" + round, () -> {
                    try {
                        if (!go.await(10, TimeUnit.SECONDS)) {
                            return;
                        }
                    } catch (InterruptedException e) {
                        return;
                    }
                    TckFixture.sleepMillis(pause);
                    submittedAt.set(System.nanoTime());
                    s.runOnCarrier(() -> {
                        ranOn.set(Thread.currentThread());
                        ranAt.set(System.nanoTime());
                        carrier.unpark();
                    });
                });
                // No timer is due for 3 s: the loop blocks in the hub's poll until the task's wakeup.
                long deadline = Scheduler.deadlineAfter(ms(3_000));
                go.countDown();
                while (ranAt.get() == 0 && System.nanoTime() - deadline < 0) {
                    carrier.parkUntil(deadline);
                }
                if (ranAt.get() == 0) {
                    fail("round " + round + ": a task submitted with execute() from a platform thread "
                            + (submittedAt.get() == 0 ? "(not yet submitted)" : describe(System.nanoTime()
                            - submittedAt.get()) + " ago") + " did not run while the loop waited in the "
                            + fx.provider().name() + " hub's poll (lost wakeup?)");
                }
                assertThat(ranOn.get()).as("round %d: the thread that ran the task", round).isSameAs(carrierThread);
                assertThat(ranAt.get() - submittedAt.get()).as("round %d: ns from execute() to the task (a loop that"
                        + " only notices the task at its 3 s timer lost the hub's wakeup)", round)
                        .isGreaterThanOrEqualTo(0).isLessThan(MARGIN_NANOS);
            }
        });
    }

    /** R64. */
    void manyWaitersOnManyFds() throws Exception {
        int count = (int) Math.min(200, Math.max(10, (capabilities.fdLimit() - 200L) / 2));
        run(s -> {
            List<int[]> pipes = new ArrayList<>();
            for (int i = 0; i < count; i++) {
                int[] p = fx.pipe();
                if (p[1] >= capabilities.fdLimit()) {
                    fail("pipe " + i + " got fd " + p[1] + ", beyond the hub's limit " + capabilities.fdLimit()
                            + ": too many fds are open in this process to run the rule");
                }
                pipes.add(p);
            }
            AtomicInteger[] resumes = new AtomicInteger[count];
            List<GreenThread<String>> readers = new ArrayList<>();
            AtomicInteger parked = new AtomicInteger();
            for (int i = 0; i < count; i++) {
                int index = i;
                int fd = pipes.get(i)[0];
                resumes[i] = new AtomicInteger();
                readers.add(s.spawn(() -> {
                    parked.incrementAndGet();
                    int ops = s.trampoline(fd, READ, Scheduler.deadlineAfter(PATIENCE_NANOS));
                    resumes[index].incrementAndGet();
                    byte[] b = new byte[2];
                    int n = Fds.read(fd, b);
                    // Drained: a second wait must time out, not be resumed again.
                    int again = s.trampoline(fd, READ, Scheduler.deadlineAfter(ms(50)));
                    return Readiness.describe(ops) + ",read=" + n + ":" + b[0] + ",again=" + Readiness.describe(again);
                }));
            }
            waitFor(s, () -> parked.get() == count, "every reader started");
            Green.sleep(Duration.ofMillis(5));
            List<Integer> order = new ArrayList<>();
            for (int i = 0; i < count; i++) {
                order.add(i);
            }
            Collections.shuffle(order, new Random(64));
            fx.start("many-writer", () -> {
                for (int i : order) {
                    TckFixture.unchecked(() -> Fds.write(pipes.get(i)[1], new byte[] {(byte) (i % 100)}));
                }
            });
            List<String> wrong = new ArrayList<>();
            for (int i = 0; i < count; i++) {
                String result = await(readers.get(i));
                String expected = "READ,read=1:" + (i % 100) + ",again=" + Readiness.describe(0);
                if (!result.equals(expected) || resumes[i].get() != 1) {
                    wrong.add("reader " + i + " of fd " + pipes.get(i)[0] + ": " + result + " (resumed "
                            + resumes[i].get() + " times)");
                }
            }
            assertThat(wrong).as("of %d green threads waiting on %d pipes, those not resumed exactly once with"
                    + " READ and their byte (expected %s)", count, count, "READ,read=1:<i % 100>,again="
                    + Readiness.describe(0)).isEmpty();
        });
    }

    /** R65. */
    void closeReleasesTheHub() throws Exception {
        int[] p = fx.pipe();
        FdSnapshot before = FdSnapshot.take();
        for (int cycle = 1; cycle <= 3; cycle++) {
            Scheduler s = Scheduler.open(fx.provider());
            GreenThread<Integer> waiter;
            GreenThread<Object> sleeper;
            try {
                s.setExceptionReporter((what, error) -> reported.add(what + ": " + error));
                waiter = s.spawn(() -> s.trampoline(p[0], READ, Long.MAX_VALUE));
                sleeper = s.spawn(() -> {
                    Green.sleep(Duration.ofSeconds(30));
                    return null;
                });
                Green.sleep(Duration.ofMillis(10));
                assertThat(s.fdInterest(p[0])).as("cycle %d: fdInterest of the waiter's fd", cycle).isEqualTo(READ);
            } finally {
                s.close();
            }
            assertThat(s.isClosed()).as("isClosed() after close()").isTrue();
            assertThat(waiter.isDone()).as("cycle %d: a green thread waiting in trampoline ended by close()", cycle)
                    .isTrue();
            assertThat(sleeper.isDone()).as("cycle %d: a sleeping green thread ended by close()", cycle).isTrue();
            List<String> leaked = FdSnapshot.take().addedSince(before);
            assertThat(leaked).as("cycle %d: fds left open after the scheduler closed (its %s hub's fds)", cycle,
                    fx.provider().name()).isEmpty();
            assertThat(Fds.isOpen(p[0])).as("the fd a green thread waited on, after close()").isTrue();
            assertThatThrownBy(() -> s.callLater(Duration.ZERO, () -> { })).as("callLater on a closed scheduler")
                    .isInstanceOf(IllegalStateException.class);
            assertThatThrownBy(() -> s.trampoline(p[0], READ, Long.MAX_VALUE)).as("trampoline on a closed scheduler")
                    .isInstanceOf(IllegalStateException.class);
            s.close(); // idempotent
        }
        TckFixture.writeByte(p[1]);
        assertThat(TckFixture.drain(p[0])).as("bytes through the pipe after the schedulers closed").isEqualTo(1);
        assertThat(reported).as("exceptions the schedulers reported").isEmpty();
    }

    /** R66. */
    void forgetFdWakesWaiters() throws Exception {
        run(s -> {
            int[] p = fx.pipe();
            int[] full = fx.pipe();
            TckFixture.fill(full[1]);
            GreenThread<Object> reader = s.spawn(() -> outcomeOfWait(s, p[0], READ));
            GreenThread<Object> writer = s.spawn(() -> outcomeOfWait(s, full[1], WRITE));
            waitFor(s, () -> s.fdInterest(p[0]) == READ && s.fdInterest(full[1]) == WRITE, "both waiters registered");
            long start = System.nanoTime();
            s.forgetFd(p[0]);
            assertThat(s.fdInterest(p[0])).as("fdInterest after forgetFd").isZero();
            assertThat(await(reader)).as("what trampoline(READ) threw when its fd was forgotten")
                    .isInstanceOf(AsynchronousCloseException.class);
            assertThat(System.nanoTime() - start).as("ns for the forgotten fd's waiter to end").isLessThan(MARGIN_NANOS);
            assertThat(writer.isDone()).as("the waiter on another fd, after forgetFd of the first").isFalse();
            s.forgetFd(full[1]);
            assertThat(await(writer)).as("what trampoline(WRITE) threw when its fd was forgotten")
                    .isInstanceOf(AsynchronousCloseException.class);
            // Close the forgotten fd; a new pipe whose read end has the same number is watched afresh.
            int number = p[0];
            fx.closeNow(number);
            int[] fresh = fx.pipeWithReadEnd(number);
            AtomicLong writtenAt = new AtomicLong();
            GreenThread<Integer> again = s.spawn(() -> s.trampoline(number, READ, Scheduler.deadlineAfter(PATIENCE_NANOS)));
            Green.sleep(Duration.ofMillis(5));
            fx.start("writer", () -> writeAfter(fresh[1], 20, writtenAt));
            assertThat(await(again)).as("trampoline(READ) on a new pipe with the forgotten fd's number %d", number)
                    .isEqualTo(READ);
            assertThat(TckFixture.drain(number)).as("bytes in the new pipe").isEqualTo(1);
        });
    }

    // ---------------------------------------------------------------- helpers

    /** The value of a green thread, waiting at most {@link #PATIENCE}; its failure is rethrown. */
    private static <T> T await(GreenThread<T> g) throws Exception {
        try {
            return g.get(PATIENCE);
        } catch (TimeoutException e) {
            throw new AssertionError(g + " did not end within " + PATIENCE, e);
        } catch (GreenThreadException e) {
            Throwable cause = e.getCause();
            if (cause instanceof AssertionError a) {
                throw a;
            }
            throw new AssertionError(g + " failed: " + (cause == null ? e : cause), cause == null ? e : cause);
        }
    }

    /**
     * What {@code trampoline(fd, interest)} with a {@link #PATIENCE} deadline ended with: the
     * readiness it returned, or the {@link AsynchronousCloseException} it threw (caught here, so
     * that the green thread ends normally and the scheduler does not report it).
     */
    private static Object outcomeOfWait(Scheduler s, int fd, int interest) throws IOException {
        try {
            return s.trampoline(fd, interest, Scheduler.deadlineAfter(PATIENCE_NANOS));
        } catch (AsynchronousCloseException e) {
            return e;
        }
    }

    /** Runs the loop (in short sleeps) until {@code condition} holds, for at most {@link #PATIENCE}. */
    private static void waitFor(Scheduler s, java.util.function.BooleanSupplier condition, String what) {
        long deadline = System.nanoTime() + PATIENCE_NANOS;
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() - deadline > 0) {
                fail("waited " + PATIENCE + " on scheduler " + s + " for: " + what);
            }
            Green.sleep(Duration.ofMillis(2));
        }
    }

    private void checkSlept(String what, long elapsed, long asked) {
        long bound = asked + capabilities.timerResolution().toNanos() + MARGIN_NANOS;
        assertThat(elapsed).as("%s took %s: it must not return early", what, describe(elapsed))
                .isGreaterThanOrEqualTo(asked);
        assertThat(elapsed).as("%s took %s: more than %s", what, describe(elapsed), describe(bound))
                .isLessThan(bound);
    }

    private static void writeAfter(int fd, long millis, AtomicLong writtenAt) {
        TckFixture.sleepMillis(millis);
        writtenAt.set(System.nanoTime());
        TckFixture.unchecked(() -> TckFixture.writeByte(fd));
    }


    private static long ms(long millis) {
        return TimeUnit.MILLISECONDS.toNanos(millis);
    }

    private static String describe(long nanos) {
        if (Math.abs(nanos) < 1_000_000) {
            return (nanos / 1_000) + " us";
        }
        return String.format("%.3f ms", nanos / 1e6);
    }

    private static String describeAll(long[] nanos) {
        List<String> parts = new ArrayList<>();
        for (long n : nanos) {
            parts.add(describe(n));
        }
        return parts.toString();
    }
}
