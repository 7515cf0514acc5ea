package dev.greenhub.hub.select;

import static org.assertj.core.api.Assertions.assertThat;

import dev.greenhub.hub.Hub;
import dev.greenhub.hub.Readiness;
import dev.greenhub.nativeio.Fds;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.Timeout.ThreadMode;

/**
 * The select hub under races and long-lived state: wakeup() around the start of an unlimited poll,
 * wakeup() racing close(), a second close(), and hundreds of fds ready at once.
 */
class SelectHubRaceTest {
    private final List<Integer> toClose = new ArrayList<>();

    @AfterEach
    void closeFds() {
        for (int fd : toClose) {
            Fds.closeQuietly(fd);
        }
    }

    private int[] pipe() throws IOException {
        int[] p = Fds.pipe();
        toClose.add(p[0]);
        toClose.add(p[1]);
        return p;
    }

    @Test
    @Timeout(value = 120, threadMode = ThreadMode.SEPARATE_THREAD)
    void oneWakeupAtARandomMomentAroundTheStartOfAnUnlimitedPollIsNeverLost() throws Exception {
        int rounds = 2_000;
        Semaphore go = new Semaphore(0);
        Semaphore done = new Semaphore(0);
        AtomicReference<Throwable> failure = new AtomicReference<>();
        try (Hub hub = SelectHub.open()) {
            int[] idle = pipe();
            hub.register(idle[0], Readiness.READ); // an fd that never gets ready
            Thread waker = new Thread(() -> {
                try {
                    for (int i = 0; i < rounds; i++) {
                        go.acquire();
                        spin(ThreadLocalRandom.current().nextInt(2_000));
                        hub.wakeup();
                        done.release();
                    }
                } catch (Throwable t) {
                    failure.set(t);
                    done.release(rounds);
                }
            }, "waker");
            waker.start();
            for (int i = 0; i < rounds; i++) {
                go.release();
                spin(ThreadLocalRandom.current().nextInt(2_000));
                // Returns only for the wakeup (nothing else is ready): a lost one hangs this
                // round, and the test's timeout fails it.
                assertThat(hub.poll(-1, (fd, ops) -> { })).as("round %d", i).isZero();
                assertThat(done.tryAcquire(10, TimeUnit.SECONDS)).as("waker finished round %d", i).isTrue();
            }
            waker.join(10_000);
            assertThat(failure.get()).isNull();
        }
    }

    @Test
    @Timeout(value = 120, threadMode = ThreadMode.SEPARATE_THREAD)
    void wakeupRacingCloseNeverWritesIntoAnFdOpenedAfterTheClose() throws Exception {
        byte[] buffer = new byte[64];
        for (int round = 0; round < 200; round++) {
            Hub hub = SelectHub.open();
            AtomicReference<Throwable> failure = new AtomicReference<>();
            Thread waker = new Thread(() -> {
                try {
                    while (true) {
                        hub.wakeup();
                        Thread.onSpinWait();
                    }
                } catch (IllegalStateException e) {
                    if (!e.getMessage().contains("closed")) {
                        failure.set(e);
                    }
                } catch (Throwable t) {
                    failure.set(t);
                }
            }, "waker");
            waker.start();
            spin(ThreadLocalRandom.current().nextInt(20_000));
            hub.close();
            // The hub's fd numbers are free now: new pipes take them while the waker may still run.
            int[][] pipes = {pipe(), pipe()};
            waker.join(10_000);
            assertThat(waker.isAlive()).isFalse();
            assertThat(failure.get()).as("round %d", round).isNull();
            for (int[] p : pipes) {
                assertThat(Fds.read(p[0], buffer)).as("bytes in a pipe opened after close, round %d", round)
                        .isEqualTo(-1);
                assertThat(Fds.isOpen(p[0]) && Fds.isOpen(p[1])).isTrue();
            }
            closeFds();
            toClose.clear();
        }
    }

    @Test
    void aSecondCloseNeverClosesAnFdOpenedAfterTheFirst() throws IOException {
        Hub hub = SelectHub.open();
        hub.close();
        int[][] pipes = {pipe(), pipe(), pipe()};
        hub.close();
        for (int[] p : pipes) {
            assertThat(Fds.isOpen(p[0])).isTrue();
            assertThat(Fds.isOpen(p[1])).isTrue();
        }
        assertThat(hub.isClosed()).isTrue();
    }

    @Test
    @Timeout(60)
    void hundredsOfFdsReadyAtOnceAreAllReportedWithinAFewPolls() throws IOException {
        int count = 300;
        try (Hub hub = SelectHub.open()) {
            Set<Integer> expected = new HashSet<>();
            for (int i = 0; i < count; i++) {
                int[] p = pipe();
                hub.register(p[0], Readiness.READ);
                Fds.write(p[1], new byte[] {1});
                expected.add(p[0]);
            }
            // Nothing is read, so every fd stays ready; none may be starved across polls.
            Set<Integer> seen = new HashSet<>();
            for (int poll = 0; poll < 3; poll++) {
                hub.poll(0, (fd, ops) -> {
                    assertThat(ops).isEqualTo(Readiness.READ);
                    seen.add(fd);
                });
            }
            assertThat(seen).isEqualTo(expected);
        }
    }

    private static void spin(int iterations) {
        for (int i = 0; i < iterations; i++) {
            Thread.onSpinWait();
        }
    }
}
