package dev.greenhub.tck;

import static dev.greenhub.hub.Readiness.READ;
import static dev.greenhub.hub.Readiness.WRITE;
import static org.assertj.core.api.Assertions.assertThat;

import dev.greenhub.Green;
import dev.greenhub.GreenThread;
import dev.greenhub.Scheduler;
import dev.greenhub.hub.Readiness;
import dev.greenhub.internal.Deadlines;
import dev.greenhub.internal.FdWaits;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Scheduler rules R59-R62, one concern: fd waits. {@code trampoline} resumes a green thread with the
 * readiness the hub reports (READ, WRITE, both), ends at its deadline and never before, and data that
 * arrived as the deadline fell due wins over the timeout.
 */
final class SchedulerFdChecks extends SchedulerChecks {

    SchedulerFdChecks(TckFixture fx, HubCapabilities capabilities) {
        super(fx, capabilities);
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
                    int ops = FdWaits.trampoline(s, pair[0], READ, Deadlines.after(PATIENCE_NANOS));
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
            int ops = await(s.spawn(() -> FdWaits.trampoline(s, p[0], READ, Deadlines.after(PATIENCE_NANOS))));
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
                int ops = FdWaits.trampoline(s, p[1], WRITE, Deadlines.after(PATIENCE_NANOS));
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
            int again = await(s.spawn(() -> FdWaits.trampoline(s, p[1], WRITE, Deadlines.after(PATIENCE_NANOS))));
            assertThat(again).as("trampoline(WRITE) on an empty pipe").isEqualTo(WRITE);
            int[] sp = fx.socketPair();
            int both = await(s.spawn(() -> FdWaits.trampoline(s, sp[0], READ | WRITE, Deadlines.after(PATIENCE_NANOS))));
            assertThat(both).as("trampoline(READ|WRITE) on an idle Unix socket (%s)", Readiness.describe(both))
                    .isEqualTo(WRITE);
            TckFixture.writeByte(sp[1]);
            int afterWrite = await(s.spawn(() -> FdWaits.trampoline(s, sp[0], READ | WRITE,
                    Deadlines.after(PATIENCE_NANOS))));
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
                        long deadline = Deadlines.after(t);
                        int ops = FdWaits.trampoline(s, wait[0], wait[1], deadline);
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
            int ops = await(s.spawn(() -> FdWaits.trampoline(s, p[0], READ, Deadlines.after(PATIENCE_NANOS))));
            assertThat(ops).as("trampoline(READ) after timed-out waits, once data is written").isEqualTo(READ);
        });
    }

    /** R62. */
    void readinessWinsOverDueTimeout() throws Exception {
        run(s -> {
            int[] p = fx.pipe();
            for (int round = 1; round <= 5; round++) {
                long deadline = Deadlines.after(ms(10));
                GreenThread<Integer> reader = s.spawn(() -> FdWaits.trampoline(s, p[0], READ, deadline));
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
}
