package dev.greenhub.tck;

import static dev.greenhub.hub.Readiness.READ;
import static org.assertj.core.api.Assertions.assertThat;

import dev.greenhub.hub.Hub;
import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Rules of the kit, one concern: timeouts: zero, bounded and negative timeouts; never early, never much late.
 *
 * <p>The sections of {@code HubTck} form one chain of abstract classes, each extending the one before, so
 * that the public kit class inherits every rule; the order of the chain means nothing.
 */
abstract class TimeoutRules extends RegistrationRules {

    @Rule(id = "R29", title = "timeout zero: poll(0) does not block when nothing is ready",
            check = "that a timeout of zero is passed as 0 to the backend (not rounded up to 1 ms) and poll does not loop")
    @Required
    void r29ZeroTimeoutDoesNotBlock() throws Exception {
        Hub hub = fx.open();
        int[] p = fx.pipe();
        hub.register(p[0], READ);
        TckFixture.Rescue rescue = fx.rescue(hub, RESCUE_AFTER);
        long start = System.nanoTime();
        for (int i = 0; i < 20; i++) {
            PollResult r = fx.poll(hub, 0);
            assertThat(rescue.fired()).as("poll(0) #%d blocked until the watchdog fired after %s", i + 1,
                    rescue.after()).isFalse();
            expectSilent(r, "idle fds polled with timeout 0");
        }
        long elapsed = System.nanoTime() - start;
        rescue.cancel();
        assertThat(elapsed).as("20 calls of poll(0) took %.1f ms", elapsed / 1e6).isLessThan(MARGIN_NANOS);
    }

    @Rule(id = "R30", title = "bounded timeout: poll never returns early (300 us, 1.5 ms, 10 ms, 50 ms, 120 ms)",
            check = "the timeout conversion (nanoseconds rounded up, never down) and the loop that waits again after an early backend return")
    @Required
    void r30BoundedTimeoutNeverEarly() throws Exception {
        Hub hub = fx.open();
        int[] p = fx.pipe();
        hub.register(p[0], READ);
        long resolution = resolvedCapabilities().timerResolution().toNanos();
        long[] timeouts = {300_000, 1_500_000, ms(10), ms(50), ms(120), 1_000, 999_999};
        for (long timeout : timeouts) {
            for (int i = 0; i < 3; i++) {
                PollResult r = fx.poll(hub, timeout);
                expectSilent(r, "an idle fd");
                assertThat(r.elapsedNanos()).as("%s: it must not return before its timeout", r)
                        .isGreaterThanOrEqualTo(timeout);
                assertThat(r.elapsedNanos()).as("%s: it must return after its timeout (allowed: timeout +"
                        + " resolution + %d ms)", r, MARGIN_NANOS / 1_000_000)
                        .isLessThanOrEqualTo(timeout + resolution + MARGIN_NANOS);
            }
        }
    }

    @Rule(id = "R31", title = "bounded timeout: a poll ends as soon as an fd is ready, before or during the wait",
            check = "that the backend's wait ends on readiness, and that data present before the call is seen")
    @Required
    void r31BoundedWaitEndsOnReadiness() throws Exception {
        Hub hub = fx.open();
        int[] p = fx.pipe();
        hub.register(p[0], READ);
        TckFixture.writeByte(p[1]);
        long longTimeout = ms(5_000);
        PollResult r = fx.poll(hub, longTimeout);
        expectOnly(r, p[0], READ, "an fd ready before a 5 s poll");
        assertThat(r.elapsedNanos()).as("%s with an fd already ready", r).isLessThan(MARGIN_NANOS);
        TckFixture.drain(p[0]);
        AtomicLong writtenAt = new AtomicLong();
        fx.start("writer", () -> writeAfter(p[1], 100, writtenAt));
        r = fx.poll(hub, longTimeout);
        expectOnly(r, p[0], READ, "an fd made ready 100 ms into a 5 s poll");
        assertThat(r.elapsedNanos()).as("%s: it should end soon after the write, not at its timeout", r)
                .isLessThan(ms(100) + MARGIN_NANOS);
    }

    @Rule(id = "R32", title = "negative timeout: poll waits without limit until an fd is ready",
            check = "that a negative timeout is passed as an infinite wait (-1), not as 0 or a huge number that overflows")
    @Required
    void r32NegativeTimeoutWaits() throws Exception {
        Hub hub = fx.open();
        int[] p = fx.pipe();
        hub.register(p[0], READ);
        TckFixture.Rescue rescue = fx.rescue(hub, Duration.ofSeconds(10));
        AtomicLong writtenAt = new AtomicLong();
        fx.start("writer", () -> writeAfter(p[1], 300, writtenAt));
        PollResult r = fx.poll(hub, -1);
        long returnedAt = System.nanoTime();
        assertThat(rescue.fired()).as("poll(-1) with a write after 300 ms ended only by the watchdog: %s", r)
                .isFalse();
        expectOnly(r, p[0], READ, "poll(-1) ended by a write from another thread");
        assertThat(writtenAt.get()).as("the write happened before poll(-1) returned: %s", r).isNotZero();
        assertThat(returnedAt - writtenAt.get()).as("poll(-1) returned before the write").isPositive();
        assertThat(returnedAt - writtenAt.get()).as("poll(-1) returned %.1f ms after the write",
                (returnedAt - writtenAt.get()) / 1e6).isLessThan(MARGIN_NANOS);
        rescue.cancel();
    }

