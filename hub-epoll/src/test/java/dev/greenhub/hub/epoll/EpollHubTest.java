package dev.greenhub.hub.epoll;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeFalse;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.greenhub.hub.Readiness;
import dev.greenhub.nativeio.ErrnoException;
import dev.greenhub.nativeio.Fds;
import dev.greenhub.nativeio.Native;
import dev.greenhub.nativeio.StructLayout;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

class EpollHubTest {
    private static final byte[] ONE = {42};

    private final List<Integer> fds = new ArrayList<>();

    @AfterEach
    void closeFds() {
        for (int fd : fds) {
            Fds.closeQuietly(fd);
        }
    }

    @Test
    void eventStructMatchesTheKernelAbiOfThisCpu() {
        boolean x86 = Native.cpu().equalsIgnoreCase("x86_64");
        assertThat(StructLayout.EPOLL_EVENT_SIZE).isEqualTo(x86 ? 12 : 16);
        assertThat(StructLayout.EPOLL_EVENT_DATA_OFFSET).isEqualTo(x86 ? 4 : 8);
    }

    @Test
    void manyReadyFdsAreDecodedAndTheEventArrayGrowsPastItsInitialSize() throws IOException {
        Fds.raiseFdLimit(4096);
        int pairs = 300;
        Map<Integer, Integer> expected = new LinkedHashMap<>();
        try (EpollHub hub = EpollHub.open()) {
            assertThat(hub.eventCapacity()).isEqualTo(EpollHub.INITIAL_EVENTS);
            for (int i = 0; i < pairs; i++) {
                int[] pair = socketPair();
                hub.register(pair[0], Readiness.READ | Readiness.WRITE);
                if (i % 2 == 0) {
                    assertThat(Fds.write(pair[1], ONE)).isEqualTo(1);
                    expected.put(pair[0], Readiness.READ | Readiness.WRITE);
                } else {
                    expected.put(pair[0], Readiness.WRITE);
                }
            }

            Map<Integer, Integer> first = poll(hub, 0);
            assertThat(first).hasSize(EpollHub.INITIAL_EVENTS);
            assertThat(expected).containsAllEntriesOf(first);
            assertThat(hub.eventCapacity()).isEqualTo(2 * EpollHub.INITIAL_EVENTS);

            Map<Integer, Integer> second = poll(hub, 0);
            assertThat(second).isEqualTo(expected);
            assertThat(hub.eventCapacity()).isEqualTo(2 * EpollHub.INITIAL_EVENTS);
        }
    }

    @Test
    void eventArrayStopsGrowingAtItsCap() throws IOException {
        Fds.raiseFdLimit(16384);
        int pairs = EpollHub.MAX_EVENTS + 100;
        assumeTrue(Fds.fdLimit() >= 2L * pairs + 200, "the fd limit is too low to fill the largest event array");
        try (EpollHub hub = EpollHub.open()) {
            for (int i = 0; i < pairs; i++) {
                hub.register(socketPair()[0], Readiness.WRITE);
            }
            int polls = 0;
            while (hub.eventCapacity() < EpollHub.MAX_EVENTS) {
                assertThat(hub.poll(0, (fd, ops) -> { })).isEqualTo(hub.eventCapacity() / 2);
                polls++;
            }
            assertThat(polls).isEqualTo(4);
            assertThat(hub.poll(0, (fd, ops) -> { })).isEqualTo(EpollHub.MAX_EVENTS);
            assertThat(hub.eventCapacity()).isEqualTo(EpollHub.MAX_EVENTS);
        }
    }

    @Test
    void addThatFindsTheSameFileStillRegisteredFallsBackToMod() throws IOException {
        int[] a = pipe();
        int[] b = pipe();
        int keep = dup(a[0]);
        int r = a[0];
        try (EpollHub hub = EpollHub.open()) {
            hub.register(r, Readiness.READ);
            int firstTag = hub.tag(r);
            // Close pipe A's read end behind the hub's back: the number now names pipe B, while
            // `keep` holds pipe A open, so the kernel keeps its registration of (pipe A, r).
            dup2(b[0], r);
            hub.unregister(r);
            // Pipe A comes back under the same number: ADD meets the old entry (EEXIST).
            dup2(keep, r);
            hub.register(r, Readiness.READ);
            assertThat(hub.tag(r)).isNotZero().isNotEqualTo(firstTag);

            assertThat(poll(hub, 0)).isEmpty();
            Fds.write(a[1], ONE);
            assertThat(poll(hub, 0)).containsExactly(Map.entry(r, Readiness.READ));
            assertThat(hub.rebuilds()).isZero();
        }
    }

