package dev.greenhub.tck;

import static dev.greenhub.hub.Readiness.READ;
import static dev.greenhub.hub.Readiness.WRITE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.greenhub.hub.Hub;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Rules of the kit, one concern: registration: register, re-register, unregister and the bookkeeping that follows them, also from inside the handler.
 *
 * <p>The sections of {@code HubTck} form one chain of abstract classes, each extending the one before, so
 * that the public kit class inherits every rule; the order of the chain means nothing.
 */
abstract class RegistrationRules extends PeerCloseRules {

    @Rule(id = "R16", title = "register on a registered fd replaces its interest (not adds to it)",
            check = "that register() on a registered fd modifies (EPOLL_CTL_MOD, replaced pollfd events) instead of adding")
    @Required
    void r16RegisterReplacesInterest() throws IOException {
        Hub hub = fx.open();
        int[] s = fx.socketPair();
        TckFixture.writeByte(s[1]);
        hub.register(s[0], READ);
        hub.register(s[0], WRITE);
        assertThat(hub.interest(s[0])).as("interest() after READ then WRITE").isEqualTo(WRITE);
        assertThat(hub.registeredCount()).as("registeredCount() after registering one fd twice").isEqualTo(1);
        expectOnly(fx.poll(hub, EVENT_NANOS), s[0], WRITE, "a readable, writable socket re-registered for WRITE");
        hub.register(s[0], READ);
        assertThat(hub.interest(s[0])).as("interest() after WRITE then READ").isEqualTo(READ);
        expectOnly(fx.poll(hub, EVENT_NANOS), s[0], READ, "a readable, writable socket re-registered for READ");
    }

    @Rule(id = "R17", title = "changing interest: a writable idle fd switched from WRITE to READ goes silent",
            check = "that a narrowed interest reaches the backend before the next poll")
    @Required
    void r17ChangeInterestSilences() throws IOException {
        Hub hub = fx.open();
        int[] s = fx.socketPair();
        hub.register(s[0], WRITE);
        expectOnly(fx.poll(hub, EVENT_NANOS), s[0], WRITE, "a writable socket registered for WRITE");
        hub.register(s[0], READ);
        expectSilentFullTimeout(fx.poll(hub, QUIET_NANOS), "a writable, unreadable socket switched to READ");
        hub.register(s[0], READ | WRITE);
        expectOnly(fx.poll(hub, EVENT_NANOS), s[0], WRITE, "the same socket switched to READ|WRITE");
    }

    @Rule(id = "R18", title = "unregister: the fd is no longer reported while the other fds still are",
            check = "that unregister() removes the fd from the backend's set (EPOLL_CTL_DEL, pollfd removed)")
    @Required
    void r18Unregister() throws IOException {
        Hub hub = fx.open();
        int[] a = fx.pipe();
        int[] b = fx.pipe();
        TckFixture.writeByte(a[1]);
        TckFixture.writeByte(b[1]);
        hub.register(a[0], READ);
        hub.register(b[0], READ);
        PollResult r = fx.poll(hub, EVENT_NANOS);
        assertThat(r.reported().keySet()).as("two readable pipes: %s", r).containsExactlyInAnyOrder(a[0], b[0]);
        hub.unregister(a[0]);
        for (int i = 0; i < 2; i++) {
            expectOnly(fx.poll(hub, EVENT_NANOS), b[0], READ, "one of two readable pipes after the other's unregister");
        }
        hub.unregister(b[0]);
        expectSilentFullTimeout(fx.poll(hub, QUIET_NANOS), "two readable pipes, both unregistered");
    }

    @Rule(id = "R19", title = "registeredCount() and interest() follow register and unregister",
            check = "the bookkeeping of registrations: count, interest table, compaction after removal")
    @Required
    void r19CountAndInterest() throws IOException {
        Hub hub = fx.open();
        int[] a = fx.pipe();
        int[] b = fx.socketPair();
        assertThat(hub.registeredCount()).as("registeredCount() at first").isZero();
        hub.register(a[0], READ);
        hub.register(a[1], WRITE);
        hub.register(b[0], READ | WRITE);
        assertThat(hub.registeredCount()).as("registeredCount() after three registrations").isEqualTo(3);
        assertThat(hub.interest(a[0])).as("interest(read end)").isEqualTo(READ);
        assertThat(hub.interest(a[1])).as("interest(write end)").isEqualTo(WRITE);
        assertThat(hub.interest(b[0])).as("interest(socket)").isEqualTo(READ | WRITE);
        assertThat(hub.interest(b[1])).as("interest(an fd never registered)").isZero();
        hub.register(b[0], READ);
        assertThat(hub.registeredCount()).as("registeredCount() after re-registering an fd").isEqualTo(3);
        hub.unregister(a[1]);
        assertThat(hub.registeredCount()).as("registeredCount() after one unregister").isEqualTo(2);
        assertThat(hub.interest(a[1])).as("interest() of an unregistered fd").isZero();
        fx.poll(hub, 0);
        assertThat(hub.registeredCount()).as("registeredCount() after a poll").isEqualTo(2);
        hub.unregister(a[0]);
        hub.unregister(b[0]);
        assertThat(hub.registeredCount()).as("registeredCount() after unregistering everything").isZero();
    }

