package dev.greenhub.testsuite;

import static org.assertj.core.api.Assertions.assertThat;

import dev.greenhub.Green;
import dev.greenhub.GreenThread;
import dev.greenhub.Scheduler;
import dev.greenhub.nativeio.Fds;
import dev.greenhub.net.GreenNet;
import dev.greenhub.net.GreenServerSocket;
import dev.greenhub.net.GreenSocket;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.SimpleFormatter;
import java.util.stream.Stream;
import jnr.constants.platform.Errno;
import jnr.constants.platform.OpenFlags;
import jnr.constants.platform.RLIMIT;
import jnr.posix.POSIX;
import jnr.posix.POSIXFactory;
import jnr.posix.RLimit;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** accept under EMFILE: the server backs off, logs once, and serves again once fds are free. */
class FdExhaustionTest {

    static int highestOpenFd() throws IOException {
        try (Stream<Path> fds = Files.list(Path.of("/proc/self/fd"))) {
            return fds.mapToInt(p -> Integer.parseInt(p.getFileName().toString())).max().orElseThrow();
        }
    }

    static void closeAll(List<Integer> fds) {
        for (int fd : fds) {
            Fds.closeQuietly(fd);
        }
        fds.clear();
    }

    @ParameterizedTest
    @MethodSource("dev.greenhub.testsuite.EveryHub#hubs")
    void acceptBacksOffWhenOutOfFdsAndServesAgainWhenOneIsFree(String hub) throws Exception {
        POSIX posix = POSIXFactory.getNativePOSIX();
        int resource = RLIMIT.RLIMIT_NOFILE.intValue();
        RLimit original = posix.getrlimit(resource);
        List<Integer> fillers = new ArrayList<>();
        try (DiagnosticsTest.Captured log = new DiagnosticsTest.Captured("dev.greenhub.net");
             Scheduler s = Scheduler.open(hub);
             GreenServerSocket server = GreenNet.listen(GreenSocketTest.ANY_LOCAL)) {
            AtomicInteger ticks = new AtomicInteger();
            boolean[] stop = {false};
            GreenThread<Void> ticker = Green.spawn(() -> {
                while (!stop[0]) {
                    ticks.incrementAndGet();
                    Green.sleep(Duration.ofMillis(5));
                }
                return null;
            });
            GreenSocket client = GreenNet.connect(server.localAddress()); // its connection waits in the backlog
            // the console log handler reads the time zone rules from a file on first use: not under EMFILE
            new SimpleFormatter().format(new LogRecord(Level.INFO, "warm up"));
            // no fd left: a low limit, and /dev/null opened up to it (select keeps every fd below 1024 this way)
            posix.setrlimit(resource, highestOpenFd() + 40L, original.rlimMax());
            int fd;
            while ((fd = posix.open("/dev/null", OpenFlags.O_RDONLY.intValue(), 0)) >= 0) {
                fillers.add(fd);
            }
            assertThat(posix.errno()).isEqualTo(Errno.EMFILE.intValue());
            GreenThread<String> served = Green.spawn(() -> {
                try (GreenSocket c = server.accept()) {
                    c.writeAll("served".getBytes());
                    return "accepted";
                }
            });
            int ticksBefore = ticks.get();
            Green.sleep(Duration.ofMillis(300));
            if (served.isDone()) {
                try {
                    served.get();
                } catch (RuntimeException e) {
                    throw new AssertionError("accept did not wait for an fd", e);
                }
            }
            assertThat(served.isDone()).as("accept waits for an fd").isFalse();
            assertThat(ticks.get() - ticksBefore).as("the hub keeps running").isGreaterThan(10);
            assertThat(log.messages(Level.WARNING)).singleElement().asString()
                    .contains("Too many open files").contains("backing off");
            closeAll(fillers);
            posix.setrlimit(resource, original.rlimCur(), original.rlimMax());
            assertThat(served.get(Duration.ofSeconds(5))).isEqualTo("accepted");
            assertThat(GreenSocketTest.readToEnd(client)).isEqualTo("served".getBytes());
            client.close();
            stop[0] = true;
            ticker.get();
            assertThat(log.messages(Level.WARNING)).hasSize(1);
            assertThat(log.messages(Level.INFO)).singleElement().asString().contains("works again");
        } finally {
            closeAll(fillers);
            posix.setrlimit(resource, original.rlimCur(), original.rlimMax());
        }
        assertThat(posix.getrlimit(resource).rlimCur()).isEqualTo(original.rlimCur());
    }
}
