package dev.greenhub.tck;

import static dev.greenhub.hub.Readiness.READ;
import static dev.greenhub.hub.Readiness.WRITE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.greenhub.hub.Availability;
import dev.greenhub.hub.Hub;
import dev.greenhub.hub.HubProvider;
import dev.greenhub.nativeio.Fds;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * Rules of the kit, one concern: the provider and the hub's life: availability, name, fd limit, use after close, close releasing the hub's fds and keeping registered ones, independent hubs.
 *
 * <p>The sections of {@code HubTck} form one chain of abstract classes, each extending the one before, so
 * that the public kit class inherits every rule; the order of the chain means nothing.
 */
abstract class LifecycleRules extends RuleSupport {

    @Rule(id = "R01", title = "provider: availability() says available and open() returns an open, empty hub",
            check = "that availability() probes without throwing and open() returns a hub with no registration and a working poll(0)")
    @Required
    void r01ProviderOpens() throws IOException {
        HubProvider provider = fx.provider();
        Availability availability = provider.availability();
        assertThat(availability).as("availability()").isNotNull();
        assertThat(availability.available()).as("availability() of %s: %s", provider.name(), availability.reason())
                .isTrue();
        Hub hub = fx.open();
        assertThat(hub.isClosed()).as("isClosed() of a new hub").isFalse();
        assertThat(hub.registeredCount()).as("registeredCount() of a new hub").isZero();
        assertThat(hub.fdLimit()).as("fdLimit()").isPositive();
        int[] p = fx.pipe();
        assertThat(hub.interest(p[0])).as("interest() of an fd never registered").isZero();
        PollResult r = fx.poll(hub, 0);
        assertThat(r.returned()).as("poll(0) of an empty hub: %s", r).isZero();
    }

    @Rule(id = "R02", title = "provider: name() of a hub is its provider's name, also after close()",
            check = "that name() returns the provider's constant, lower-case name, kept after close()")
    @Required
    void r02NameMatchesProvider() throws IOException {
        HubProvider provider = fx.provider();
        String name = provider.name();
        assertThat(name).as("provider name").isNotBlank().doesNotContainAnyWhitespaces().isLowerCase();
        Hub hub = fx.open();
        assertThat(hub.name()).as("hub.name()").isEqualTo(name);
        hub.close();
        assertThat(hub.name()).as("hub.name() after close()").isEqualTo(name);
    }

    @Rule(id = "R03", title = "provider: fdLimit() is the limit the capabilities declare, the same for every hub",
            check = "that fdLimit() is a constant of the hub type and matches fd.limit in the capabilities resource")
    @Required
    void r03FdLimitAsDeclared() throws IOException {
        Hub a = fx.open();
        Hub b = fx.open();
        assertThat(a.fdLimit()).as("fdLimit() of %s hub vs capabilities (%s)", a.name(), resolvedCapabilities())
                .isEqualTo(resolvedCapabilities().fdLimit());
        assertThat(b.fdLimit()).as("fdLimit() of a second hub").isEqualTo(a.fdLimit());
        a.close();
        assertThat(a.fdLimit()).as("fdLimit() after close()").isEqualTo(b.fdLimit());
    }

