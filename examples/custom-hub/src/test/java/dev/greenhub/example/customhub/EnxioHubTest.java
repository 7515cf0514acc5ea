package dev.greenhub.example.customhub;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.greenhub.hub.Hub;
import dev.greenhub.hub.Readiness;
import dev.greenhub.nativeio.Fds;
import dev.greenhub.nativeio.Native;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The enxio hub's own tests: the behaviour the hub adds on top of jnr-enxio's selector (the
 * work-arounds), checked directly. The TCK ({@link EnxioHubTckTest}) checks the whole contract.
 */
class EnxioHubTest {
    private static final long SECOND = TimeUnit.SECONDS.toNanos(1);
    private static final byte[] ONE_BYTE = {42};

    private final List<Integer> fds = new ArrayList<>();
    private int fdsBefore;
    private Hub hub;

    @BeforeAll
    static void loadTheNativeLayer() throws IOException {
        // The first hub in a JVM also opens the jars and native stubs it loads, which stay open.
        new EnxioHubProvider().open().close();
    }

    @BeforeEach
    void open() throws IOException {
        fdsBefore = Fds.openFdCount();
        hub = new EnxioHubProvider().open();
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
    void reportsReadOnAPipeOnlyOnceDataIsThereAndOnEveryPollWhileItStays() throws IOException {
        int[] pipe = pipe();
        hub.register(pipe[0], Readiness.READ);

        assertThat(pollNow()).isEmpty();
        Fds.write(pipe[1], ONE_BYTE);
        assertThat(poll(SECOND)).containsExactly(Map.entry(pipe[0], Readiness.READ));
        assertThat(poll(SECOND)).containsExactly(Map.entry(pipe[0], Readiness.READ));

        Fds.read(pipe[0], new byte[8]);
        assertThat(pollNow()).isEmpty();
    }

    @Test
    void reportsReadAndWriteOnASocketAsFarAsTheyAreAskedFor() throws IOException {
        int[] pair = socketPair();
        hub.register(pair[0], Readiness.READ | Readiness.WRITE);
        assertThat(poll(SECOND)).containsExactly(Map.entry(pair[0], Readiness.WRITE));

        Fds.write(pair[1], ONE_BYTE);
        assertThat(poll(SECOND)).containsExactly(Map.entry(pair[0], Readiness.READ | Readiness.WRITE));

        hub.register(pair[0], Readiness.READ);
        assertThat(hub.interest(pair[0])).isEqualTo(Readiness.READ);
        assertThat(poll(SECOND)).containsExactly(Map.entry(pair[0], Readiness.READ));
        assertThat(hub.registeredCount()).isEqualTo(1);
    }

    @Test
    void forgetsAnUnregisteredFd() throws IOException {
        int[] pipe = pipe();
        hub.register(pipe[0], Readiness.READ);
        Fds.write(pipe[1], ONE_BYTE);
        hub.unregister(pipe[0]);

        assertThat(hub.registeredCount()).isZero();
        assertThat(hub.interest(pipe[0])).isZero();
        assertThat(pollNow()).isEmpty();
    }

    @Test
    void leavesTheBlockingModeOfARegisteredFdAlone() throws IOException {
        int[] pipe = pipe();
        int flags = Native.libc().fcntl(pipe[0], Native.F_GETFL, 0);
        assertThat(Native.libc().fcntl(pipe[0], Native.F_SETFL, flags & ~Native.O_NONBLOCK)).isZero();

        hub.register(pipe[0], Readiness.READ);
        hub.unregister(pipe[0]);

        assertThat(Native.libc().fcntl(pipe[0], Native.F_GETFL, 0) & Native.O_NONBLOCK).isZero();
    }

    @Test
    void reportsAnFdClosedBehindItsBackAsErrorOnEveryPollWhileTheOthersKeepWorking() throws IOException {
        int[] doomed = pipe();
        int[] other = pipe();
        hub.register(doomed[0], Readiness.READ);
        hub.register(other[0], Readiness.READ);
        Fds.close(doomed[0]);
        fds.remove(Integer.valueOf(doomed[0]));
        Fds.write(other[1], ONE_BYTE);

        Map<Integer, Integer> expected = Map.of(doomed[0], Readiness.ERROR, other[0], Readiness.READ);
        assertThat(poll(SECOND)).containsExactlyInAnyOrderEntriesOf(expected);
        assertThat(poll(SECOND)).containsExactlyInAnyOrderEntriesOf(expected);

        hub.unregister(doomed[0]);
        assertThat(poll(SECOND)).containsExactly(Map.entry(other[0], Readiness.READ));
    }

    @Test
    void takesAReusedFdNumberAsANewFdOnceRegisteredAgain() throws IOException {
        int[] first = pipe();
        hub.register(first[0], Readiness.READ);
        int number = first[0];
        Fds.close(number);
        fds.remove(Integer.valueOf(number));
        hub.unregister(number);

        int[] second = pipe();
        assertThat(second[0]).as("the lowest free fd number is reused").isEqualTo(number);
        hub.register(second[0], Readiness.READ);
        assertThat(pollNow()).isEmpty();
        Fds.write(second[1], ONE_BYTE);
        assertThat(poll(SECOND)).containsExactly(Map.entry(number, Readiness.READ));
    }

    @Test
    void reportsAHangupAsReadBecauseTheSelectorFoldsPollhupIntoTheInterest() throws IOException {
        int[] pipe = pipe();
        hub.register(pipe[0], Readiness.READ);
        Fds.close(pipe[1]);
        fds.remove(Integer.valueOf(pipe[1]));

        assertThat(poll(SECOND)).containsExactly(Map.entry(pipe[0], Readiness.READ));
    }

    @Test
    void coalescesWakeupsBeforeAPollIntoOneReturn() throws IOException {
        int[] pipe = pipe();
        hub.register(pipe[0], Readiness.READ);
        hub.wakeup();
        hub.wakeup();
        hub.wakeup();

        assertThat(hub.poll(-1, (fd, ops) -> { })).isZero();
        long wait = TimeUnit.MILLISECONDS.toNanos(50);
        long start = System.nanoTime();
        assertThat(hub.poll(wait, (fd, ops) -> { })).isZero();
        assertThat(System.nanoTime() - start).as("the poll after a coalesced wakeup blocks").isGreaterThanOrEqualTo(wait);
    }

    @Test
    void returnsFromAnUnboundedPollWhenAnotherThreadWakesIt() throws Exception {
        CountDownLatch started = new CountDownLatch(1);
        Thread waker = Thread.ofPlatform().start(() -> {
            try {
                started.await();
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            hub.wakeup();
        });
        started.countDown();
        assertThat(hub.poll(-1, (fd, ops) -> { })).isZero();
        waker.join(TimeUnit.SECONDS.toMillis(10));
        assertThat(waker.isAlive()).isFalse();
    }

    @Test
    void neverReturnsBeforeTheTimeoutWhenNothingHappens() throws IOException {
        for (long wait : new long[] {1, 300_000, 1_500_000, 20_000_000}) {
            long start = System.nanoTime();
            assertThat(hub.poll(wait, (fd, ops) -> { })).isZero();
            assertThat(System.nanoTime() - start).as("poll(%d ns)", wait).isGreaterThanOrEqualTo(wait);
        }
    }

    @Test
    void roundsTimeoutsUpToWholeMillisecondsWithinTheIntRange() {
        assertThat(EnxioHub.millisCeil(1)).isEqualTo(1);
        assertThat(EnxioHub.millisCeil(1_000_000)).isEqualTo(1);
        assertThat(EnxioHub.millisCeil(1_000_001)).isEqualTo(2);
        assertThat(EnxioHub.millisCeil(Long.MAX_VALUE)).isEqualTo(Integer.MAX_VALUE);
    }

    @Test
    void returnsLikeAWakeupWhenThePollingThreadIsInterruptedAndKeepsTheInterrupt() throws IOException {
        Thread.currentThread().interrupt();
        try {
            assertThat(hub.poll(-1, (fd, ops) -> { })).isZero();
        } finally {
            assertThat(Thread.interrupted()).as("interrupt status left set").isTrue();
        }
    }

    @Test
    void doesNotReportAnFdTheHandlerUnregisteredEarlierInTheSamePoll() throws IOException {
        int[] a = pipe();
        int[] b = pipe();
        hub.register(a[0], Readiness.READ);
        hub.register(b[0], Readiness.READ);
        Fds.write(a[1], ONE_BYTE);
        Fds.write(b[1], ONE_BYTE);
        List<Integer> reported = new ArrayList<>();

        int n = hub.poll(SECOND, (fd, ops) -> {
            reported.add(fd);
            try {
                hub.unregister(fd == a[0] ? b[0] : a[0]);
            } catch (IOException e) {
                throw new AssertionError(e);
            }
        });

        assertThat(n).isEqualTo(1);
        assertThat(reported).hasSize(1);
        assertThat(hub.registeredCount()).isEqualTo(1);
    }

    @Test
    void letsAHandlerExceptionOutAndReportsTheFdAgainNextTime() throws IOException {
        int[] pipe = pipe();
        hub.register(pipe[0], Readiness.READ);
        Fds.write(pipe[1], ONE_BYTE);

        assertThatThrownBy(() -> hub.poll(SECOND, (fd, ops) -> {
            throw new IllegalStateException("handler failed on fd " + fd);
        })).isInstanceOf(IllegalStateException.class).hasMessage("handler failed on fd " + pipe[0]);
        assertThat(poll(SECOND)).containsExactly(Map.entry(pipe[0], Readiness.READ));
    }

    @Test
    void servesAThousandPipesAndReportsExactlyTheReadyOnes() throws IOException {
        Fds.raiseFdLimit(fdsBefore + 2_500L);
        List<int[]> pipes = new ArrayList<>();
        for (int i = 0; i < 1_000; i++) {
            int[] pipe = pipe();
            pipes.add(pipe);
            hub.register(pipe[0], Readiness.READ);
        }
        Map<Integer, Integer> expected = new LinkedHashMap<>();
        for (int i = 0; i < pipes.size(); i += 7) {
            Fds.write(pipes.get(i)[1], ONE_BYTE);
            expected.put(pipes.get(i)[0], Readiness.READ);
        }

        assertThat(hub.registeredCount()).isEqualTo(1_000);
        assertThat(poll(SECOND)).containsExactlyInAnyOrderEntriesOf(expected);
    }

    @Test
    void refusesBadInputWithMessagesThatNameIt() throws IOException {
        assertThatThrownBy(() -> hub.register(-1, Readiness.READ))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("fd -1 is negative");
        assertThatThrownBy(() -> hub.register(Integer.MAX_VALUE, Readiness.READ))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("fd 2147483647 is beyond the enxio hub's limit of 2147483647");
        int[] pipe = pipe();
        assertThatThrownBy(() -> hub.register(pipe[0], 0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> hub.register(pipe[0], Readiness.ERROR)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> hub.unregister(pipe[0]))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("fd " + pipe[0] + " is not registered with the enxio hub");
        assertThat(hub.registeredCount()).isZero();
    }

    @Test
    void refusesUseAfterCloseButStillAnswersWhatItIs() throws IOException {
        int[] pipe = pipe();
        hub.register(pipe[0], Readiness.READ);
        hub.close();
        hub.close();

        assertThat(hub.isClosed()).isTrue();
        assertThat(hub.name()).isEqualTo("enxio");
        assertThat(hub.fdLimit()).isEqualTo(Integer.MAX_VALUE);
        assertThat(Fds.isOpen(pipe[0])).as("a registered fd stays open").isTrue();
        String closed = "the enxio hub is closed";
        assertThatThrownBy(() -> hub.register(pipe[0], Readiness.READ)).isInstanceOf(IllegalStateException.class).hasMessage(closed);
        assertThatThrownBy(() -> hub.register(-1, 0)).isInstanceOf(IllegalStateException.class).hasMessage(closed);
        assertThatThrownBy(() -> hub.unregister(pipe[0])).isInstanceOf(IllegalStateException.class).hasMessage(closed);
        assertThatThrownBy(() -> hub.interest(pipe[0])).isInstanceOf(IllegalStateException.class).hasMessage(closed);
        assertThatThrownBy(hub::registeredCount).isInstanceOf(IllegalStateException.class).hasMessage(closed);
        assertThatThrownBy(() -> hub.poll(0, (fd, ops) -> { })).isInstanceOf(IllegalStateException.class).hasMessage(closed);
        assertThatThrownBy(hub::wakeup).isInstanceOf(IllegalStateException.class).hasMessage(closed);
    }

    @Test
    void makesTheSelectorsWakeupPipeNonBlockingAndCloseOnExec() throws IOException {
        EnxioHub enxio = EnxioHub.open();
        try {
            for (int fd : new int[] {enxio.wakeupPipe().readFd(), enxio.wakeupPipe().writeFd()}) {
                assertThat(Native.libc().fcntl(fd, Native.F_GETFL, 0) & Native.O_NONBLOCK).as("fd %d O_NONBLOCK", fd).isNotZero();
                assertThat(Native.libc().fcntl(fd, Native.F_GETFD, 0) & 1).as("fd %d FD_CLOEXEC", fd).isEqualTo(1);
            }
        } finally {
            enxio.close();
        }
    }

    private Map<Integer, Integer> pollNow() throws IOException {
        return poll(0);
    }

    private Map<Integer, Integer> poll(long timeoutNanos) throws IOException {
        Map<Integer, Integer> ready = new LinkedHashMap<>();
        int n = hub.poll(timeoutNanos, (fd, ops) -> {
            assertThat(ready).as("fd %d reported twice in one poll", fd).doesNotContainKey(fd);
            ready.put(fd, ops);
        });
        assertThat(n).as("poll's count").isEqualTo(ready.size());
        return ready;
    }

    private int[] pipe() throws IOException {
        int[] pipe = Fds.pipe();
        fds.add(pipe[0]);
        fds.add(pipe[1]);
        return pipe;
    }

    private int[] socketPair() throws IOException {
        int[] pair = Fds.socketPair();
        fds.add(pair[0]);
        fds.add(pair[1]);
        return pair;
    }
}
