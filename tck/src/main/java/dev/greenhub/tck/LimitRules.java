package dev.greenhub.tck;

import static dev.greenhub.hub.Readiness.ERROR;
import static dev.greenhub.hub.Readiness.HANGUP;
import static dev.greenhub.hub.Readiness.READ;
import static dev.greenhub.hub.Readiness.WRITE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.greenhub.hub.Hub;
import dev.greenhub.hub.Readiness;
import dev.greenhub.nativeio.Fds;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Timeout;

/**
 * Rules of the kit, one concern: limits and bad input: many fds at once, negative fds, fds beyond the limit, bad interests, unknown fds.
 *
 * <p>The sections of {@code HubTck} form one chain of abstract classes, each extending the one before, so
 * that the public kit class inherits every rule; the order of the chain means nothing.
 */
abstract class LimitRules extends ClosedFdRules {

    @Rule(id = "R38", title = "many fds: of manyFds registered fds exactly the ready subset is reported, then none",
            check = "the sizing of the backend's arrays (event buffer, pollfd array, fd_set) and that a full event buffer is polled again")
    @Required
    @Timeout(value = 60, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void r38ManyFds() throws IOException {
        HubCapabilities caps = resolvedCapabilities();
        int wanted = caps.manyFds();
        long limit = Fds.raiseFdLimit(Fds.openFdCount() + wanted + 256L);
        Hub hub = fx.open();
        List<int[]> pipes = new ArrayList<>();
        int fds = 0;
        while (fds + 2 <= wanted) {
            int[] p;
            try {
                p = fx.pipe();
            } catch (IOException e) {
                throw new AssertionError("could not open " + wanted + " fds (opened " + fds + ", process fd limit "
                        + limit + "): " + e.getMessage(), e);
            }
            if (p[1] >= caps.fdLimit()) {
                break; // the hub's own limit is reached: use the fds below it
            }
            pipes.add(p);
            fds += 2;
        }
        assertThat(fds).as("fds below the hub's limit %d (many.fds %d)", caps.fdLimit(), wanted)
                .isGreaterThanOrEqualTo(Math.min(wanted, 900));
        for (int[] p : pipes) {
            hub.register(p[0], READ);
            hub.register(p[1], READ); // a pipe's write end is never readable: registered, always idle
        }
        assertThat(hub.registeredCount()).as("registeredCount()").isEqualTo(fds);
        Set<Integer> ready = new TreeSet<>();
        int step = Math.max(1, pipes.size() / 40);
        for (int i = 0; i < pipes.size(); i += step) {
            ready.add(pipes.get(i)[0]);
        }
        ready.add(pipes.getLast()[0]);
        for (int fd : ready) {
            TckFixture.writeByte(pipeOf(pipes, fd)[1]);
        }
        Set<Integer> seen = new TreeSet<>();
        PollResult r = null;
        for (int i = 0; i < 3 && !seen.containsAll(ready); i++) {
            r = fx.poll(hub, EVENT_NANOS);
            Set<Integer> extra = new TreeSet<>(r.reported().keySet());
            extra.removeAll(ready);
            assertThat(extra).as("fds reported that are not ready (poll #%d, %d registered)", i + 1, fds).isEmpty();
            seen.addAll(r.reported().keySet());
        }
        Set<Integer> missing = new TreeSet<>(ready);
        missing.removeAll(seen);
        assertThat(missing).as("ready fds (%d of %d registered) never reported in 3 polls; last %s", ready.size(),
                fds, r).isEmpty();
        for (int fd : ready) {
            TckFixture.drain(fd);
        }
        expectSilentFullTimeout(fx.poll(hub, QUIET_NANOS), fds + " registered idle fds");
        int lastWrite = pipes.getLast()[1];
        hub.register(lastWrite, WRITE);
        expectOnly(fx.poll(hub, EVENT_NANOS), lastWrite, WRITE, "the last of " + fds + " fds switched to WRITE");
    }

    @Rule(id = "R47", title = "bad input: a negative fd is refused with IllegalArgumentException naming the fd",
            check = "the argument checks at the top of register/unregister (negative fd)")
    @Required
    void r47NegativeFd() throws IOException {
        Hub hub = fx.open();
        for (int fd : new int[] {-1, -7, Integer.MIN_VALUE}) {
            assertThatThrownBy(() -> hub.register(fd, READ)).as("register(%d, READ)", fd)
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining(String.valueOf(fd));
            assertThatThrownBy(() -> hub.unregister(fd)).as("unregister(%d)", fd)
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining(String.valueOf(fd));
        }
        assertThat(hub.registeredCount()).as("registeredCount() after refused registrations").isZero();
    }

    @Rule(id = "R48", title = "bad input: an fd at or beyond fdLimit() is refused with IllegalArgumentException naming the fd and the limit",
            check = "that fds at or beyond fdLimit() are refused before any native work or array access")
    @Required
    void r48FdBeyondLimit() throws IOException {
        Hub hub = fx.open();
        int limit = hub.fdLimit();
        List<Integer> bad = new ArrayList<>();
        bad.add(limit);
        if (limit < Integer.MAX_VALUE) {
            bad.add(limit + 1);
            if (limit <= Integer.MAX_VALUE - 1000) {
                bad.add(limit + 1000);
            }
        }
        for (int fd : bad) {
            assertThatThrownBy(() -> hub.register(fd, READ)).as("register(%d, READ) with fdLimit() %d", fd, limit)
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining(String.valueOf(fd));
            if (limit < Integer.MAX_VALUE) {
                assertThatThrownBy(() -> hub.register(fd, WRITE)).as("register(%d, WRITE)", fd)
                        .hasMessageContaining(String.valueOf(limit));
            }
            assertThatThrownBy(() -> hub.unregister(fd)).as("unregister(%d) with fdLimit() %d", fd, limit)
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining(String.valueOf(fd));
        }
        assertThat(hub.registeredCount()).as("registeredCount() after refused registrations").isZero();
        int[] p = fx.pipe();
        TckFixture.writeByte(p[1]);
        hub.register(p[0], READ);
        expectOnly(fx.poll(hub, EVENT_NANOS), p[0], READ, "a valid fd after refused ones");
    }

    @Rule(id = "R49", title = "bad input: interest 0, ERROR, HANGUP, 16 and -1 are refused; the registration is unchanged",
            check = "Readiness.checkInterest (or equivalent) before any change to the registration")
    @Required
    void r49BadInterest() throws IOException {
        Hub hub = fx.open();
        int[] p = fx.pipe();
        for (int interest : new int[] {0, ERROR, HANGUP, READ | ERROR, 16, -1}) {
            assertThatThrownBy(() -> hub.register(p[0], interest)).as("register(fd, %d)", interest)
                    .isInstanceOf(IllegalArgumentException.class);
        }
        assertThat(hub.registeredCount()).as("registeredCount() after refused registrations").isZero();
        hub.register(p[0], READ);
        assertThatThrownBy(() -> hub.register(p[0], 0)).as("register(fd, 0) of a registered fd")
                .isInstanceOf(IllegalArgumentException.class);
        assertThat(hub.interest(p[0])).as("interest() after a refused change").isEqualTo(READ);
        TckFixture.writeByte(p[1]);
        expectOnly(fx.poll(hub, EVENT_NANOS), p[0], READ, "the fd after a refused change");
    }

    @Rule(id = "R50", title = "bad input: unregistering an fd that is not registered throws IllegalArgumentException naming the fd",
            check = "that unregister of an unknown fd is an IllegalArgumentException, not a silent no-op")
    @Required
    void r50UnregisterUnknown() throws IOException {
        Hub hub = fx.open();
        int[] p = fx.pipe();
        assertThatThrownBy(() -> hub.unregister(p[0])).as("unregister of an open fd never registered")
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining(String.valueOf(p[0]));
        hub.register(p[0], READ);
        hub.unregister(p[0]);
        assertThatThrownBy(() -> hub.unregister(p[0])).as("a second unregister")
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining(String.valueOf(p[0]));
        assertThat(hub.registeredCount()).as("registeredCount()").isZero();
    }

    @Rule(id = "R72", title = "fairness: 300 fds ready at once and staying ready are all reported within 8 polls, none starved",
            check = "that an event buffer smaller than the ready set is not always filled from the same fds (the lowest"
                    + " numbers, the first registered): grow it, or resume the scan where the last poll stopped")
    @Required
    void r72FairnessUnderManyReadyFds() throws IOException {
        Hub hub = fx.open();
        Set<Integer> ready = new TreeSet<>();
        for (int i = 0; i < 150; i++) {
            int[] s = fx.socketPair();
            TckFixture.writeByte(s[0]);
            TckFixture.writeByte(s[1]);
            hub.register(s[0], READ);
            hub.register(s[1], READ);
            ready.add(s[0]);
            ready.add(s[1]);
        }
        Set<Integer> seen = new TreeSet<>();
        int polls = 0;
        while (polls < 8 && !seen.containsAll(ready)) {
            PollResult r = fx.poll(hub, EVENT_NANOS);
            polls++;
            assertThat(r.returned()).as("poll #%d with %d ready fds: %s", polls, ready.size(), r).isPositive();
            assertThat(r.elapsedNanos()).as("poll #%d with %d ready fds", polls, ready.size()).isLessThan(MARGIN_NANOS);
            seen.addAll(r.reported().keySet());
        }
        Set<Integer> starved = new TreeSet<>(ready);
        starved.removeAll(seen);
        assertThat(starved).as("of %d fds ready all along, never reported in %d polls", ready.size(), polls).isEmpty();
    }

    @Rule(id = "R79", title = "huge fd numbers below fdLimit(): register(2000000000, READ) throws IOException or works, never an array index error or OutOfMemoryError",
            check = "tables indexed by fd number: size them by what the process can open (RLIMIT_NOFILE) or make them"
                    + " sparse, and refuse an fd the backend rejects with an IOException")
    @Required
    void r79HugeFdNumbers() throws IOException {
        Hub hub = fx.open();
        int limit = hub.fdLimit();
        List<Integer> huge = new ArrayList<>();
        for (int fd : new int[] {2_000_000_000, 1 << 28, 100_000_000, 1 << 20, limit - 1}) {
            if (fd >= 0 && fd < limit && !huge.contains(fd) && !Fds.isOpen(fd)) {
                huge.add(fd);
            }
        }
        for (int fd : huge) {
            assertThat(hub.interest(fd)).as("interest(%d) of a number never registered", fd).isZero();
            Throwable thrown = catchThrowable(() -> hub.unregister(fd));
            assertThat(thrown).as("unregister(%d) of a number never registered", fd)
                    .isInstanceOf(IllegalArgumentException.class);
            try {
                hub.register(fd, READ);
            } catch (IOException refused) {
                assertThat(hub.registeredCount()).as("registeredCount() after register(%d) was refused", fd).isZero();
                assertThat(hub.interest(fd)).as("interest(%d) after register was refused", fd).isZero();
                continue;
            } catch (Throwable e) {
                throw new AssertionError("register(" + fd + ", READ) on a hub whose fdLimit() is " + limit + " threw "
                        + e + ": it must throw IOException (the fd is not open) or watch it", e);
            }
            assertThat(hub.interest(fd)).as("interest(%d) after register worked", fd).isEqualTo(READ);
            fx.poll(hub, 0);
            hub.unregister(fd);
            assertThat(hub.registeredCount()).as("registeredCount() after unregister(%d)", fd).isZero();
        }
        int[] p = fx.pipe();
        TckFixture.writeByte(p[1]);
        hub.register(p[0], READ);
        expectOnly(fx.poll(hub, EVENT_NANOS), p[0], READ, "a small fd after huge ones");
    }
}