    @Rule(id = "R51", title = "closed hub: every call but name/fdLimit/isClosed/close throws IllegalStateException; close is idempotent",
            check = "the closed check at the top of every method and an idempotent close()")
    @Required
    void r51UseAfterClose() throws IOException {
        Hub hub = fx.open();
        int[] p = fx.pipe();
        hub.register(p[0], READ);
        String name = hub.name();
        int limit = hub.fdLimit();
        hub.close();
        assertThat(hub.isClosed()).as("isClosed() after close()").isTrue();
        hub.close();
        assertThat(hub.isClosed()).as("isClosed() after a second close()").isTrue();
        assertThat(hub.name()).as("name() after close()").isEqualTo(name);
        assertThat(hub.fdLimit()).as("fdLimit() after close()").isEqualTo(limit);
        assertThatThrownBy(() -> hub.register(p[1], WRITE)).as("register after close")
                .isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> hub.register(-1, READ)).as("register(-1) after close (closed is checked first)")
                .isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> hub.unregister(p[0])).as("unregister after close")
                .isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> hub.interest(p[0])).as("interest after close")
                .isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(hub::registeredCount).as("registeredCount after close")
                .isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> hub.poll(0, (fd, ops) -> { })).as("poll after close")
                .isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(hub::wakeup).as("wakeup after close").isInstanceOf(IllegalStateException.class);
    }

    @Rule(id = "R52", title = "close() releases the hub's native fds, over several open/close cycles",
            check = "that close() closes every fd the hub opened (epoll fd, eventfd, pipe ends), also after wakeups")
    @Required
    void r52CloseReleasesFds() throws IOException {
        HubProvider provider = fx.provider();
        int[] p = fx.pipe();
        try (Hub warmUp = provider.open()) {
            warmUp.register(p[0], READ);
            warmUp.wakeup();
            fx.poll(warmUp, 0);
        }
        int before = Fds.openFdCount();
        for (int cycle = 1; cycle <= 5; cycle++) {
            Hub hub = provider.open();
            try {
                hub.register(p[0], READ);
                hub.register(p[1], WRITE);
                hub.wakeup();
                fx.poll(hub, EVENT_NANOS);
                hub.wakeup();
            } finally {
                hub.close();
            }
            assertThat(Fds.openFdCount()).as("open fds after open/close cycle %d (before the first: %d)", cycle,
                    before).isEqualTo(before);
        }
        Hub many = provider.open();
        Hub more = provider.open();
        many.close();
        more.close();
        assertThat(Fds.openFdCount()).as("open fds after two hubs open at once were closed").isEqualTo(before);
    }

    @Rule(id = "R53", title = "close() does not close the registered fds",
            check = "that close() never calls close(2) on registered fds")
    @Required
    void r53CloseKeepsRegisteredFds() throws IOException {
        Hub hub = fx.open();
        int[] p = fx.pipe();
        int[] s = fx.socketPair();
        hub.register(p[0], READ);
        hub.register(p[1], WRITE);
        hub.register(s[0], READ | WRITE);
        hub.close();
        for (int fd : new int[] {p[0], p[1], s[0]}) {
            assertThat(Fds.isOpen(fd)).as("fd %d, registered with the closed hub, is still open", fd).isTrue();
        }
        TckFixture.writeByte(p[1]);
        assertThat(TckFixture.drain(p[0])).as("bytes through the pipe after the hub closed").isEqualTo(1);
    }

    @Rule(id = "R54", title = "two hubs are independent: registrations and wakeups of one do not reach the other",
            check = "that no state (wakeup fd, registration table) is static or shared between hubs")
    @Required
    void r54HubsAreIndependent() throws Exception {
        Hub a = fx.open();
        Hub b = fx.open();
        int[] p = fx.pipe();
        TckFixture.writeByte(p[1]);
        a.register(p[0], READ);
        assertThat(b.interest(p[0])).as("interest() in the other hub").isZero();
        assertThat(b.registeredCount()).as("registeredCount() of the other hub").isZero();
        int[] q = fx.pipe();
        b.register(q[0], READ);
        a.wakeup();
        PollResult rb = fx.poll(b, QUIET_NANOS);
        expectSilent(rb, "hub b while hub a holds a readable fd and was woken up");
        assertThat(rb.elapsedNanos()).as("%s: a wakeup of another hub must not end it", rb)
                .isGreaterThanOrEqualTo(QUIET_NANOS);
        expectOnly(fx.poll(a, EVENT_NANOS), p[0], READ, "hub a");
        // The same fd in both hubs, with different interests.
        b.register(p[0], WRITE);
        expectOnly(fx.poll(a, EVENT_NANOS), p[0], READ, "hub a after hub b registered the fd for WRITE");
        expectSilentFullTimeout(fx.poll(b, QUIET_NANOS), "hub b: a pipe's read end is never writable");
    }

    @Rule(id = "R73", title = "a second close() is harmless: it never closes an fd opened after the first",
            check = "that close() forgets its fd numbers (or checks a closed flag) so that a second call closes nothing")
    @Required
    void r73SecondCloseClosesNothing() throws IOException {
        for (int cycle = 0; cycle < 3; cycle++) {
            Hub hub = fx.open();
            int[] p = fx.pipe();
            hub.register(p[0], READ);
            hub.wakeup();
            fx.poll(hub, 0);
            hub.wakeup();
            hub.close();
            List<int[]> after = new ArrayList<>();
            for (int i = 0; i < 4; i++) {
                after.add(fx.pipe());
            }
            hub.close();
            for (int[] q : after) {
                for (int fd : q) {
                    assertThat(Fds.isOpen(fd)).as("fd %d, opened after the hub's first close(), after its second", fd)
                            .isTrue();
                }
                TckFixture.writeByte(q[1]);
                assertThat(TckFixture.drain(q[0])).as("a byte through pipe %s", java.util.Arrays.toString(q))
                        .isEqualTo(1);
            }
        }
    }
}