    @Test
    void modOfAFdTheKernelDroppedFallsBackToAdd() throws IOException {
        int[] a = pipe();
        int[] b = pipe();
        int r = a[0];
        try (EpollHub hub = EpollHub.open()) {
            hub.register(r, Readiness.READ);
            int firstTag = hub.tag(r);
            // The number now names pipe B; pipe A's read end is gone, and with it the kernel's entry.
            dup2(b[0], r);
            hub.register(r, Readiness.READ | Readiness.WRITE);
            assertThat(hub.interest(r)).isEqualTo(Readiness.READ | Readiness.WRITE);
            assertThat(hub.tag(r)).isNotEqualTo(firstTag);

            Fds.write(b[1], ONE);
            assertThat(poll(hub, 0)).containsExactly(Map.entry(r, Readiness.READ));
        }
    }

    @Test
    void registeringAClosedFdNamesTheCallAndTheErrno() throws IOException {
        try (EpollHub hub = EpollHub.open()) {
            int r = pipe()[0];
            Fds.close(r);
            fds.remove(Integer.valueOf(r));
            assumeFalse(Fds.isOpen(r), "another thread took fd " + r);
            assertThatThrownBy(() -> hub.register(r, Readiness.READ))
                    .isInstanceOf(ErrnoException.class)
                    .hasMessage("epoll_ctl(epfd " + hub.epollFd() + ", EPOLL_CTL_ADD, fd " + r
                            + ") failed: EBADF (9, Bad file descriptor)");
            assertThat(hub.registeredCount()).isZero();
            assertThat(hub.interest(r)).isZero();
        }
    }

    @Test
    void eventsOfAnOlderRegistrationOfTheSameNumberAreDroppedAndTheSetIsRebuilt() throws IOException {
        int[] a = pipe();
        int[] b = pipe();
        dup(a[0]); // keeps pipe A's read end open after its number is taken over
        int r = a[0];
        try (EpollHub hub = EpollHub.open()) {
            hub.register(r, Readiness.READ);
            Fds.write(a[1], ONE);
            int oldEpfd = hub.epollFd();
            // r now names pipe B; the kernel still reports pipe A (kept open by its dup) as r,
            // under the old registration's tag, and it cannot be deleted by number any more.
            dup2(b[0], r);
            hub.unregister(r);
            hub.register(r, Readiness.READ);

            assertThat(poll(hub, 0)).as("pipe A's readiness must not be reported for pipe B").isEmpty();
            assertThat(hub.rebuilds()).isEqualTo(1);
            assertThat(hub.epollFd()).isNotEqualTo(oldEpfd);
            assertThat(Fds.isOpen(oldEpfd)).isFalse();

            // The rebuilt set kept the live registration and shed the stale one.
            long start = System.nanoTime();
            assertThat(poll(hub, TimeUnit.MILLISECONDS.toNanos(50))).isEmpty();
            assertThat(System.nanoTime() - start).isGreaterThanOrEqualTo(TimeUnit.MILLISECONDS.toNanos(50));
            Fds.write(b[1], ONE);
            assertThat(poll(hub, 0)).containsExactly(Map.entry(r, Readiness.READ));
            assertThat(hub.rebuilds()).isEqualTo(1);
        }
    }

    @Test
    @Timeout(20)
    void closedFdIsFoundByTheProbeEvenByAnUnlimitedPollAndReportedUntilUnregistered() throws IOException {
        int[] a = pipe();
        int[] b = pipe();
        try (EpollHub hub = EpollHub.open(Duration.ofMillis(50))) {
            assertThat(hub.closedFdDetection()).isEqualTo(Duration.ofMillis(50));
            hub.register(a[0], Readiness.READ);
            hub.register(b[0], Readiness.READ);
            assertThat(poll(hub, 0)).isEmpty();

            Fds.close(a[0]);
            fds.remove(Integer.valueOf(a[0]));
            assertThat(poll(hub, -1)).containsExactly(Map.entry(a[0], Readiness.ERROR));
            // Reported by every poll, at once, while the other fds keep working.
            assertThat(poll(hub, TimeUnit.SECONDS.toNanos(30))).containsExactly(Map.entry(a[0], Readiness.ERROR));
            Fds.write(b[1], ONE);
            assertThat(poll(hub, 0)).containsOnly(Map.entry(a[0], Readiness.ERROR), Map.entry(b[0], Readiness.READ));

            hub.unregister(a[0]);
            assertThat(hub.registeredCount()).isEqualTo(1);
            assertThat(poll(hub, 0)).containsExactly(Map.entry(b[0], Readiness.READ));
        }
    }

