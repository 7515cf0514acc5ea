package dev.greenhub.tck;

import static dev.greenhub.hub.Readiness.READ;
import static org.assertj.core.api.Assertions.assertThat;

import dev.greenhub.hub.Hub;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

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
        TckFixture.Rescue rescue = fx.rescue(hub, Duration.ofSeconds(15));
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
}
