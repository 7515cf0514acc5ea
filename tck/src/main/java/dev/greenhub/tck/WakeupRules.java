package dev.greenhub.tck;

import static dev.greenhub.hub.Readiness.READ;
import static org.assertj.core.api.Assertions.assertThat;

import dev.greenhub.hub.Hub;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.Timeout;

/**
 * Rules of the kit, one concern: wakeup: a wakeup() before or during a poll ends it, wakeups coalesce, the wakeup fd stays internal.
 *
 * <p>The sections of {@code HubTck} form one chain of abstract classes, each extending the one before, so
 * that the public kit class inherits every rule; the order of the chain means nothing.
 */
abstract class WakeupRules extends TimeoutRules {

    @Rule(id = "R33", title = "wakeup() before poll: the next poll(-1) returns at once, reporting nothing",
            check = "that a wakeup() before poll leaves a token (eventfd/pipe byte, flag) the next poll consumes")
    @Required
    void r33WakeupBeforePoll() throws Exception {
        Hub hub = fx.open();
        int[] p = fx.pipe();
        hub.register(p[0], READ);
        TckFixture.Rescue rescue = fx.rescue(hub, RESCUE_AFTER);
        hub.wakeup();
        PollResult r = fx.poll(hub, -1);
        assertThat(rescue.fired()).as("poll(-1) after wakeup() was ended only by the watchdog after %s: %s",
                rescue.after(), r).isFalse();
        expectSilent(r, "a poll ended by wakeup()");
        assertThat(r.elapsedNanos()).as("poll(-1) after wakeup(): %s", r).isLessThan(MARGIN_NANOS);
        rescue.cancel();
    }

    @Rule(id = "R34", title = "wakeup() from another thread ends a poll(-1) under way",
            check = "that wakeup() writes to the wakeup fd the backend watches, from any thread")
    @Required
    void r34WakeupDuringPoll() throws Exception {
        Hub hub = fx.open();
        int[] p = fx.pipe();
        hub.register(p[0], READ);
        TckFixture.Rescue rescue = fx.rescue(hub, RESCUE_AFTER);
        AtomicLong wokenAt = new AtomicLong();
        fx.start("waker", () -> {
            TckFixture.sleepMillis(200);
            wokenAt.set(System.nanoTime());
            hub.wakeup();
        });
        PollResult r = fx.poll(hub, -1);
        long returnedAt = System.nanoTime();
        assertThat(rescue.fired()).as("poll(-1) with wakeup() 200 ms in was ended only by the watchdog: %s", r)
                .isFalse();
        expectSilent(r, "a poll ended by wakeup()");
        assertThat(wokenAt.get()).as("poll(-1) returned before wakeup() was called: %s", r).isNotZero();
        assertThat(returnedAt - wokenAt.get()).as("poll(-1) returned before wakeup()").isPositive();
        assertThat(returnedAt - wokenAt.get()).as("poll(-1) returned %.1f ms after wakeup()",
                (returnedAt - wokenAt.get()) / 1e6).isLessThan(MARGIN_NANOS);
        rescue.cancel();
    }

    @Rule(id = "R35", title = "coalescing: several wakeups make one poll return; the next poll blocks for its timeout",
            check = "that poll drains every pending wakeup token, so wakeups coalesce")
    @Required
    void r35WakeupsCoalesce() throws Exception {
        Hub hub = fx.open();
        int[] p = fx.pipe();
        hub.register(p[0], READ);
        TckFixture.Rescue rescue = fx.rescue(hub, RESCUE_AFTER);
        for (int i = 0; i < 5; i++) {
            hub.wakeup();
        }
        PollResult first = fx.poll(hub, -1);
        assertThat(rescue.fired()).as("poll(-1) after 5 wakeups was ended only by the watchdog: %s", first)
                .isFalse();
        expectSilent(first, "a poll ended by wakeup()");
        rescue.cancel();
        for (int i = 0; i < 2; i++) {
            PollResult next = fx.poll(hub, QUIET_NANOS);
            expectSilent(next, "the poll after a coalesced wakeup");
            assertThat(next.elapsedNanos()).as("%s after 5 coalesced wakeups were consumed: it must block for"
                    + " its timeout", next).isGreaterThanOrEqualTo(QUIET_NANOS);
        }
    }