    @Rule(id = "R43", title = "re-entrancy: a ready fd the handler unregisters is not reported later in the same poll",
            check = "that each report is checked against the registration table at dispatch time, not only at collection")
    @Required
    void r43HandlerUnregistersOther() throws IOException {
        Hub hub = fx.open();
        int[] a = fx.pipe();
        int[] b = fx.pipe();
        TckFixture.writeByte(a[1]);
        TckFixture.writeByte(b[1]);
        hub.register(a[0], READ);
        hub.register(b[0], READ);
        int[] victim = {-1};
        PollResult r = fx.poll(hub, EVENT_NANOS, (fd, ops) -> {
            if (victim[0] < 0) {
                victim[0] = fd == a[0] ? b[0] : a[0];
                TckFixture.unchecked(() -> hub.unregister(victim[0]));
            }
        });
        assertThat(victim[0]).as("the handler ran").isNotNegative();
        assertThat(r.reportedFd(victim[0])).as("fd %d, unregistered by the handler, in the same poll: %s",
                victim[0], r).isFalse();
        assertThat(r.returned()).as("poll's count").isEqualTo(1);
        int survivor = victim[0] == a[0] ? b[0] : a[0];
        expectOnly(fx.poll(hub, EVENT_NANOS), survivor, READ, "the next poll");
    }

    @Rule(id = "R44", title = "re-entrancy: a ready fd the handler re-registers is not reported with its old readiness",
            check = "that a re-registration inside the handler starts a new generation, so collected readiness is dropped")
    @Required
    void r44HandlerReRegistersOther() throws IOException {
        Hub hub = fx.open();
        int[] a = fx.socketPair();
        int[] b = fx.socketPair();
        TckFixture.writeByte(a[1]);
        TckFixture.writeByte(b[1]); // a[0] and b[0] are readable and writable
        hub.register(a[0], READ);
        hub.register(b[0], READ);
        int[] changed = {-1};
        PollResult r = fx.poll(hub, EVENT_NANOS, (fd, ops) -> {
            if (changed[0] < 0) {
                changed[0] = fd == a[0] ? b[0] : a[0];
                TckFixture.unchecked(() -> hub.register(changed[0], WRITE));
            }
        });
        assertThat(changed[0]).as("the handler ran").isNotNegative();
        assertThat(r.ops(changed[0]) & READ).as("READ for fd %d after the handler switched it to WRITE, same poll:"
                + " %s", changed[0], r).isZero();
        PollResult next = fx.poll(hub, EVENT_NANOS);
        assertThat(next.ops(changed[0]) & (READ | WRITE)).as("the re-registered fd in the next poll: %s", next)
                .isEqualTo(WRITE);
    }

    @Rule(id = "R45", title = "re-entrancy: an fd the handler registers is reported by the next poll",
            check = "that a registration made inside the handler reaches the backend before the next poll")
    @Required
    void r45HandlerRegisters() throws IOException {
        Hub hub = fx.open();
        int[] a = fx.pipe();
        int[] added = fx.pipe();
        TckFixture.writeByte(a[1]);
        TckFixture.writeByte(added[1]);
        hub.register(a[0], READ);
        fx.poll(hub, EVENT_NANOS, (fd, ops) -> {
            if (fd == a[0] && hub.interest(added[0]) == 0) {
                TckFixture.unchecked(() -> hub.register(added[0], READ));
            }
        });
        assertThat(hub.interest(added[0])).as("interest() of the fd the handler registered").isEqualTo(READ);
        assertThat(hub.registeredCount()).as("registeredCount()").isEqualTo(2);
        PollResult next = fx.poll(hub, EVENT_NANOS);
        assertThat(next.reported().keySet()).as("the next poll: %s", next).containsExactlyInAnyOrder(a[0], added[0]);
    }

    @Rule(id = "R46", title = "re-entrancy: an exception thrown by the handler propagates out of poll; the next poll reports all",
            check = "that poll leaves its state consistent (buffers, in-poll flag) when the handler throws")
    @Required
    void r46HandlerException() throws IOException {
        Hub hub = fx.open();
        Set<Integer> ready = new TreeSet<>();
        for (int i = 0; i < 5; i++) {
            int[] p = fx.pipe();
            TckFixture.writeByte(p[1]);
            hub.register(p[0], READ);
            ready.add(p[0]);
        }
        IllegalStateException thrown = new IllegalStateException("thrown by the TCK's handler");
        assertThatThrownBy(() -> hub.poll(EVENT_NANOS, (fd, ops) -> {
            throw thrown;
        })).as("poll whose handler throws").isSameAs(thrown);
        assertThat(hub.isClosed()).as("isClosed() after a handler threw").isFalse();
        PollResult next = fx.poll(hub, EVENT_NANOS);
        assertThat(next.reported().keySet()).as("the poll after the handler threw: %s", next)
                .containsExactlyInAnyOrderElementsOf(ready);
    }

