package dev.greenhub.hub.select;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.greenhub.hub.Readiness;
import dev.greenhub.nativeio.Fds;
import dev.greenhub.nativeio.Native;
import dev.greenhub.nativeio.NativeBuffer;
import dev.greenhub.nativeio.NativeHub;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class SelectHubTest {
    private static final byte[] ONE = {1};

    private final List<Integer> fds = new ArrayList<>();
    private int fdsBefore;
    private SelectHub hub;

    @BeforeAll
    static void loadNativeCodeFirst() throws IOException {
        // jnr and jffi open a few fds of their own the first time they load; count after that.
        SelectHub.open().close();
    }

    @BeforeEach
    void open() throws IOException {
        fdsBefore = Fds.openFdCount();
        hub = SelectHub.open();
    }

    @AfterEach
    void close() {
        hub.close();
        for (int fd : fds) {
            Fds.closeQuietly(fd);
        }
        assertThat(Fds.openFdCount()).as("open fds after the test").isEqualTo(fdsBefore);
    }

    @Test
    void fd1024IsRefusedWithTheLimitAndNothingIsTouched() throws IOException {
        int nfds = hub.nfds();
        assertThatThrownBy(() -> hub.register(1024, Readiness.READ))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("fd 1024 is beyond the select hub's limit: select(2) takes fds below FD_SETSIZE (1024);"
                        + " use the poll or epoll hub for more fds");
        assertThatThrownBy(() -> hub.register(Integer.MAX_VALUE, Readiness.WRITE))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("fd 2147483647 is beyond the select hub's limit");
        assertThat(hub.fdLimit()).isEqualTo(1024);
        assertThat(hub.registeredCount()).isZero();
        assertThat(hub.interest(1024)).isZero();
        assertThat(hub.nfds()).isEqualTo(nfds);
        assertThat(hub.poll(0, (fd, ops) -> {
            throw new AssertionError("nothing is registered, yet fd " + fd + " was reported");
        })).isZero();
    }

    @Test
    void fdSetBitHelperRefusesFdsOutsideTheSet() {
        assertThat(FdSet.wordOf(0)).isZero();
        assertThat(FdSet.wordOf(63)).isZero();
        assertThat(FdSet.wordOf(64)).isEqualTo(1);
        assertThat(FdSet.wordOf(1023)).isEqualTo(15);
        assertThatThrownBy(() -> FdSet.wordOf(1024)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("fd 1024 does not fit in an fd_set: select(2) takes fds 0 to 1023 (FD_SETSIZE 1024)");
        assertThatThrownBy(() -> FdSet.wordOf(-1)).isInstanceOf(IllegalArgumentException.class);
        try (FdSet set = new FdSet()) {
            assertThatThrownBy(() -> set.add(1024)).isInstanceOf(IllegalArgumentException.class);
            set.add(1023);
            set.add(65);
            assertThat(set.masterWord(15)).isEqualTo(1L << 63);
            assertThat(set.masterWord(1)).isEqualTo(1L << 1);
            set.load(1024);
            assertThat(set.resultWord(15)).isEqualTo(1L << 63);
            assertThat(set.resultWord(1)).isEqualTo(2L);
        }
    }

    @Test
    void fd1023IsTheHighestFdThatWorks() throws IOException {
        assertThat(Fds.raiseFdLimit(1024)).as("soft fd limit").isGreaterThanOrEqualTo(1024);
        int[] p = pipe();
        assertThat(Fds.isOpen(1023)).as("fd 1023 is free before the test").isFalse();
        assertThat(Native.libc().dup2(p[0], 1023)).isEqualTo(1023);
        fds.add(1023);
        hub.register(1023, Readiness.READ);
        assertThat(hub.nfds()).isEqualTo(1024);
        assertThat(pollAll(0)).isEmpty();
        Fds.write(p[1], ONE);
        assertThat(pollAll(-1)).containsExactly(Map.entry(1023, Readiness.READ));
        hub.unregister(1023);
        assertThat(hub.nfds()).isLessThan(1024);
    }

    @Test
    void readWriteAndBothAreReportedAsAsked() throws IOException {
        int[] s = socketPair();
        hub.register(s[0], Readiness.READ);
        assertThat(pollAll(0)).isEmpty();
        hub.register(s[0], Readiness.READ | Readiness.WRITE);
        assertThat(pollAll(0)).containsExactly(Map.entry(s[0], Readiness.WRITE));
        Fds.write(s[1], ONE);
        assertThat(pollAll(0)).containsExactly(Map.entry(s[0], Readiness.READ | Readiness.WRITE));
        hub.register(s[0], Readiness.READ);
        assertThat(pollAll(0)).containsExactly(Map.entry(s[0], Readiness.READ));
        assertThat(pollAll(0)).as("level-triggered").containsExactly(Map.entry(s[0], Readiness.READ));
    }

    @Test
    void twoFdsClosedBehindItsBackAreFoundWhileAnotherIsReadable() throws IOException {
        int[] readable = pipe();
        int[] quiet = pipe();
        int[] doomed1 = pipe();
        int[] doomed2 = pipe();
        int[] writable = pipe();
        hub.register(readable[0], Readiness.READ);
        hub.register(quiet[0], Readiness.READ);
        hub.register(doomed1[0], Readiness.READ);
        hub.register(doomed2[0], Readiness.READ | Readiness.WRITE);
        hub.register(writable[1], Readiness.WRITE);
        Fds.write(readable[1], ONE);
        Fds.close(doomed1[0]);
        Fds.close(doomed2[0]);
        fds.remove((Integer) doomed1[0]);
        fds.remove((Integer) doomed2[0]);

        Map<Integer, Integer> expected = Map.of(readable[0], Readiness.READ, writable[1], Readiness.WRITE,
                doomed1[0], Readiness.ERROR, doomed2[0], Readiness.ERROR);
        assertThat(pollAll(-1)).containsExactlyInAnyOrderEntriesOf(expected);
        assertThat(hub.isErrored(doomed1[0])).isTrue();
        assertThat(hub.isWatched(doomed1[0])).as("left out of the fd_sets").isFalse();
        assertThat(hub.isErrored(quiet[0])).isFalse();
        assertThat(pollAll(-1)).as("every poll until unregistered").containsExactlyInAnyOrderEntriesOf(expected);

        hub.unregister(doomed1[0]);
        assertThat(pollAll(-1)).containsExactlyInAnyOrderEntriesOf(Map.of(readable[0], Readiness.READ,
                writable[1], Readiness.WRITE, doomed2[0], Readiness.ERROR));
        hub.unregister(doomed2[0]);
        hub.unregister(writable[1]);
        assertThat(pollAll(-1)).containsExactly(Map.entry(readable[0], Readiness.READ));
        byte[] buf = new byte[8];
        assertThat(Fds.read(readable[0], buf)).isEqualTo(1);
        assertThat(pollAll(0)).isEmpty();
    }

    @Test
    void aReusedNumberWorksOnceRegisteredAgain() throws IOException {
        int[] old = pipe();
        hub.register(old[0], Readiness.READ);
        Fds.close(old[0]);
        assertThat(pollAll(-1)).containsExactly(Map.entry(old[0], Readiness.ERROR));
        hub.unregister(old[0]);

        int[] fresh = pipe();
        assertThat(Native.libc().dup2(fresh[0], old[0])).isEqualTo(old[0]);
        hub.register(old[0], Readiness.READ);
        assertThat(hub.isErrored(old[0])).isFalse();
        assertThat(pollAll(0)).isEmpty();
        Fds.write(fresh[1], ONE);
        assertThat(pollAll(-1)).containsExactly(Map.entry(old[0], Readiness.READ));
    }

    @Test
    void changingTheInterestOfAMarkedFdClearsTheMark() throws IOException {
        int[] old = pipe();
        hub.register(old[0], Readiness.READ);
        Fds.close(old[0]);
        assertThat(pollAll(-1)).containsExactly(Map.entry(old[0], Readiness.ERROR));
        int[] fresh = pipe();
        assertThat(Native.libc().dup2(fresh[0], old[0])).isEqualTo(old[0]);
        hub.register(old[0], Readiness.READ | Readiness.WRITE);
        assertThat(hub.isErrored(old[0])).isFalse();
        Fds.write(fresh[1], ONE);
        assertThat(pollAll(-1)).containsExactly(Map.entry(old[0], Readiness.READ));
    }

    @Test
    void registeringAMarkedFdAgainWithTheSameInterestClearsTheMark() throws IOException {
        int[] old = pipe();
        hub.register(old[0], Readiness.READ);
        Fds.close(old[0]);
        assertThat(pollAll(-1)).containsExactly(Map.entry(old[0], Readiness.ERROR));
        int[] fresh = pipe();
        assertThat(Native.libc().dup2(fresh[0], old[0])).isEqualTo(old[0]);
        hub.register(old[0], Readiness.READ);
        assertThat(hub.isErrored(old[0])).isFalse();
        assertThat(hub.isWatched(old[0])).isTrue();
        assertThat(pollAll(0)).isEmpty();
        Fds.write(fresh[1], ONE);
        assertThat(pollAll(-1)).containsExactly(Map.entry(old[0], Readiness.READ));
    }

    @Test
    void nfdsFollowsTheHighestRegisteredFd() throws IOException {
        int base = hub.nfds();
        int[] a = pipe();
        int[] b = pipe();
        int[] c = pipe();
        int high = Math.max(Math.max(a[0], b[0]), c[0]);
        int low = Math.min(Math.min(a[0], b[0]), c[0]);
        hub.register(a[0], Readiness.READ);
        hub.register(b[0], Readiness.READ);
        hub.register(c[0], Readiness.READ);
        assertThat(hub.nfds()).isEqualTo(Math.max(base, high + 1));

        hub.unregister(high);
        int nextHigh = secondHighest(a[0], b[0], c[0]);
        assertThat(hub.nfds()).isEqualTo(Math.max(base, nextHigh + 1));

        Fds.write(low == a[0] ? a[1] : low == b[0] ? b[1] : c[1], ONE);
        assertThat(pollAll(-1)).containsExactly(Map.entry(low, Readiness.READ));

        hub.unregister(low);
        hub.unregister(nextHigh);
        assertThat(hub.nfds()).as("only the wakeup fd is left").isEqualTo(base);
    }

    @Test
    void nfdsDropsWhenTheHighestFdIsClosedBehindItsBack() throws IOException {
        int base = hub.nfds();
        int[] a = pipe();
        int[] b = pipe();
        int high = Math.max(a[0], b[0]);
        int low = Math.min(a[0], b[0]);
        hub.register(low, Readiness.READ);
        hub.register(high, Readiness.READ);
        Fds.close(high);
        fds.remove((Integer) high);
        assertThat(hub.nfds()).isEqualTo(high + 1);
        assertThat(pollAll(-1)).containsExactly(Map.entry(high, Readiness.ERROR));
        assertThat(hub.nfds()).as("the closed fd left the fd_sets").isEqualTo(Math.max(base, low + 1));
        hub.unregister(high);
        assertThat(pollAll(0)).isEmpty();
    }

    @Test
    void wakeupIsNeverReportedNorCounted() throws IOException {
        int[] p = pipe();
        hub.register(p[0], Readiness.READ);
        hub.wakeup();
        hub.wakeup();
        List<Integer> seen = new ArrayList<>();
        assertThat(hub.poll(-1, (fd, ops) -> seen.add(fd))).isZero();
        assertThat(seen).isEmpty();
        assertThat(hub.registeredCount()).isEqualTo(1);

        Fds.write(p[1], ONE);
        hub.wakeup();
        assertThat(hub.poll(-1, (fd, ops) -> seen.add(fd))).isEqualTo(1);
        assertThat(seen).containsExactly(p[0]);

        seen.clear();
        long start = System.nanoTime();
        Fds.read(p[0], new byte[8]);
        assertThat(hub.poll(TimeUnit.MILLISECONDS.toNanos(30), (fd, ops) -> seen.add(fd))).isZero();
        assertThat(System.nanoTime() - start).as("the coalesced wakeups made one return only")
                .isGreaterThanOrEqualTo(TimeUnit.MILLISECONDS.toNanos(30));
        assertThat(seen).isEmpty();
    }

    @Test
    void wakeupFromAnotherThreadEndsABlockedPoll() throws Exception {
        Thread waker = Thread.ofPlatform().start(() -> {
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                return;
            }
            hub.wakeup();
        });
        assertThat(hub.poll(TimeUnit.SECONDS.toNanos(20), (fd, ops) -> {
            throw new AssertionError("fd " + fd + " reported");
        })).isZero();
        waker.join(10_000);
        assertThat(waker.isAlive()).isFalse();
    }

    @Test
    void theWakeupFdCannotBeRegistered() {
        int wake = hub.nfds() - 1;
        assertThatThrownBy(() -> hub.register(wake, Readiness.READ))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("fd " + wake + " is the select hub's own wakeup fd");
        assertThat(hub.registeredCount()).isZero();
    }

    @Test
    void aTimeoutIsNeverCutShort() throws IOException {
        int[] p = pipe();
        hub.register(p[0], Readiness.READ);
        for (long nanos : new long[] {1, 999, 1_001, 2_500_000}) {
            long start = System.nanoTime();
            assertThat(hub.poll(nanos, (fd, ops) -> {
                throw new AssertionError("fd " + fd + " reported");
            })).isZero();
            assertThat(System.nanoTime() - start).isGreaterThanOrEqualTo(nanos);
        }
    }

    @Test
    void subMicrosecondTimeoutsAreRoundedUpNotSpun() throws IOException {
        int[] p = pipe();
        hub.register(p[0], Readiness.READ);
        for (long nanos : new long[] {1, 999, 1_000, 1_001}) {
            long calls = hub.selectCalls();
            long interrupted = hub.interruptedWaits();
            long start = System.nanoTime();
            assertThat(hub.poll(nanos, (fd, ops) -> {
                throw new AssertionError("fd " + fd + " reported");
            })).isZero();
            assertThat(System.nanoTime() - start).isGreaterThanOrEqualTo(nanos);
            assertThat(hub.selectCalls() - calls - (hub.interruptedWaits() - interrupted))
                    .as("select calls for a %d ns timeout", nanos).isEqualTo(1);
        }
    }

    @Test
    void timevalHoldsSecondsAndMicrosecondsBelowAMillion() {
        try (NativeBuffer tv = NativeBuffer.allocate(16)) {
            SelectHub.putTimeval(tv, 1);
            assertThat(new long[] {tv.getLong(0), tv.getLong(8)}).containsExactly(0, 1);
            SelectHub.putTimeval(tv, 2_500_001);
            assertThat(new long[] {tv.getLong(0), tv.getLong(8)}).containsExactly(2, 500_001);
            long micros = NativeHub.microsCeil(Long.MAX_VALUE);
            SelectHub.putTimeval(tv, micros);
            assertThat(new long[] {tv.getLong(0), tv.getLong(8)})
                    .containsExactly(micros / 1_000_000, micros % 1_000_000);
        }
    }

    @Test
    void aHugeTimeoutIsAcceptedBySelect() throws IOException {
        int[] p = pipe();
        hub.register(p[0], Readiness.READ);
        Fds.write(p[1], ONE);
        assertThat(pollAll(Long.MAX_VALUE)).containsExactly(Map.entry(p[0], Readiness.READ));
    }

    @Test
    void signalsInterruptSelectAndThePollWaitsForTheTimeLeft() throws Exception {
        int[] p = pipe();
        hub.register(p[0], Readiness.READ);
        long pollThread = Signals.self();
        long timeout = TimeUnit.MILLISECONDS.toNanos(500);
        Thread sender = Thread.ofPlatform().name("sigpipe-sender").start(() -> {
            try {
                while (true) {
                    Signals.sigpipe(pollThread);
                    Thread.sleep(20);
                }
            } catch (InterruptedException e) {
                // done
            }
        });
        long start = System.nanoTime();
        int n;
        try {
            n = hub.poll(timeout, (fd, ops) -> {
                throw new AssertionError("fd " + fd + " reported");
            });
        } finally {
            sender.interrupt();
            sender.join(10_000);
        }
        long elapsed = System.nanoTime() - start;
        assertThat(sender.isAlive()).isFalse();
        assertThat(n).isZero();
        assertThat(elapsed).as("never early").isGreaterThanOrEqualTo(timeout);
        assertThat(hub.interruptedWaits()).as("select calls that returned EINTR").isPositive();
    }

    @Test
    void aHubWhoseWakeupFdWouldBe1024OrAboveIsRefusedAndLeavesNothingOpen() throws IOException {
        assertThat(Fds.raiseFdLimit(1100)).as("soft fd limit").isGreaterThanOrEqualTo(1100);
        hub.close();
        int[] p = pipe();
        List<Integer> fillers = new ArrayList<>();
        try {
            while (true) {
                int fd = Native.libc().dup(p[0]);
                assertThat(fd).as("dup").isNotNegative();
                fillers.add(fd);
                if (fd >= 1023) {
                    break;
                }
            }
            int before = Fds.openFdCount();
            assertThatThrownBy(SelectHub::open)
                    .isInstanceOf(IOException.class)
                    .hasMessageStartingWith("the select hub's wakeup fd 10")
                    .hasMessageContaining("FD_SETSIZE (1024)")
                    .hasMessageContaining("use the poll or epoll hub");
            assertThat(Fds.openFdCount()).isEqualTo(before);
        } finally {
            for (int fd : fillers) {
                Fds.closeQuietly(fd);
            }
        }
    }

    @Test
    void closeReleasesEverythingAndRefusesUse() throws IOException {
        hub.close();
        hub.close();
        assertThat(hub.isClosed()).isTrue();
        assertThat(Fds.openFdCount()).isEqualTo(fdsBefore);
        assertThatThrownBy(() -> hub.register(3, Readiness.READ)).isInstanceOf(IllegalStateException.class)
                .hasMessage("the select hub is closed");
        assertThatThrownBy(() -> hub.poll(0, (fd, ops) -> { })).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(hub::wakeup).isInstanceOf(IllegalStateException.class);
        assertThat(hub.fdLimit()).isEqualTo(1024);
        assertThat(hub.name()).isEqualTo("select");
    }

    @Test
    void providerIsAvailableAndOpensSelectHubs() throws IOException {
        SelectHubProvider provider = new SelectHubProvider();
        assertThat(provider.name()).isEqualTo("select");
        assertThat(provider.priority()).isEqualTo(100);
        assertThat(provider.availability().available()).as(provider.availability().reason()).isTrue();
        assertThat(new SelectHubProvider().availability()).isSameAs(provider.availability());
        try (var h = provider.open()) {
            assertThat(h).isInstanceOf(SelectHub.class);
            assertThat(h.name()).isEqualTo("select");
        }
        // found the way greenhub finds hubs: ServiceLoader in hub-api (which `uses` the service),
        // from this module's `provides` on the module path or its META-INF/services on the class path
        assertThat(dev.greenhub.hub.Hubs.providers()).extracting(dev.greenhub.hub.ProviderStatus::providerClass)
                .contains(SelectHubProvider.class.getName());
    }

    private static int secondHighest(int a, int b, int c) {
        int[] s = {a, b, c};
        java.util.Arrays.sort(s);
        return s[1];
    }

    private Map<Integer, Integer> pollAll(long timeoutNanos) throws IOException {
        Map<Integer, Integer> seen = new LinkedHashMap<>();
        int n = hub.poll(timeoutNanos, (fd, ops) -> {
            assertThat(seen.put(fd, ops)).as("fd " + fd + " reported twice").isNull();
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
        int[] s = Fds.socketPair();
        fds.add(s[0]);
        fds.add(s[1]);
        return s;
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
