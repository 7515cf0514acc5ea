package dev.greenhub.tck;

import static dev.greenhub.hub.Readiness.ERROR;
import static dev.greenhub.hub.Readiness.READ;
import static org.assertj.core.api.Assertions.assertThat;

import dev.greenhub.hub.Hub;
import java.io.IOException;

/**
 * Rules of the kit, one concern: closed fds and fd reuse: an fd closed behind the hub's back, and a number reused by a new file, never report the old file's readiness.
 *
 * <p>The sections of {@code HubTck} form one chain of abstract classes, each extending the one before, so
 * that the public kit class inherits every rule; the order of the chain means nothing.
 */
abstract class ClosedFdRules extends WakeupRules {

    @Rule(id = "R39", title = "closed behind the hub's back: ERROR is reported for that fd, the other fds keep working",
            check = "that POLLNVAL/EBADF (or a probe) turns into ERROR for the closed fd while the other fds are still dispatched")
    @Optional(Feature.CLOSED_FD_DETECTION)
    void r39ClosedBehindBack() throws Exception {
        Hub hub = fx.open();
        int[] gone = fx.pipe();
        int[] other = fx.pipe();
        hub.register(gone[0], READ);
        hub.register(other[0], READ);
        TckFixture.writeByte(other[1]);
        expectOnly(fx.poll(hub, EVENT_NANOS), other[0], READ, "a readable pipe beside an idle one");
        fx.closeNow(gone[0]);
        long detection = resolvedCapabilities().closedFdDetection().toNanos();
        long deadline = System.nanoTime() + detection + MARGIN_NANOS;
        PollResult r;
        do {
            r = fx.poll(hub, ms(50));
            assertThat(r.has(other[0], READ)).as("the readable pipe beside a closed fd: %s", r).isTrue();
        } while (!r.has(gone[0], ERROR) && System.nanoTime() < deadline);
        assertThat(r.has(gone[0], ERROR)).as("ERROR for fd %d closed behind the hub's back, within the declared"
                + " detection delay %d ms + %d ms: %s", gone[0], detection / 1_000_000, MARGIN_NANOS / 1_000_000, r)
                .isTrue();
        PollResult again = fx.poll(hub, EVENT_NANOS);
        assertThat(again.has(gone[0], ERROR)).as("ERROR again by the next poll until it is unregistered: %s", again)
                .isTrue();
        assertThat(again.has(other[0], READ)).as("the readable pipe, in the same poll: %s", again).isTrue();
        hub.unregister(gone[0]);
        assertThat(hub.registeredCount()).as("registeredCount() after unregistering the closed fd").isEqualTo(1);
        expectOnly(fx.poll(hub, EVENT_NANOS), other[0], READ, "the remaining pipe after the closed fd's unregister");
    }

    @Rule(id = "R40", title = "closed behind the hub's back: unregister() succeeds and forgets the fd",
            check = "that unregister() of a closed fd ignores the backend's EBADF/ENOENT and forgets the registration")
    @Required
    void r40UnregisterClosedFd() throws IOException {
        Hub hub = fx.open();
        int[] p = fx.pipe();
        int[] other = fx.pipe();
        hub.register(p[0], READ);
        hub.register(other[0], READ);
        fx.closeNow(p[0]);
        hub.unregister(p[0]);
        assertThat(hub.interest(p[0])).as("interest() of the closed fd after unregister").isZero();
        assertThat(hub.registeredCount()).as("registeredCount()").isEqualTo(1);
        TckFixture.writeByte(other[1]);
        expectOnly(fx.poll(hub, EVENT_NANOS), other[0], READ, "the remaining pipe");
    }

    @Rule(id = "R41", title = "fd reuse: a number closed behind the hub's back, reused and registered again reports the new fd only",
            check = "that readiness is tagged with a registration generation, so that the old file's events are dropped")
    @Required
    void r41FdReuseAfterCloseBehindBack() throws Exception {
        Hub hub = fx.open();
        int[] old = fx.pipe();
        int number = old[0];
        TckFixture.writeByte(old[1]);
        hub.register(number, READ);
        expectOnly(fx.poll(hub, EVENT_NANOS), number, READ, "the old pipe holding a byte");
        fx.closeNow(number);
        int[] fresh = fx.pipeWithReadEnd(number);
        hub.register(number, READ);
        assertThat(hub.interest(number)).as("interest() of the reused number").isEqualTo(READ);
        assertThat(hub.registeredCount()).as("registeredCount()").isEqualTo(1);
        for (int i = 0; i < 2; i++) {
            PollResult r = fx.poll(hub, QUIET_NANOS);
            assertThat(r.reported()).as("fd %d now an empty pipe (the old one held a byte): %s", number, r).isEmpty();
        }
        TckFixture.writeByte(fresh[1]);
        expectOnly(pollUntil(hub, number, READ, EVENT_NANOS), number, READ, "the new pipe with the reused number");
        TckFixture.drain(number);
        hub.unregister(number);
        assertThat(hub.registeredCount()).as("registeredCount() after unregister").isZero();
    }

    @Rule(id = "R42", title = "fd reuse: after unregister and close, a new fd with the old number is not watched until registered",
            check = "that unregister removes the fd from the backend even if the file is later reused")
    @Required
    void r42FdReuseAfterUnregister() throws Exception {
        Hub hub = fx.open();
        int[] old = fx.pipe();
        int number = old[0];
        hub.register(number, READ);
        hub.unregister(number);
        fx.closeNow(number);
        int[] fresh = fx.pipeWithReadEnd(number);
        TckFixture.writeByte(fresh[1]);
        assertThat(hub.interest(number)).as("interest() of a reused number that was unregistered").isZero();
        int[] watched = fx.pipe();
        hub.register(watched[0], READ);
        expectSilent(fx.poll(hub, QUIET_NANOS), "an idle pipe beside an unregistered readable fd with a reused number");
        hub.register(number, READ);
        expectOnly(fx.poll(hub, EVENT_NANOS), number, READ, "the reused number once registered");
    }
}