    @Rule(id = "R67", title = "timeout zero: poll(0) does not wait, with idle and with ready fds registered (median under 0.5 ms)",
            check = "that a zero timeout reaches the backend as 0 (not rounded up to 1 ms) and that poll(0) does not loop")
    @Required
    void r67ZeroTimeoutMedian() throws Exception {
        Hub hub = fx.open();
        for (int i = 0; i < 10; i++) {
            int[] p = fx.pipe();
            hub.register(p[0], READ);
        }
        int[] s = fx.socketPair();
        hub.register(s[0], READ);
        TckFixture.Rescue rescue = fx.rescue(hub, RESCUE_AFTER); // the 12th idle fd, until it fires
        long[] idle = new long[201];
        for (int i = -20; i < idle.length; i++) {
            PollResult r = fx.poll(hub, 0);
            assertThat(rescue.fired()).as("poll(0) #%d blocked until the watchdog fired after %s", i + 21,
                    rescue.after()).isFalse();
            expectSilent(r, "12 idle fds polled with timeout 0");
            assertThat(r.elapsedNanos()).as("poll(0) #%d of 12 idle fds: %s", i + 21, r).isLessThan(MARGIN_NANOS);
            if (i >= 0) {
                idle[i] = r.elapsedNanos();
            }
        }
        long median = TckFixture.median(idle);
        assertThat(median).as("median time of %d poll(0) calls with 12 idle fds registered: %.3f ms", idle.length,
                median / 1e6).isLessThan(500_000L);
        rescue.cancel();
        TckFixture.writeByte(s[1]);
        long[] ready = new long[201];
        for (int i = 0; i < ready.length; i++) {
            PollResult r = fx.poll(hub, 0);
            expectOnly(r, s[0], READ, "a readable socket polled with timeout 0");
            assertThat(r.elapsedNanos()).as("poll(0) #%d with a readable socket: %s", i + 1, r).isLessThan(MARGIN_NANOS);
            ready[i] = r.elapsedNanos();
        }
        median = TckFixture.median(ready);
        assertThat(median).as("median time of %d poll(0) calls with one ready fd: %.3f ms", ready.length,
                median / 1e6).isLessThan(500_000L);
    }

    @Rule(id = "R75", title = "EINTR: signals aimed at the polling thread never shorten a poll nor end a poll(-1)",
            check = "that an EINTR from the backend's wait is retried with the time left (not returned as an empty poll,"
                    + " not thrown, not retried with the whole timeout again from a stale start)")
    @Required
    void r75SignalsNeverShortenAPoll() throws Exception {
        Hub hub = fx.open();
        int[] p = fx.pipe();
        hub.register(p[0], READ);
        long self = ThreadSignals.currentThread();
        AtomicBoolean stop = new AtomicBoolean();
        AtomicLong stormFrom = new AtomicLong(Long.MAX_VALUE);
        AtomicLong sent = new AtomicLong();
        AtomicReference<Throwable> failure = new AtomicReference<>();
        long storm = ms(100);
        try (ThreadSignals signals = ThreadSignals.install()) {
            // Signals every 2 ms during the first 100 ms of each poll: a hub that returns on EINTR
            // returns early; one that retries with the time left ends on time.
            Thread signaller = fx.start("signaller", () -> {
                try {
                    while (!stop.get()) {
                        long since = System.nanoTime() - stormFrom.get();
                        if (since >= 0 && since < storm) {
                            signals.interrupt(self);
                            sent.incrementAndGet();
                        }
                        TckFixture.sleepMillis(2);
                    }
                } catch (Throwable e) {
                    failure.compareAndSet(null, e);
                }
            });
            try {
                long timeout = ms(250);
                for (int i = 0; i < 4; i++) {
                    stormFrom.set(System.nanoTime());
                    PollResult r = fx.poll(hub, timeout);
                    expectSilentFullTimeout(r, "an idle fd while signals interrupt the wait");
                    assertThat(r.elapsedNanos()).as("%s with signals every 2 ms in its first 100 ms", r)
                            .isLessThan(timeout + storm + MARGIN_NANOS);
                }
                TckFixture.Rescue rescue = fx.rescue(hub, Duration.ofSeconds(5));
                AtomicLong wokenAt = new AtomicLong();
                fx.start("waker", () -> {
                    TckFixture.sleepMillis(300);
                    wokenAt.set(System.nanoTime());
                    hub.wakeup();
                });
                stormFrom.set(System.nanoTime());
                PollResult r = fx.poll(hub, -1);
                long returnedAt = System.nanoTime();
                assertThat(rescue.fired()).as("poll(-1) with signals and a wakeup() after 300 ms ended only by the"
                        + " watchdog: %s", r).isFalse();
                expectSilent(r, "poll(-1) ended by wakeup() after signals interrupted the wait");
                assertThat(wokenAt.get()).as("poll(-1) returned before wakeup(), %d signals sent: %s", sent.get(), r)
                        .isNotZero();
                assertThat(returnedAt - wokenAt.get()).as("poll(-1) returned before wakeup()").isPositive();
                rescue.cancel();
            } finally {
                stop.set(true);
                signaller.join(10_000);
            }
        }
        assertThat(failure.get()).as("sending a signal").isNull();
        assertThat(sent.get()).as("signals sent").isGreaterThan(10);
    }
}
