package dev.greenhub.testsuite;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.greenhub.Green;
import dev.greenhub.GreenIo;
import dev.greenhub.GreenThread;
import dev.greenhub.IoClosedException;
import dev.greenhub.IoTimeoutException;
import dev.greenhub.Scheduler;
import dev.greenhub.hub.Readiness;
import dev.greenhub.internal.FdWaits;
import dev.greenhub.nativeio.Fds;
import java.net.SocketTimeoutException;
import java.time.Duration;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** The public trampoline on raw fds (pipes), on every hub. */
class GreenIoTest {

    @ParameterizedTest
    @MethodSource("dev.greenhub.testsuite.EveryHub#hubs")
    void trampolineOnAPipeReturnsReadinessAndNamesTheFdWhenItTimesOut(String hub) throws Exception {
        int[] pipe = Fds.pipe();
        try (Scheduler s = Scheduler.open(hub)) {
            long start = System.nanoTime();
            assertThatThrownBy(() -> GreenIo.trampoline(pipe[0], Readiness.READ, Duration.ofMillis(20)))
                    .isInstanceOf(IoTimeoutException.class).isInstanceOf(SocketTimeoutException.class)
                    .hasMessage("timed out after 20 ms waiting to read fd " + pipe[0]);
            assertThat(System.nanoTime() - start).isGreaterThanOrEqualTo(20_000_000L);
            assertThat(GreenIo.trampoline(pipe[1], Readiness.WRITE, null) & Readiness.WRITE).isNotZero();
            Green.spawnAfter(Duration.ofMillis(5), () -> Fds.write(pipe[1], new byte[] {1}));
            assertThat(GreenIo.trampoline(pipe[0], Readiness.READ, Duration.ofSeconds(5)) & Readiness.READ).isNotZero();
            // the registration stays for the next wait
            assertThat(FdWaits.fdInterest(s, pipe[0])).isEqualTo(Readiness.READ);
            assertThat(GreenIo.trampoline(pipe[0], Readiness.READ, Duration.ofSeconds(5)) & Readiness.READ).isNotZero();
            assertThatThrownBy(() -> GreenIo.trampoline(pipe[0], Readiness.READ, Duration.ofMillis(-1)))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("timeout");
        } finally {
            Fds.closeQuietly(pipe);
        }
    }

    @ParameterizedTest
    @MethodSource("dev.greenhub.testsuite.EveryHub#hubs")
    void notifyCloseWakesTheWaiterWithIoClosed(String hub) throws Exception {
        int[] pipe = Fds.pipe();
        try (Scheduler s = Scheduler.open(hub)) {
            GreenThread<Integer> reader = Green.spawn(() -> GreenIo.trampoline(pipe[0], Readiness.READ, null));
            Green.sleep(Duration.ofMillis(5));
            long start = System.nanoTime();
            Green.spawn(() -> {
                GreenIo.notifyClose(pipe[0]);
                Fds.close(pipe[0]);
                return null;
            }).get();
            assertThatThrownBy(reader::get).cause().isInstanceOf(IoClosedException.class)
                    .hasMessageContaining("fd " + pipe[0] + " was closed through greenhub")
                    .hasMessageContaining("waited to read it");
            assertThat(System.nanoTime() - start).isLessThan(2_000_000_000L);
            assertThat(FdWaits.fdInterest(s, pipe[0])).isZero();
        } finally {
            Fds.closeQuietly(pipe[1]);
        }
    }

    @ParameterizedTest
    @MethodSource("dev.greenhub.testsuite.EveryHub#hubs")
    void aSecondWriterOfOneFdIsRefusedWithItsName(String hub) throws Exception {
        int[] pair = Fds.socketPair();
        try (Scheduler s = Scheduler.open(hub)) {
            // fill the socket so that writers must wait
            byte[] chunk = new byte[65536];
            while (Fds.write(pair[0], chunk) > 0) {
                // keep filling
            }
            GreenThread<Integer> first = Green.spawn(() -> GreenIo.trampoline(pair[0], Readiness.WRITE, null));
            Green.sleep();
            assertThatThrownBy(() -> GreenIo.trampoline(pair[0], Readiness.WRITE, Duration.ofSeconds(1)))
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("second simultaneous write on fd " + pair[0])
                    .hasMessageContaining("is already waiting to write it");
            byte[] drain = new byte[65536];
            while (Fds.read(pair[1], drain) > 0) {
                // drain
            }
            assertThat(first.get() & Readiness.WRITE).isNotZero();
        } finally {
            Fds.closeQuietly(pair);
        }
    }
}
