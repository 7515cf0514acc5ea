package dev.greenhub.hub.epoll;

import static org.assertj.core.api.Assertions.assertThat;

import dev.greenhub.nativeio.Fds;
import dev.greenhub.hub.Readiness;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import jnr.ffi.LibraryLoader;
import jnr.ffi.Platform;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import sun.misc.Signal;
import sun.misc.SignalHandler;

/** Interrupts a waiting epoll_wait with a signal aimed at the polling thread. */
class EpollHubInterruptTest {
    private static final int SIGWINCH = 28;

    /** pthread calls for aiming a signal at one thread. */
    public interface Threads {
        long pthread_self();

        int pthread_kill(long thread, int signal);
    }

    @Test
    @Timeout(30)
    void eintrIsRetriedWithTheTimeLeftAndTheWaitIsNeverCutShort() throws Exception {
        Threads threads = LibraryLoader.create(Threads.class).load(Platform.getNativePlatform().getStandardCLibraryName());
        // The JVM's own handler for a signal with a Java handler makes the signal interrupt the
        // system call of the thread it is aimed at, and does nothing else.
        SignalHandler previous = Signal.handle(new Signal("WINCH"), signal -> { });
        int[] pipe = Fds.pipe();
        try {
            long timeout = TimeUnit.MILLISECONDS.toNanos(300);
            CompletableFuture<Long> self = new CompletableFuture<>();
            CompletableFuture<Long> result = new CompletableFuture<>();
            Thread poller = new Thread(() -> {
                try (EpollHub hub = EpollHub.open()) {
                    // A registered fd that never gets ready, so the probe cap is active too.
                    hub.register(pipe[0], Readiness.READ);
                    self.complete(threads.pthread_self());
                    // On a loaded machine a signal may land outside the wait: poll again (each
                    // poll must still keep its full timeout) until one has been interrupted.
                    for (int round = 0; round < 40 && hub.interruptedWaits() == 0; round++) {
                        long start = System.nanoTime();
                        int n = hub.poll(timeout, (fd, ops) -> { });
                        long elapsed = System.nanoTime() - start;
                        assertThat(n).as("fds reported").isZero();
                        assertThat(elapsed).as("poll time").isGreaterThanOrEqualTo(timeout);
                    }
                    result.complete(hub.interruptedWaits());
                } catch (Throwable t) {
                    self.completeExceptionally(t);
                    result.completeExceptionally(t);
                }
            }, "epoll-eintr-poller");
            poller.start();
            long thread = self.get(10, TimeUnit.SECONDS);
            while (!result.isDone()) {
                assertThat(threads.pthread_kill(thread, SIGWINCH)).isZero();
                Thread.sleep(10);
            }
            long interrupted = result.get(10, TimeUnit.SECONDS);
            poller.join(10_000);
            assertThat(interrupted).as("waits cut short by EINTR").isPositive();
        } finally {
            Signal.handle(new Signal("WINCH"), previous);
            Fds.closeQuietly(pipe);
        }
    }
}
