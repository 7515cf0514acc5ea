package dev.greenhub.hub.poll;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.greenhub.hub.HubProvider;
import dev.greenhub.hub.Hubs;
import dev.greenhub.hub.Readiness;
import dev.greenhub.nativeio.Fds;
import dev.greenhub.nativeio.Native;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class PollHubTest {
    private static final byte[] ONE_BYTE = {42};

    private PollHub hub;
    private final List<Integer> toClose = new ArrayList<>();

    @BeforeEach
    void open() throws IOException {
        hub = PollHub.open();
    }

    @AfterEach
    void close() {
        hub.close();
        for (int fd : toClose) {
            Fds.closeQuietly(fd);
        }
    }

    /** A pipe whose ends are closed after the test. */
    private int[] pipe() throws IOException {
        int[] p = Fds.pipe();
        toClose.add(p[0]);
        toClose.add(p[1]);
        return p;
    }

    private Map<Integer, Integer> pollNow() throws IOException {
        Map<Integer, Integer> ready = new HashMap<>();
        int n = hub.poll(0, (fd, ops) -> assertThat(ready.put(fd, ops)).as("fd %d reported twice", fd).isNull());
        assertThat(n).isEqualTo(ready.size());
        return ready;
    }

    @Test
    void providerIsFoundByServiceLoaderAndAvailable() {
        List<HubProvider> polls = Hubs.providers().stream()
                .flatMap(row -> row.provider().stream())
                .filter(p -> p.name().equals("poll"))
                .toList();
        assertThat(polls).hasSize(1);
        HubProvider provider = polls.get(0);
        assertThat(provider).isInstanceOf(PollHubProvider.class);
        assertThat(provider.priority()).isEqualTo(200);
        assertThat(provider.availability().available()).as(provider.availability().reason()).isTrue();
        assertThat(provider.availability()).isSameAs(new PollHubProvider().availability());
    }

    @Test
    void providerOpensAHubThatCloseReleasesCompletely() throws IOException {
        int before = Fds.openFdCount();
        var opened = new PollHubProvider().open();
        assertThat(opened.name()).isEqualTo("poll");
        assertThat(opened.fdLimit()).isEqualTo(Integer.MAX_VALUE);
        assertThat(Fds.openFdCount()).isGreaterThan(before);
        opened.close();
        opened.close();
        assertThat(Fds.openFdCount()).isEqualTo(before);
        assertThatThrownBy(opened::wakeup).isInstanceOf(IllegalStateException.class)
                .hasMessage("the poll hub is closed");
    }

    @Test
    void interestMapsToPollEventsAndReventsMapBackToReadiness() {
        int rdhup = Native.isLinux() ? PollHub.POLLRDHUP : 0;
        assertThat(hub.events(Readiness.READ)).isEqualTo(PollHub.POLLIN | rdhup);
        assertThat(hub.events(Readiness.WRITE)).isEqualTo(PollHub.POLLOUT);
        assertThat(hub.events(Readiness.READ | Readiness.WRITE)).isEqualTo(PollHub.POLLIN | rdhup | PollHub.POLLOUT);

        assertThat(PollHub.readiness(PollHub.POLLIN)).isEqualTo(Readiness.READ);
        assertThat(PollHub.readiness(PollHub.POLLPRI)).isEqualTo(Readiness.READ);
        assertThat(PollHub.readiness(PollHub.POLLOUT)).isEqualTo(Readiness.WRITE);
        assertThat(PollHub.readiness(PollHub.POLLERR)).isEqualTo(Readiness.ERROR);
        assertThat(PollHub.readiness(PollHub.POLLNVAL)).isEqualTo(Readiness.ERROR);
        assertThat(PollHub.readiness(PollHub.POLLHUP)).isEqualTo(Readiness.HANGUP);
        assertThat(PollHub.readiness(PollHub.POLLRDHUP)).isEqualTo(Readiness.HANGUP);
        assertThat(PollHub.readiness(PollHub.POLLIN | PollHub.POLLHUP)).isEqualTo(Readiness.READ | Readiness.HANGUP);
        assertThat(PollHub.readiness(0)).isZero();
    }

    @Test
    void slotZeroIsTheWakeupFdAndRegisteredFdsFollowDensely() throws IOException {
        int[] a = pipe();
        int[] b = pipe();
        hub.register(a[0], Readiness.READ);
        hub.register(b[1], Readiness.WRITE);
        assertThat(hub.slotEvents(0)).isEqualTo(PollHub.POLLIN);
        assertThat(hub.slotFd(0)).isNotIn(a[0], a[1], b[0], b[1]);
        assertThat(hub.slotFd(1)).isEqualTo(a[0]);
        assertThat(hub.slotEvents(1)).isEqualTo(hub.events(Readiness.READ));
        assertThat(hub.slotFd(2)).isEqualTo(b[1]);
        assertThat(hub.slotEvents(2)).isEqualTo(PollHub.POLLOUT);

        hub.register(a[0], Readiness.READ | Readiness.WRITE);
        assertThat(hub.slotFd(1)).isEqualTo(a[0]);
        assertThat(hub.slotEvents(1)).isEqualTo(hub.events(Readiness.READ | Readiness.WRITE));
        assertThat(hub.registeredCount()).isEqualTo(2);
    }

    @Test
    void unregisterMovesTheLastSlotIntoTheFreedOneAndClearsTheLast() throws IOException {
        int[] a = pipe();
        int[] b = pipe();
        int[] c = pipe();
        hub.register(a[0], Readiness.READ);
        hub.register(b[0], Readiness.READ);
        hub.register(c[1], Readiness.WRITE);

        hub.unregister(a[0]);
        assertThat(hub.slotFd(1)).isEqualTo(c[1]);
        assertThat(hub.slotEvents(1)).isEqualTo(PollHub.POLLOUT);
        assertThat(hub.slotFd(2)).isEqualTo(b[0]);
        assertThat(hub.slotFd(3)).isZero();
        assertThat(hub.slotEvents(3)).isZero();

        hub.unregister(b[0]);
        assertThat(hub.slotFd(1)).isEqualTo(c[1]);
        assertThat(hub.slotFd(2)).isZero();
        assertThat(hub.slotEvents(2)).isZero();

        Fds.write(a[1], ONE_BYTE);
        Fds.write(b[1], ONE_BYTE);
        assertThat(pollNow()).containsExactly(Map.entry(c[1], Readiness.WRITE));

        hub.unregister(c[1]);
        assertThat(hub.slotFd(1)).isZero();
        assertThat(hub.registeredCount()).isZero();
        assertThat(pollNow()).isEmpty();
    }

    @Test
    void arrayGrowsPastItsInitialCapacityAndReportsExactlyTheRightFds() throws IOException {
        int pipes = 3000;
        long limit = Fds.raiseFdLimit(2L * pipes + 500);
        assertThat(limit).as("RLIMIT_NOFILE soft limit").isGreaterThanOrEqualTo(2L * pipes + 500);
        long seed = System.nanoTime();
        Random random = new Random(seed);
        int[][] p = new int[pipes][];
        for (int i = 0; i < pipes; i++) {
            p[i] = pipe();
            hub.register(p[i][0], Readiness.READ);
        }
        assertThat(hub.registeredCount()).isEqualTo(pipes);
        assertThat(hub.slotCapacity()).isGreaterThanOrEqualTo(pipes + 1).isGreaterThan(PollHub.INITIAL_SLOTS);
        assertThat(pollNow()).as("nothing written yet").isEmpty();

        Set<Integer> registered = new HashSet<>();
        for (int[] pipe : p) {
            registered.add(pipe[0]);
        }
        for (int i = 0; i < pipes; i++) {
            if (random.nextBoolean()) {
                hub.unregister(p[i][0]);
                registered.remove(p[i][0]);
            }
        }
        assertThat(hub.registeredCount()).as("seed %d", seed).isEqualTo(registered.size());
        assertThat(hub.slotCapacity()).isGreaterThanOrEqualTo(registered.size() + 1);
        for (int fd : registered) {
            assertThat(hub.interest(fd)).isEqualTo(Readiness.READ);
        }

        Map<Integer, Integer> expected = new HashMap<>();
        for (int i = 0; i < pipes; i++) {
            if (random.nextInt(3) == 0) {
                assertThat(Fds.write(p[i][1], ONE_BYTE)).isEqualTo(1);
                if (registered.contains(p[i][0])) {
                    expected.put(p[i][0], Readiness.READ);
                }
            }
        }
        assertThat(pollNow()).as("seed %d", seed).isEqualTo(expected);
        assertThat(pollNow()).as("level-triggered, seed %d", seed).isEqualTo(expected);

        Map<Integer, Integer> blocking = new HashMap<>();
        int n = hub.poll(TimeUnit.SECONDS.toNanos(10), (fd, ops) -> blocking.put(fd, ops));
        assertThat(blocking).as("seed %d", seed).isEqualTo(expected);
        assertThat(n).isEqualTo(expected.size());
    }

    @Test
    void arrayShrinksWhenMostlyEmptyAndKeepsWorking() throws IOException {
        int count = 1000;
        int[][] p = new int[count][];
        for (int i = 0; i < count; i++) {
            p[i] = pipe();
            hub.register(p[i][0], Readiness.READ);
        }
        int grown = hub.slotCapacity();
        assertThat(grown).isGreaterThanOrEqualTo(count + 1);
        for (int i = 0; i < count - 3; i++) {
            hub.unregister(p[i][0]);
        }
        assertThat(hub.slotCapacity()).isLessThan(grown).isGreaterThanOrEqualTo(PollHub.INITIAL_SLOTS);
        assertThat(hub.slotCapacity()).isEqualTo(PollHub.INITIAL_SLOTS);
        for (int i = 0; i < count; i++) {
            Fds.write(p[i][1], ONE_BYTE);
        }
        assertThat(pollNow()).containsOnlyKeys(p[count - 3][0], p[count - 2][0], p[count - 1][0])
                .containsValues(Readiness.READ);
        for (int slot = 1; slot <= 3; slot++) {
            assertThat(hub.slotFd(slot)).isIn(p[count - 3][0], p[count - 2][0], p[count - 1][0]);
        }
    }

    @Test
    void wakeupReturnsThePollButTheWakeupFdIsNeverReported() throws IOException {
        int[] a = pipe();
        hub.register(a[0], Readiness.READ);
        hub.wakeup();
        hub.wakeup();
        List<Integer> reported = new ArrayList<>();
        long start = System.nanoTime();
        int n = hub.poll(TimeUnit.SECONDS.toNanos(30), (fd, ops) -> reported.add(fd));
        assertThat(System.nanoTime() - start).isLessThan(TimeUnit.SECONDS.toNanos(20));
        assertThat(n).isZero();
        assertThat(reported).isEmpty();
        assertThat(hub.registeredCount()).isEqualTo(1);

        // Coalesced: the next poll blocks for its full timeout and still reports nothing.
        long timeout = TimeUnit.MILLISECONDS.toNanos(50);
        start = System.nanoTime();
        assertThat(hub.poll(timeout, (fd, ops) -> reported.add(fd))).isZero();
        assertThat(System.nanoTime() - start).isGreaterThanOrEqualTo(timeout);

        // A wakeup together with a ready fd: only the fd is reported.
        Fds.write(a[1], ONE_BYTE);
        hub.wakeup();
        assertThat(hub.poll(-1, (fd, ops) -> reported.add(fd))).isEqualTo(1);
        assertThat(reported).containsExactly(a[0]);
    }

    @Test
    void aClosedFdIsReportedAsErrorOnEveryPollUntilUnregistered() throws IOException {
        int[] gone = Fds.pipe();
        int[] alive = pipe();
        hub.register(gone[0], Readiness.READ);
        hub.register(alive[0], Readiness.READ);
        Fds.close(gone[0]);
        Fds.close(gone[1]);
        Fds.write(alive[1], ONE_BYTE);
        for (int i = 0; i < 3; i++) {
            assertThat(pollNow()).containsOnly(Map.entry(gone[0], Readiness.ERROR), Map.entry(alive[0], Readiness.READ));
        }
        hub.unregister(gone[0]);
        assertThat(pollNow()).containsOnly(Map.entry(alive[0], Readiness.READ));
    }

    @Test
    void registeringAnFdThatIsNotOpenSucceedsAndTheNextPollReportsError() throws IOException {
        int[] gone = Fds.pipe();
        Fds.close(gone[0]);
        Fds.close(gone[1]);
        hub.register(gone[0], Readiness.WRITE);
        assertThat(hub.registeredCount()).isEqualTo(1);
        assertThat(hub.poll(TimeUnit.SECONDS.toNanos(10), (fd, ops) -> {
            assertThat(fd).isEqualTo(gone[0]);
            assertThat(ops).isEqualTo(Readiness.ERROR);
        })).isEqualTo(1);
        hub.unregister(gone[0]);
        assertThat(hub.registeredCount()).isZero();
    }

    @Test
    void aPeerShutdownIsHangupBecauseRdhupIsRequestedOnLinux() throws IOException {
        int[] s = Fds.socketPair();
        toClose.add(s[0]);
        toClose.add(s[1]);
        hub.register(s[0], Readiness.READ);
        assertThat(pollNow()).isEmpty();
        assertThat(Native.libc().shutdown(s[1], 1)).as("shutdown(SHUT_WR)").isZero();
        int expected = Native.isLinux() ? Readiness.READ | Readiness.HANGUP : Readiness.READ;
        assertThat(pollNow()).containsExactly(Map.entry(s[0], expected));
    }

    @Test
    void aPipeWhoseWriterClosedIsReadAndHangup() throws IOException {
        int[] p = Fds.pipe();
        toClose.add(p[0]);
        hub.register(p[0], Readiness.READ);
        Fds.close(p[1]);
        assertThat(pollNow()).containsExactly(Map.entry(p[0], Readiness.HANGUP));
    }

    @Test
    void aSubMillisecondTimeoutIsRoundedUpNotDown() throws IOException {
        int[] a = pipe();
        hub.register(a[0], Readiness.READ);
        for (long timeout : new long[] {1, 100_000, 999_999, 1_000_001}) {
            long calls = hub.pollCalls() - hub.interruptedWaits();
            long start = System.nanoTime();
            assertThat(hub.poll(timeout, (fd, ops) -> { })).isZero();
            assertThat(System.nanoTime() - start).as("poll(%d ns)", timeout).isGreaterThanOrEqualTo(timeout);
            // Rounded up, one poll(2) covers the whole timeout; truncated to 0 it would spin (eventlet #30).
            assertThat(hub.pollCalls() - hub.interruptedWaits() - calls).as("poll(2) calls for %d ns", timeout)
                    .isEqualTo(1);
        }
    }

    @Test
    void pollInterruptedBySignalsWaitsAgainForTheTimeLeft() throws Exception {
        int[] a = pipe();
        hub.register(a[0], Readiness.READ);
        long pollThread = Signals.currentThread();
        long timeout = TimeUnit.MILLISECONDS.toNanos(600);
        Thread sender = Thread.ofPlatform().name("sigpipe-sender").start(() -> {
            try {
                while (!Thread.currentThread().isInterrupted()) {
                    Signals.sendSigpipe(pollThread);
                    Thread.sleep(20);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        long start = System.nanoTime();
        int n;
        try {
            n = hub.poll(timeout, (fd, ops) -> { });
        } finally {
            sender.interrupt();
            sender.join(10_000);
        }
        long elapsed = System.nanoTime() - start;
        assertThat(sender.isAlive()).isFalse();
        assertThat(n).isZero();
        assertThat(elapsed).isGreaterThanOrEqualTo(timeout);
        assertThat(hub.interruptedWaits()).as("poll(2) calls that returned EINTR").isPositive();
    }

    @Test
    void theArrayIsFreedOnCloseAndAClosedHubRefusesUse() throws IOException {
        int[] a = pipe();
        for (int i = 0; i < 200; i++) {
            hub.register(a[0], Readiness.READ);
            hub.unregister(a[0]);
        }
        hub.register(a[0], Readiness.READ);
        hub.close();
        assertThatThrownBy(() -> hub.poll(0, (fd, ops) -> { })).isInstanceOf(IllegalStateException.class)
                .hasMessage("the poll hub is closed");
        assertThatThrownBy(() -> hub.slotFd(0)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("freed");
    }

    @Test
    void hugeFdNumbersBelowTheLimitAreTakenAndReportedAsNotOpen() throws IOException {
        // fdLimit() is Integer.MAX_VALUE: such numbers must neither overflow a table nor allocate
        // one by fd number (2^28 ints per array ran out of a 1 GiB heap; 2e9 overflowed an index).
        int[] huge = {1 << 28, 1 << 30, 2_000_000_000, Integer.MAX_VALUE - 1};
        int[] p = pipe();
        hub.register(p[0], Readiness.READ);
        for (int fd : huge) {
            hub.register(fd, Readiness.READ);
            assertThat(hub.interest(fd)).isEqualTo(Readiness.READ);
        }
        Fds.write(p[1], ONE_BYTE);
        Map<Integer, Integer> ready = pollNow();
        assertThat(ready).hasSize(huge.length + 1).containsEntry(p[0], Readiness.READ);
        for (int fd : huge) {
            assertThat(ready).as("fd %d is not open: POLLNVAL", fd).containsEntry(fd, Readiness.ERROR);
            hub.unregister(fd);
        }
        assertThat(hub.registeredCount()).isEqualTo(1);
        assertThat(pollNow()).containsExactly(Map.entry(p[0], Readiness.READ));
    }

    @Test
    void afterNarrowingAWritableFdToReadASilentPollLastsItsTimeout() throws IOException {
        int[] p = pipe();
        hub.register(p[1], Readiness.READ | Readiness.WRITE);
        hub.register(p[1], Readiness.READ);
        long start = System.nanoTime();
        int[] reported = {0};
        assertThat(hub.poll(TimeUnit.MILLISECONDS.toNanos(100), (fd, ops) -> reported[0]++)).isZero();
        assertThat(reported[0]).isZero();
        assertThat(System.nanoTime() - start).isGreaterThanOrEqualTo(TimeUnit.MILLISECONDS.toNanos(100));
    }
}
