package dev.greenhub.example.servers;

import static org.assertj.core.api.Assertions.assertThat;

import dev.greenhub.nativeio.Fds;
import dev.greenhub.Scheduler;
import dev.greenhub.net.GreenNet;
import dev.greenhub.net.GreenServerSocket;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.Random;

/** What the example tests share: the loopback address, payloads, and the leak checks. */
@SuppressWarnings("try") // a Scheduler opened only to run this thread's green threads, then closed
final class TestSupport {
    /** Loopback, port 0: a free port is picked. */
    static final InetSocketAddress LOOPBACK = new InetSocketAddress(InetAddress.getLoopbackAddress(), 0);
    private static final long FD_WAIT_NANOS = 5_000_000_000L;
    private static boolean warmedUp;

    private TestSupport() {
    }

    static byte[] pattern(long seed, int length) {
        byte[] b = new byte[length];
        new Random(seed).nextBytes(b);
        return b;
    }

    /**
     * The process's open fd count, the baseline for {@link #assertNoFdLeft}. The JDK opens one fd
     * for good at the first listening socket of the process (a unix socket), so the first call
     * makes one beforehand, on a thread of its own.
     */
    static int openFds() throws InterruptedException {
        warmUpOnce();
        return Fds.openFdCount();
    }

    private static synchronized void warmUpOnce() throws InterruptedException {
        if (warmedUp) {
            return;
        }
        Thread t = Thread.ofPlatform().name("fd-warm-up").start(() -> {
            try (Scheduler s = Scheduler.open((String) null); GreenServerSocket server = GreenNet.listen(LOOPBACK)) {
                server.localAddress();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
        t.join();
        warmedUp = true;
    }

    /**
     * Asserts that the process has no more open fds than {@code before}; waits up to 5 s, since a
     * peer's close may still be on its way.
     */
    static void assertNoFdLeft(int before) throws InterruptedException {
        long deadline = System.nanoTime() + FD_WAIT_NANOS;
        while (Fds.openFdCount() > before && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        assertThat(Fds.openFdCount()).as("open fds (%d before); now open: %s", before, fdListing())
                .isLessThanOrEqualTo(before);
    }

    /** What each open fd is, for failure messages. */
    static String fdListing() {
        StringBuilder b = new StringBuilder();
        try (Stream<Path> fds = Files.list(Path.of("/proc/self/fd"))) {
            for (Path fd : fds.sorted(Comparator.comparingInt(p -> Integer.parseInt(p.getFileName().toString()))).toList()) {
                String target;
                try {
                    target = Files.readSymbolicLink(fd).toString();
                } catch (IOException e) {
                    target = "?";
                }
                b.append(fd.getFileName()).append('=').append(target).append(' ');
            }
        } catch (IOException e) {
            return "(cannot list /proc/self/fd: " + e + ")";
        }
        return b.toString();
    }

    /** Asserts that the server has stopped and its thread is gone. */
    static void assertStopped(RunningServer server) {
        assertThat(server.isRunning()).as("%s running", server).isFalse();
        String name = server.threadName();
        assertThat(Thread.getAllStackTraces().keySet()).noneMatch(t -> t.getName().equals(name) && t.isAlive());
    }
}
