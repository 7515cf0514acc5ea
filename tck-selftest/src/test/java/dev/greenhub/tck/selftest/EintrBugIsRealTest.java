package dev.greenhub.tck.selftest;

import static org.assertj.core.api.Assertions.assertThat;

import dev.greenhub.hub.Hub;
import dev.greenhub.hub.HubProvider;
import dev.greenhub.hub.Readiness;
import dev.greenhub.nativeio.Fds;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import jnr.ffi.LibraryLoader;
import jnr.ffi.Platform;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import sun.misc.Signal;
import sun.misc.SignalHandler;

/**
 * The EINTR broken hub's bug is real, and its base is not: signals aimed at a thread polling the
 * broken small hub cut its polls short, while the same signals never cut a poll of the correct
 * small hub short. (Until the kit has an EINTR rule, this is what shows the row can fail.)
 */
class EintrBugIsRealTest {
    private static final int SIGWINCH = 28;
    private static final long TIMEOUT_NANOS = TimeUnit.MILLISECONDS.toNanos(200);

    /** pthread calls for aiming a signal at one thread. */
    public interface Threads {
        /**
         * pthread_self(3).
         *
         * @return the calling thread
         */
        long pthread_self();

        /**
         * pthread_kill(3).
         *
         * @param thread the thread
         * @param signal the signal number
         * @return 0 or an error number
         */
        int pthread_kill(long thread, int signal);
    }

    /** The shortest of up to 20 polls of 200 ms, each while SIGWINCH is sent to the polling thread every 5 ms. */
    private static long shortestPollUnderSignals(HubProvider provider) throws Exception {
        Threads threads = LibraryLoader.create(Threads.class).load(Platform.getNativePlatform().getStandardCLibraryName());
        // A Java handler makes the JVM's own handler interrupt the aimed thread's system call.
        SignalHandler previous = Signal.handle(new Signal("WINCH"), signal -> { });
        int[] pipe = Fds.pipe();
        try {
            CompletableFuture<Long> self = new CompletableFuture<>();
            CompletableFuture<Long> shortest = new CompletableFuture<>();
            Thread poller = new Thread(() -> {
                try (Hub hub = provider.open()) {
                    hub.register(pipe[0], Readiness.READ);
                    self.complete(threads.pthread_self());
                    long min = Long.MAX_VALUE;
                    for (int round = 0; round < 20 && min >= TIMEOUT_NANOS; round++) {
                        long start = System.nanoTime();
                        assertThat(hub.poll(TIMEOUT_NANOS, (fd, ops) -> { })).as("fds reported").isZero();
                        min = Math.min(min, System.nanoTime() - start);
                    }
                    shortest.complete(min);
                } catch (Throwable t) {
                    self.completeExceptionally(t);
                    shortest.completeExceptionally(t);
                }
            }, "eintr-poller");
            poller.start();
            long thread = self.get(10, TimeUnit.SECONDS);
            while (!shortest.isDone()) {
                assertThat(threads.pthread_kill(thread, SIGWINCH)).isZero();
                Thread.sleep(5);
            }
            poller.join(10_000);
            return shortest.get();
        } finally {
            Signal.handle(new Signal("WINCH"), previous);
            Fds.closeQuietly(pipe);
        }
    }

    @Test
    @Timeout(60)
    void signalsCutTheBrokenHubsPollsShortAndNeverTheCorrectOnes() throws Exception {
        assertThat(shortestPollUnderSignals(new TimeoutBugs.EintrEndsTheWait()))
                .as("shortest poll(200 ms) of the broken hub under signals, ns").isLessThan(TIMEOUT_NANOS);
        assertThat(shortestPollUnderSignals(new SmallPollHub.Provider("small")))
                .as("shortest poll(200 ms) of the correct small hub under signals, ns").isGreaterThanOrEqualTo(TIMEOUT_NANOS);
    }
}