    @Test
    @Timeout(20)
    void aNumberReusedByAnUnregisteredFileIsReportedAndWorksOnceRegisteredAgain() throws IOException {
        int[] a = pipe();
        int[] b = pipe();
        int r = a[0];
        try (EpollHub hub = EpollHub.open(Duration.ofMillis(50))) {
            hub.register(r, Readiness.READ);
            dup2(b[0], r);
            Fds.write(b[1], ONE);
            assertThat(poll(hub, TimeUnit.SECONDS.toNanos(10))).containsExactly(Map.entry(r, Readiness.ERROR));

            hub.unregister(r);
            hub.register(r, Readiness.READ);
            assertThat(poll(hub, 0)).containsExactly(Map.entry(r, Readiness.READ));
        }
    }

    @Test
    @Timeout(20)
    void reRegisteringAnErroredFdWithANewInterestClearsTheError() throws IOException {
        int[] a = pipe();
        int[] b = pipe();
        int r = a[0];
        try (EpollHub hub = EpollHub.open(Duration.ofMillis(50))) {
            hub.register(r, Readiness.READ);
            dup2(b[0], r);
            assertThat(poll(hub, TimeUnit.SECONDS.toNanos(10))).containsExactly(Map.entry(r, Readiness.ERROR));

            hub.register(r, Readiness.READ | Readiness.WRITE);
            assertThat(poll(hub, 0)).isEmpty();
            Fds.write(b[1], ONE);
            assertThat(poll(hub, 0)).containsExactly(Map.entry(r, Readiness.READ));
        }
    }

    @Test
    @Timeout(20)
    void aRegistrationOlderThanManyProbesStillReportsReadinessAndSilentPollsLastTheirTimeout() throws IOException {
        int[] a = pipe();
        int[] b = pipe();
        try (EpollHub hub = EpollHub.open(Duration.ofMillis(10))) {
            hub.register(a[0], Readiness.READ);
            hub.register(b[1], Readiness.READ | Readiness.WRITE);
            hub.register(b[1], Readiness.READ); // narrowed on an fd that stays writable
            long start = System.nanoTime();
            assertThat(poll(hub, TimeUnit.MILLISECONDS.toNanos(200))).isEmpty();
            assertThat(System.nanoTime() - start).as("a silent poll cut into waits by ~20 probes")
                    .isGreaterThanOrEqualTo(TimeUnit.MILLISECONDS.toNanos(200));
            Fds.write(a[1], ONE);
            assertThat(poll(hub, -1)).containsExactly(Map.entry(a[0], Readiness.READ));
        }
    }

    @Test
    void withoutRegistrationsAWaitIsNotCutForProbes() throws IOException {
        try (EpollHub hub = EpollHub.open(Duration.ofMillis(1))) {
            long start = System.nanoTime();
            assertThat(hub.poll(TimeUnit.MILLISECONDS.toNanos(30), (fd, ops) -> { })).isZero();
            assertThat(System.nanoTime() - start).isGreaterThanOrEqualTo(TimeUnit.MILLISECONDS.toNanos(30));
        }
    }

    @Test
    void hugeFdNumbersBelowTheLimitAreRefusedByTheKernelNotByTheHeap() throws IOException {
        // fdLimit() is Integer.MAX_VALUE: such numbers must neither overflow a table nor allocate
        // one by fd number (2^28 ints per array ran out of a 1 GiB heap).
        try (EpollHub hub = EpollHub.open()) {
            int[] p = pipe();
            hub.register(p[0], Readiness.READ);
            for (int fd : new int[] {1 << 28, 1 << 30, 2_000_000_000, Integer.MAX_VALUE - 1}) {
                assertThatThrownBy(() -> hub.register(fd, Readiness.READ)).isInstanceOf(ErrnoException.class)
                        .hasMessageContaining("EPOLL_CTL_ADD, fd " + fd + ")").hasMessageContaining("EBADF");
                assertThat(hub.interest(fd)).isZero();
            }
            assertThat(hub.registeredCount()).isEqualTo(1);
            Fds.write(p[1], ONE);
            assertThat(poll(hub, 0)).containsExactly(Map.entry(p[0], Readiness.READ));
        }
    }

