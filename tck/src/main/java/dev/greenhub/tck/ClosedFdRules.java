package dev.greenhub.tck;

import static dev.greenhub.hub.Readiness.ERROR;
import static dev.greenhub.hub.Readiness.READ;
import static dev.greenhub.hub.Readiness.WRITE;
import static org.assertj.core.api.Assertions.assertThat;

import dev.greenhub.hub.Hub;
import java.io.IOException;
import java.util.Map;

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
            expectSilentFullTimeout(r, "fd " + number + ", now an empty pipe");
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
        expectSilentFullTimeout(fx.poll(hub, QUIET_NANOS), "an idle pipe beside an unregistered readable fd with a reused number");
        hub.register(number, READ);
        expectOnly(fx.poll(hub, EVENT_NANOS), number, READ, "the reused number once registered");
    }

    @Rule(id = "R70", title = "registration generations: an fd the handler unregisters, closes, reuses for an empty pipe and registers again with the same interest is not reported in that poll",
            check = "that readiness collected before the handler ran is tagged with the registration it belongs to"
                    + " (a generation bumped by unregister, not by an interest change) and dropped when it no longer matches")
    @Required
    void r70GenerationsInsideTheHandler() throws Exception {
        Hub hub = fx.open();
        int[] a = fx.pipe();
        int[] b = fx.pipe();
        TckFixture.writeByte(a[1]);
        TckFixture.writeByte(b[1]);
        hub.register(a[0], READ);
        hub.register(b[0], READ);
        int[] victim = {-1};
        int[] fresh = new int[2];
        PollResult r = fx.poll(hub, EVENT_NANOS, (fd, ops) -> {
            if (victim[0] < 0) {
                victim[0] = fd == a[0] ? b[0] : a[0];
                TckFixture.unchecked(() -> {
                    hub.unregister(victim[0]);
                    fx.closeNow(victim[0]);
                    int[] p = fx.pipeWithReadEnd(victim[0]);
                    fresh[0] = p[0];
                    fresh[1] = p[1];
                    hub.register(victim[0], READ);
                    TckFixture.drain(fd);
                });
            }
        });
        assertThat(victim[0]).as("the handler ran").isNotNegative();
        assertThat(r.reportedFd(victim[0])).as("fd %d, re-registered by the handler for a new, empty pipe: the old"
                + " pipe's readiness was reported for it in the same poll: %s", victim[0], r).isFalse();
        expectSilentFullTimeout(fx.poll(hub, QUIET_NANOS), "a drained pipe and a new, empty pipe with a reused number");
        TckFixture.writeByte(fresh[1]);
        expectOnly(fx.poll(hub, EVENT_NANOS), victim[0], READ, "the new pipe with the reused number once written");
    }

    @Rule(id = "R77", title = "closed behind the hub's back: while it is registered, no poll returns early with nothing, and the other fds keep being reported",
            check = "that an fd the backend refuses (EBADF, POLLNVAL) or forgets (epoll) neither makes the wait return"
                    + " at once with nothing to report nor stops the other fds' reports")
    @Required
    void r77ClosedFdNeitherEndsPollsEarlyNorHidesOthers() throws Exception {
        Hub hub = fx.open();
        int[] gone = fx.pipe();
        int[] idle = fx.pipe();
        int[] ready = fx.pipe();
        hub.register(gone[0], READ);
        hub.register(idle[0], READ);
        hub.register(ready[0], READ);
        fx.closeNow(gone[0]);
        long until = System.nanoTime() + resolvedCapabilities().closedFdDetection().toNanos() + ms(1_000);
        int polls = 0;
        do {
            PollResult r = fx.poll(hub, QUIET_NANOS);
            polls++;
            for (Map.Entry<Integer, Integer> e : r.reported().entrySet()) {
                assertThat(e.getKey()).as("an fd reported beside a closed one: %s", r).isEqualTo(gone[0]);
                assertThat(e.getValue()).as("readiness reported for fd %d, closed behind the hub's back: %s", gone[0],
                        r).isEqualTo(ERROR);
            }
            if (r.returned() == 0) {
                expectSilentFullTimeout(r, "idle fds beside fd " + gone[0] + ", closed behind the hub's back");
            }
        } while (System.nanoTime() - until < 0 && polls < 200);
        TckFixture.writeByte(ready[1]);
        for (int i = 0; i < 5; i++) {
            PollResult r = fx.poll(hub, EVENT_NANOS);
            assertThat(r.ops(ready[0]) & (READ | WRITE)).as("poll #%d: a readable pipe beside fd %d, closed behind"
                    + " the hub's back: %s", i + 1, gone[0], r).isEqualTo(READ);
            assertThat(r.elapsedNanos()).as("poll #%d: %s", i + 1, r).isLessThan(MARGIN_NANOS);
            assertThat(r.reported().keySet()).as("fds reported: %s", r).isSubsetOf(gone[0], ready[0]);
        }
        hub.unregister(gone[0]);
        expectOnly(fx.poll(hub, EVENT_NANOS), ready[0], READ, "the readable pipe after the closed fd's unregister");
    }

    @Rule(id = "R78", title = "fd reuse while the old file stays open elsewhere (dup): the old file's readiness is never reported for the new fd",
            check = "registrations keyed by (file, fd) in the kernel (epoll keeps watching a closed fd whose file is"
                    + " still open through a dup): events of the old registration must be told apart by their tag")
    @Required
    void r78FdReuseWhileTheOldFileLives() throws Exception {
        Hub hub = fx.open();
        for (boolean unregisterFirst : new boolean[] {false, true}) {
            int[] old = fx.pipe();
            int number = old[0];
            TckFixture.writeByte(old[1]);
            int elsewhere = fx.dup(number);
            hub.register(number, READ);
            expectOnly(fx.poll(hub, EVENT_NANOS), number, READ, "the old pipe holding a byte");
            if (unregisterFirst) {
                hub.unregister(number);
            }
            fx.closeNow(number);
            int[] fresh = fx.pipeWithReadEnd(number);
            hub.register(number, READ);
            String how = unregisterFirst ? "unregistered, then closed" : "closed behind the hub's back";
            for (int i = 0; i < 2; i++) {
                PollResult r = fx.poll(hub, QUIET_NANOS);
                assertThat(r.reported()).as("fd %d %s and reused for an empty pipe, while the old readable pipe is still"
                        + " open as fd %d: %s", number, how, elsewhere, r).isEmpty();
                expectSilentFullTimeout(r, "fd " + number + ", now an empty pipe");
            }
            TckFixture.writeByte(fresh[1]);
            expectOnly(fx.poll(hub, EVENT_NANOS), number, READ, "the new pipe with the reused number once written");
            TckFixture.drain(number);
            hub.unregister(number);
            assertThat(TckFixture.drain(elsewhere)).as("the old pipe's byte, read through its dup").isEqualTo(1);
            fx.closeNow(elsewhere);
        }
    }
}