    @Rule(id = "R36", title = "wakeup() from many threads at once: polls return, wakeups coalesce, nothing is reported",
            check = "that wakeup() is thread-safe and never blocks (non-blocking wakeup fd, EAGAIN ignored)")
    @Required
    void r36WakeupFromManyThreads() throws Exception {
        Hub hub = fx.open();
        int[] p = fx.pipe();
        hub.register(p[0], READ);
        TckFixture.Rescue rescue = fx.rescue(hub, Duration.ofSeconds(5));
        int threads = 8;
        CountDownLatch started = new CountDownLatch(threads);
        AtomicBoolean stop = new AtomicBoolean();
        AtomicReference<Throwable> failure = new AtomicReference<>();
        AtomicLong calls = new AtomicLong();
        List<Thread> wakers = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            wakers.add(fx.start("waker-" + t, () -> {
                started.countDown();
                try {
                    while (!stop.get()) {
                        hub.wakeup();
                        calls.incrementAndGet();
                        Thread.onSpinWait();
                    }
                } catch (Throwable e) {
                    failure.compareAndSet(null, e);
                }
            }));
        }
        try {
            assertThat(started.await(10, TimeUnit.SECONDS)).as("waker threads started").isTrue();
            for (int i = 0; i < 50; i++) {
                PollResult r = fx.poll(hub, -1);
                assertThat(rescue.fired()).as("poll(-1) #%d while %d threads call wakeup() was ended only by the"
                        + " watchdog: %s", i + 1, threads, r).isFalse();
                expectSilent(r, "polls ended by wakeups");
            }
        } finally {
            stop.set(true);
            for (Thread t : wakers) {
                t.join(10_000);
            }
        }
        rescue.cancel();
        assertThat(failure.get()).as("an exception thrown by wakeup() in a waker thread").isNull();
        assertThat(calls.get()).as("wakeup() calls made").isGreaterThanOrEqualTo(threads);
        fx.poll(hub, 0); // consumes the last coalesced wakeup, if one is pending
        PollResult quiet = fx.poll(hub, QUIET_NANOS);
        expectSilent(quiet, "a poll after all wakers stopped");
        assertThat(quiet.elapsedNanos()).as("%s after %d wakeups from %d threads were consumed: it must block for"
                + " its timeout", quiet, calls.get(), threads).isGreaterThanOrEqualTo(QUIET_NANOS);
    }

    @Rule(id = "R37", title = "the wakeup is internal: not reported to the handler, not counted, not registered",
            check = "that the wakeup fd is filtered out of the reports and of registeredCount()")
    @Required
    void r37WakeupNotReported() throws Exception {
        Hub hub = fx.open();
        hub.wakeup();
        PollResult r = fx.poll(hub, EVENT_NANOS);
        assertThat(r.returned()).as("poll of an empty hub after wakeup(): %s", r).isZero();
        assertThat(hub.registeredCount()).as("registeredCount() of an empty hub after wakeup()").isZero();
        int[] p = fx.pipe();
        TckFixture.writeByte(p[1]);
        hub.register(p[0], READ);
        hub.wakeup();
        r = fx.poll(hub, EVENT_NANOS);
        expectOnly(r, p[0], READ, "one readable fd polled after wakeup()");
        assertThat(hub.registeredCount()).as("registeredCount() with one fd after wakeup()").isEqualTo(1);
    }

    @Rule(id = "R68", title = "lost wakeup: in 3000 rounds one wakeup() just before, during or just after the start of poll(-1) ends it",
            check = "the order of 'clear the wakeup flag' and 'drain the wakeup fd' against 'set the flag' and 'write the fd'"
                    + " in wakeup(): a check-then-act race loses a wakeup that lands between them")
    @Required
    @Timeout(value = 60, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void r68NoLostWakeup() throws Exception {
        Hub hub = fx.open();
        int[] idle = fx.pipe();
        hub.register(idle[0], READ);
        int[] rescuePipe = fx.pipe();
        hub.register(rescuePipe[0], READ);
        int rounds = 3000;
        AtomicInteger go = new AtomicInteger();
        AtomicInteger calling = new AtomicInteger();
        AtomicInteger done = new AtomicInteger();
        AtomicInteger polling = new AtomicInteger();
        AtomicBoolean fired = new AtomicBoolean();
        AtomicReference<Throwable> failure = new AtomicReference<>();
        long seed = System.nanoTime();
        Thread waker = fx.start("one-waker", () -> {
            Random random = new Random(seed);
            try {
                for (int round = 1; round <= rounds; round++) {
                    while (go.get() < round) {
                        LockSupport.parkNanos(1_000_000);
                        if (Thread.currentThread().isInterrupted()) {
                            return;
                        }
                    }
                    TckFixture.spin(random.nextInt(40_000));
                    calling.set(round);
                    hub.wakeup();
                    done.set(round);
                }
            } catch (Throwable e) {
                failure.compareAndSet(null, e);
            }
        });
        fx.start("lost-wakeup-watchdog", () -> {
            int last = -1;
            long since = System.nanoTime();
            while (!Thread.currentThread().isInterrupted() && !fired.get()) {
                TckFixture.sleepMillis(50);
                int now = polling.get();
                if (now != last) {
                    last = now;
                    since = System.nanoTime();
                } else if (now > 0 && System.nanoTime() - since > MARGIN_NANOS) {
                    fired.set(true);
                    TckFixture.unchecked(() -> TckFixture.writeByte(rescuePipe[1]));
                }
            }
        });
        Random random = new Random(seed + 1);
        long start = System.nanoTime();
        int round = 1;
        for (; round <= rounds && System.nanoTime() - start < ms(30_000); round++) {
            go.set(round);
            LockSupport.unpark(waker);
            TckFixture.spin(random.nextInt(40_000));
            polling.set(round);
            PollResult r = fx.poll(hub, -1);
            polling.set(-round);
            assertThat(fired.get()).as("round %d of %d (seed %d): poll(-1) still waiting %d ms after the round's one"
                    + " wakeup() (called: %s): a lost wakeup", round, rounds, seed, MARGIN_NANOS / 1_000_000,
                    calling.get() >= round).isFalse();
            expectSilent(r, "a poll(-1) ended by one wakeup()");
            assertThat(calling.get()).as("round %d: poll(-1) returned before the round's wakeup() was called (a"
                    + " wakeup of an earlier round made two polls return): %s", round, r).isGreaterThanOrEqualTo(round);
            long waitUntil = System.nanoTime() + ms(10_000);
            while (done.get() < round && failure.get() == null && System.nanoTime() - waitUntil < 0) {
                Thread.onSpinWait();
            }
            assertThat(failure.get()).as("wakeup() in the waker thread").isNull();
            assertThat(done.get()).as("round %d: wakeup() returned", round).isGreaterThanOrEqualTo(round);
        }
        assertThat(round - 1).as("rounds done in 30 s").isGreaterThanOrEqualTo(500);
        PollResult quiet = fx.poll(hub, QUIET_NANOS);
        expectSilentFullTimeout(quiet, "a poll after every round's wakeup was consumed");
    }

    @Rule(id = "R76", title = "wakeup() racing close() from other threads: IllegalStateException or nothing, and no byte written into sockets opened after the close",
            check = "that close() waits for wakeup() calls in flight before it closes the wakeup fd, and that wakeup()"
                    + " checks the closed state and writes under the same guard")
    @Required
    void r76WakeupRacingClose() throws Exception {
        AtomicReference<Hub> current = new AtomicReference<>();
        AtomicReference<Throwable> failure = new AtomicReference<>();
        AtomicBoolean stop = new AtomicBoolean();
        int threads = 2;
        AtomicInteger[] seenClosed = new AtomicInteger[threads];
        AtomicLong calls = new AtomicLong();
        for (int t = 0; t < threads; t++) {
            AtomicInteger seen = new AtomicInteger();
            seenClosed[t] = seen;
            fx.start("closing-waker-" + t, () -> {
                while (!stop.get()) {
                    Hub hub = current.get();
                    if (hub == null || seen.get() == System.identityHashCode(hub)) {
                        LockSupport.parkNanos(50_000); // this hub is closed: wait for the next one
                        continue;
                    }
                    try {
                        hub.wakeup();
                        calls.incrementAndGet();
                    } catch (IllegalStateException closed) {
                        seen.set(System.identityHashCode(hub));
                    } catch (Throwable e) {
                        failure.compareAndSet(null, e);
                        return;
                    }
                }
            });
        }
        try {
            for (int cycle = 1; cycle <= 100 && failure.get() == null; cycle++) {
                Hub hub = fx.open();
                current.set(hub);
                long before = calls.get();
                long until = System.nanoTime() + ms(100);
                while (calls.get() - before < 2 && System.nanoTime() - until < 0) {
                    Thread.onSpinWait();
                }
                hub.close();
                // Socket pairs, not pipes: a stray write into a reused number lands whichever end it
                // hits (a pipe's read end would refuse it and hide the bug).
                List<int[]> fresh = new ArrayList<>();
                for (int i = 0; i < 4; i++) {
                    fresh.add(fx.socketPair());
                }
                int id = System.identityHashCode(hub);
                long deadline = System.nanoTime() + ms(10_000);
                for (AtomicInteger seen : seenClosed) {
                    while (seen.get() != id && failure.get() == null && System.nanoTime() - deadline < 0) {
                        LockSupport.parkNanos(20_000);
                    }
                }
                for (int[] p : fresh) {
                    for (int end : p) {
                        assertThat(TckFixture.drain(end)).as("cycle %d: bytes in socket %d of pair %s, opened right"
                                + " after close() while wakeup() was being called: a wakeup wrote into an fd number"
                                + " the hub had closed", cycle, end, java.util.Arrays.toString(p)).isZero();
                    }
                    fx.closeNow(p[0]);
                    fx.closeNow(p[1]);
                }
            }
        } finally {
            stop.set(true);
        }
        assertThat(failure.get()).as("what wakeup() threw while another thread closed the hub (only"
                + " IllegalStateException may be thrown)").isNull();
    }
}
