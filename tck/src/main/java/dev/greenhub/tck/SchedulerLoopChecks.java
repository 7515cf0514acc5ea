package dev.greenhub.tck;

import static dev.greenhub.hub.Readiness.READ;
import static dev.greenhub.hub.Readiness.WRITE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.fail;

import dev.greenhub.Fiber;
import dev.greenhub.Green;
import dev.greenhub.GreenThread;
import dev.greenhub.Scheduler;
import dev.greenhub.hub.Readiness;
import dev.greenhub.internal.Deadlines;
import dev.greenhub.internal.FdWaits;
import dev.greenhub.nativeio.Fds;
import java.nio.channels.AsynchronousCloseException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Scheduler rules R63-R66, one concern: the loop and its hub. {@code runOnCarrier()} from another thread
 * wakes a loop waiting in poll, 200 waiters on 200 fds are each resumed once, {@code close()}
 * releases the hub, and {@code forgetFd} wakes waiters and lets a reused number be watched afresh.
 */
final class SchedulerLoopChecks extends SchedulerChecks {

    SchedulerLoopChecks(TckFixture fx, HubCapabilities capabilities) {
        super(fx, capabilities);
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
                long deadline = Deadlines.after(ms(3_000));
                go.countDown();
                while (ranAt.get() == 0 && System.nanoTime() - deadline < 0) {
                    carrier.parkUntil(deadline);
                }
                if (ranAt.get() == 0) {
                    fail("round " + round + ": a task submitted with runOnCarrier() from a platform thread "
                            + (submittedAt.get() == 0 ? "(not yet submitted)" : describe(System.nanoTime()
                            - submittedAt.get()) + " ago") + " did not run while the loop waited in the "
                            + fx.provider().name() + " hub's poll (lost wakeup?)");
                }
                assertThat(ranOn.get()).as("round %d: the thread that ran the task", round).isSameAs(carrierThread);
                assertThat(ranAt.get() - submittedAt.get()).as("round %d: ns from runOnCarrier() to the task (a loop that"
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
                    int ops = FdWaits.trampoline(s, fd, READ, Deadlines.after(PATIENCE_NANOS));
                    resumes[index].incrementAndGet();
                    byte[] b = new byte[2];
                    int n = Fds.read(fd, b);
                    // Drained: a second wait must time out, not be resumed again.
                    int again = FdWaits.trampoline(s, fd, READ, Deadlines.after(ms(50)));
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
                waiter = s.spawn(() -> FdWaits.trampoline(s, p[0], READ, Long.MAX_VALUE));
                sleeper = s.spawn(() -> {
                    Green.sleep(Duration.ofSeconds(30));
                    return null;
                });
                Green.sleep(Duration.ofMillis(10));
                assertThat(FdWaits.fdInterest(s, p[0])).as("cycle %d: fdInterest of the waiter's fd", cycle).isEqualTo(READ);
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
            assertThatThrownBy(() -> FdWaits.trampoline(s, p[0], READ, Long.MAX_VALUE)).as("trampoline on a closed scheduler")
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
            waitFor(s, () -> FdWaits.fdInterest(s, p[0]) == READ && FdWaits.fdInterest(s, full[1]) == WRITE, "both waiters registered");
            long start = System.nanoTime();
            FdWaits.forgetFd(s, p[0]);
            assertThat(FdWaits.fdInterest(s, p[0])).as("fdInterest after forgetFd").isZero();
            assertThat(await(reader)).as("what trampoline(READ) threw when its fd was forgotten")
                    .isInstanceOf(AsynchronousCloseException.class);
            assertThat(System.nanoTime() - start).as("ns for the forgotten fd's waiter to end").isLessThan(MARGIN_NANOS);
            assertThat(writer.isDone()).as("the waiter on another fd, after forgetFd of the first").isFalse();
            FdWaits.forgetFd(s, full[1]);
            assertThat(await(writer)).as("what trampoline(WRITE) threw when its fd was forgotten")
                    .isInstanceOf(AsynchronousCloseException.class);
            // Close the forgotten fd; a new pipe whose read end has the same number is watched afresh.
            int number = p[0];
            fx.closeNow(number);
            int[] fresh = fx.pipeWithReadEnd(number);
            AtomicLong writtenAt = new AtomicLong();
            GreenThread<Integer> again = s.spawn(() -> FdWaits.trampoline(s, number, READ, Deadlines.after(PATIENCE_NANOS)));
            Green.sleep(Duration.ofMillis(5));
            fx.start("writer", () -> writeAfter(fresh[1], 20, writtenAt));
            assertThat(await(again)).as("trampoline(READ) on a new pipe with the forgotten fd's number %d", number)
                    .isEqualTo(READ);
            assertThat(TckFixture.drain(number)).as("bytes in the new pipe").isEqualTo(1);
        });
    }
}
