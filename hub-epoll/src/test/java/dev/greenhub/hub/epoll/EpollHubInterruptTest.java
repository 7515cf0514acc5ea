package dev.greenhub.hub.epoll;

import static org.assertj.core.api.Assertions.assertThat;

import dev.greenhub.hub.Readiness;
import dev.greenhub.nativeio.Fds;
import dev.greenhub.tck.ThreadSignals;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Interrupts a waiting epoll_wait with a signal aimed at the polling thread, with the TCK's
 * {@link ThreadSignals} (a no-op Java handler for SIGWINCH, so the signal only cuts the system call
 * short; it reaches {@code sun.misc.Signal} by reflection, so this test needs no access to
 * module jdk.unsupported on the module path).
 */
class EpollHubInterruptTest {
    @Test
    @Timeout(30)
    void eintrIsRetriedWithTheTimeLeftAndTheWaitIsNeverCutShort() throws Exception {
        // The JVM's own handler for a signal with a Java handler makes the signal interrupt the
        // system call of the thread it is aimed at, and does nothing else.
        int[] pipe = Fds.pipe();
        try (ThreadSignals signals = ThreadSignals.install()) {
            long timeout = TimeUnit.MILLISECONDS.toNanos(300);
            CompletableFuture<Long> self = new CompletableFuture<>();
            CompletableFuture<Long> result = new CompletableFuture<>();
            Thread poller = new Thread(() -> {
                try (EpollHub hub = EpollHub.open()) {
                    // A registered fd that never gets ready, so the probe cap is active too.
                    hub.register(pipe[0], Readiness.READ);
                    self.complete(ThreadSignals.currentThread());
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
                signals.interrupt(thread);
                Thread.sleep(10);
            }
            long interrupted = result.get(10, TimeUnit.SECONDS);
            poller.join(10_000);
            assertThat(interrupted).as("waits cut short by EINTR").isPositive();
        } finally {
            Fds.closeQuietly(pipe);
        }
    }
}