    @Test
    void theHubsOwnFdsAreRefused() throws IOException {
        try (EpollHub hub = EpollHub.open()) {
            int epfd = hub.epollFd();
            assertThatThrownBy(() -> hub.register(epfd, Readiness.READ))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageStartingWith("fd " + epfd + " is the epoll hub's own epoll fd and cannot be registered with it");
            assertThat(hub.registeredCount()).isZero();
        }
    }

    @Test
    void closeReleasesTheEpollFdAndTheWakeupFdAfterARebuild() throws IOException {
        int before = Fds.openFdCount();
        int[] a = pipe();
        int[] b = pipe();
        dup(a[0]); // keeps pipe A's read end open, so the kernel keeps an unreachable entry
        EpollHub hub = EpollHub.open();
        hub.register(a[0], Readiness.READ);
        Fds.write(a[1], ONE);
        dup2(b[0], a[0]);
        hub.unregister(a[0]);
        assertThat(poll(hub, 0)).isEmpty();
        assertThat(hub.rebuilds()).isEqualTo(1);
        hub.close();
        hub.close();
        closeFds();
        fds.clear();
        assertThat(Fds.openFdCount()).isEqualTo(before);
    }

    @Test
    void aDetectionIntervalMustBePositive() {
        assertThatThrownBy(() -> EpollHub.open(Duration.ZERO))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("PT0S");
        assertThatThrownBy(() -> EpollHub.open(Duration.ofMillis(-1)))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void interestAndReadinessMapToTheKernelBits() {
        assertThat(EpollCalls.kernelEvents(Readiness.READ)).isEqualTo(0x2001);
        assertThat(EpollCalls.kernelEvents(Readiness.WRITE)).isEqualTo(0x4);
        assertThat(EpollCalls.kernelEvents(Readiness.READ | Readiness.WRITE)).isEqualTo(0x2005);
        assertThat(EpollCalls.readiness(0x1)).isEqualTo(Readiness.READ);
        assertThat(EpollCalls.readiness(0x2)).isEqualTo(Readiness.READ);
        assertThat(EpollCalls.readiness(0x4)).isEqualTo(Readiness.WRITE);
        assertThat(EpollCalls.readiness(0x8)).isEqualTo(Readiness.ERROR);
        assertThat(EpollCalls.readiness(0x10)).isEqualTo(Readiness.HANGUP);
        assertThat(EpollCalls.readiness(0x2000)).isEqualTo(Readiness.HANGUP);
        assertThat(EpollCalls.readiness(0x2011)).isEqualTo(Readiness.READ | Readiness.HANGUP);
    }

    private static Map<Integer, Integer> poll(EpollHub hub, long timeoutNanos) throws IOException {
        Map<Integer, Integer> seen = new LinkedHashMap<>();
        int n = hub.poll(timeoutNanos, (fd, ops) -> {
            Integer previous = seen.put(fd, ops);
            assertThat(previous).as("fd %d reported twice in one poll", fd).isNull();
        });
        assertThat(n).isEqualTo(seen.size());
        return seen;
    }

    private int[] pipe() throws IOException {
        int[] p = Fds.pipe();
        fds.add(p[0]);
        fds.add(p[1]);
        return p;
    }

    private int[] socketPair() throws IOException {
        int[] p = Fds.socketPair();
        fds.add(p[0]);
        fds.add(p[1]);
        return p;
    }

    private int dup(int fd) throws IOException {
        int d = Native.libc().dup(fd);
        if (d < 0) {
            throw Native.error("dup(fd " + fd + ")");
        }
        fds.add(d);
        return d;
    }

    private static void dup2(int from, int to) throws IOException {
        if (Native.libc().dup2(from, to) < 0) {
            throw Native.error("dup2(fd " + from + ", fd " + to + ")");
        }
    }
}