    @Rule(id = "R69", title = "narrowing interest: a writable fd switched from READ|WRITE to READ stays silent for the poll's whole timeout",
            check = "that the narrowed interest reaches the backend (EPOLL_CTL_MOD, the pollfd's events, the write set)"
                    + " before the next poll, and that a poll with nothing to report waits its whole timeout")
    @Required
    void r69NarrowingInterestSilences() throws IOException {
        Hub hub = fx.open();
        int[] s = fx.socketPair();
        for (int i = 0; i < 3; i++) {
            hub.register(s[0], READ | WRITE);
            expectOnly(fx.poll(hub, EVENT_NANOS), s[0], WRITE, "a writable, unreadable socket registered for READ|WRITE");
            hub.register(s[0], READ);
            expectSilentFullTimeout(fx.poll(hub, QUIET_NANOS), "a writable socket narrowed from READ|WRITE to READ");
        }
        TckFixture.writeByte(s[1]);
        expectOnly(fx.poll(hub, EVENT_NANOS), s[0], READ, "the narrowed socket once its peer wrote");
    }

    @Rule(id = "R71", title = "mass unregister: of 300 registered fds, the 30 left after unregistering the rest (in four orders) are each reported exactly as registered",
            check = "the removal from the backend's set and the registration table when many fds go at once: swap-remove"
                    + " or compaction that moves a survivor's slot, index or interest")
    @Required
    void r71MassUnregister() throws IOException {
        Hub hub = fx.open();
        int[] interests = {READ, WRITE, READ | WRITE};
        List<Integer> fds = new ArrayList<>();
        Map<Integer, Integer> interestOf = new HashMap<>();
        for (int i = 0; i < 150; i++) {
            int[] s = fx.socketPair();
            TckFixture.writeByte(s[0]);
            TckFixture.writeByte(s[1]); // both ends readable and writable
            for (int fd : s) {
                interestOf.put(fd, interests[fds.size() % interests.length]);
                fds.add(fd);
            }
        }
        List<List<Integer>> orders = new ArrayList<>();
        orders.add(new ArrayList<>(fds));
        List<Integer> descending = new ArrayList<>(fds);
        Collections.reverse(descending);
        orders.add(descending);
        List<Integer> shuffled = new ArrayList<>(fds);
        Collections.shuffle(shuffled, new Random(300));
        orders.add(shuffled);
        List<Integer> interleaved = new ArrayList<>();
        for (int start = 0; start < 2; start++) {
            for (int i = start; i < fds.size(); i += 2) {
                interleaved.add(fds.get(i));
            }
        }
        orders.add(interleaved);
        String[] names = {"ascending", "descending", "random", "even then odd"};
        for (int o = 0; o < orders.size(); o++) {
            for (int fd : fds) {
                hub.register(fd, interestOf.get(fd));
            }
            assertThat(hub.registeredCount()).as("registeredCount() after registering %d fds", fds.size())
                    .isEqualTo(fds.size());
            Set<Integer> kept = new TreeSet<>();
            for (int i = o; i < fds.size(); i += 10) {
                kept.add(fds.get(i));
            }
            for (int fd : orders.get(o)) {
                if (!kept.contains(fd)) {
                    hub.unregister(fd);
                }
            }
            assertThat(hub.registeredCount()).as("registeredCount() after unregistering all but %d in %s order",
                    kept.size(), names[o]).isEqualTo(kept.size());
            PollResult r = fx.poll(hub, EVENT_NANOS);
            Map<Integer, Integer> expected = new TreeMap<>();
            kept.forEach(fd -> expected.put(fd, interestOf.get(fd)));
            Map<Integer, Integer> actual = new TreeMap<>();
            r.reported().forEach((fd, ops) -> actual.put(fd, ops & (READ | WRITE)));
            assertThat(actual).as("the %d ready fds left after unregistering %d in %s order, with their interest:"
                    + " %s", kept.size(), fds.size() - kept.size(), names[o], r).isEqualTo(expected);
            for (int fd : kept) {
                assertThat(hub.interest(fd)).as("interest() of a survivor").isEqualTo(interestOf.get(fd));
                hub.unregister(fd);
            }
            assertThat(hub.registeredCount()).as("registeredCount() after unregistering everything").isZero();
        }
    }
}
