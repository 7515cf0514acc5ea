package dev.greenhub.tck;

import static dev.greenhub.hub.Readiness.READ;
import static org.assertj.core.api.Assertions.assertThat;

import dev.greenhub.hub.Hub;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

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
        long longTimeout = ms(20_000);
        PollResult r = fx.poll(hub, longTimeout);
        expectOnly(r, p[0], READ, "an fd ready before a 20 s poll");
        assertThat(r.elapsedNanos()).as("%s with an fd already ready", r).isLessThan(MARGIN_NANOS);
        TckFixture.drain(p[0]);
        AtomicLong writtenAt = new AtomicLong();
        fx.start("writer", () -> writeAfter(p[1], 100, writtenAt));
        r = fx.poll(hub, longTimeout);
        expectOnly(r, p[0], READ, "an fd made ready 100 ms into a 20 s poll");
        assertThat(r.elapsedNanos()).as("%s: it should end soon after the write, not at its timeout", r)
                .isLessThan(ms(100) + EVENT_NANOS);
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
        rescue.cancel();
    }
}
