package dev.greenhub.testsuite;

import static org.assertj.core.api.Assertions.assertThat;

import dev.greenhub.Green;
import dev.greenhub.GreenThread;
import dev.greenhub.Scheduler;
import dev.greenhub.net.GreenNet;
import dev.greenhub.net.GreenServerSocket;
import dev.greenhub.net.GreenSocket;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The crash/hang of the last session, bounded and in a child JVM (a crash fails the test, not the
 * build): lines read with a BufferedReader over a green socket's InputStream, from a platform
 * thread. From a foreign platform thread that is misuse: a WrongThreadException (an
 * IllegalStateException) naming the fix, and no scheduler is made for that thread. On the
 * socket's own carrier it hung: java.io readers hold a monitor while they read, the JDK counts
 * it against each green thread the carrier runs meanwhile, so the first one that parks is pinned
 * and the loop stops. That is refused too, with the monitor named. Green threads reading the same
 * way work (the last case), on every hub.
 */
class CarrierMisuseTest {
    @TempDir
    Path dir;

    @ParameterizedTest
    @MethodSource("dev.greenhub.testsuite.EveryHub#hubs")
    void aForeignPlatformReaderIsRefusedNamingTheFix(String hub) throws Exception {
        Child c = run(hub, "foreign");
        assertThat(c.exit).as(c.toString()).isZero();
        assertThat(c.out).as(c.toString()).contains("refused: java.lang.WrongThreadException")
                .contains("only that carrier and its green threads can").contains("Green.spawn")
                .contains("no scheduler made: true");
    }

    @ParameterizedTest
    @MethodSource("dev.greenhub.testsuite.EveryHub#hubs")
    void theCarrierReadingLinesInsideAMonitorIsRefusedNotHung(String hub) throws Exception {
        Child c = run(hub, "carrier");
        assertThat(c.exit).as(c.toString()).isZero();
        assertThat(c.out).as(c.toString()).contains("refused: java.lang.IllegalStateException")
                .contains("holding the monitor of java.io.InputStreamReader").contains("Green.spawn")
                .contains("loop still runs: pong");
    }

    @ParameterizedTest
    @MethodSource("dev.greenhub.testsuite.EveryHub#hubs")
    void aGreenThreadReadsTheSameLines(String hub) throws Exception {
        Child c = run(hub, "green");
        assertThat(c.exit).as(c.toString()).isZero();
        assertThat(c.out).as(c.toString()).contains("lines: 200, last: line 199");
    }

    private Child run(String hub, String mode) throws Exception {
        List<String> command = new ArrayList<>();
        command.add(ProcessHandle.current().info().command().orElseThrow());
        command.addAll(List.of("--enable-native-access=ALL-UNNAMED", "--add-opens", "java.base/java.lang=ALL-UNNAMED",
                "--add-opens", "java.base/sun.nio.ch=ALL-UNNAMED", "-Xmx256m", "-cp",
                System.getProperty("java.class.path"), Probe.class.getName(), hub, mode));
        Path out = dir.resolve(mode + "-out.txt");
        Path err = dir.resolve(mode + "-err.txt");
        ProcessBuilder builder = new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(err.toFile());
        builder.environment().remove("JDK_JAVA_OPTIONS");
        builder.environment().remove("JAVA_TOOL_OPTIONS");
        Process p = builder.start();
        if (!p.waitFor(90, TimeUnit.SECONDS)) {
            p.destroyForcibly().waitFor();
            throw new AssertionError("the child JVM hung (" + mode + " on " + hub + "): " + Files.readString(out));
        }
        return new Child(p.exitValue(), Files.readString(out), Files.readString(err));
    }

    private record Child(int exit, String out, String err) {
        @Override
        public String toString() {
            return "child exited " + exit + "\nstdout:\n" + out + "\nstderr:\n" + err;
        }
    }

    /** The child: a server writing 200 lines slowly, read in the given mode. Exit 3 on a failure. */
    public static final class Probe {
        public static void main(String[] args) {
            String hub = args[0];
            String mode = args[1];
            try (Scheduler s = Scheduler.open(hub);
                 GreenServerSocket server = GreenNet.listen(new InetSocketAddress("127.0.0.1", 0))) {
                Green.spawn(() -> {
                    try (GreenSocket c = server.accept()) {
                        OutputStream o = c.getOutputStream();
                        for (int i = 0; i < 200; i++) {
                            o.write(("line " + i + "\n").getBytes(StandardCharsets.UTF_8));
                            if (i % 10 == 0) {
                                Green.sleep(Duration.ofMillis(1)); // the reader has to wait
                            }
                        }
                    }
                    return null;
                });
                GreenSocket sock = Green.spawn(() -> GreenNet.connect(server.localAddress())).get();
                switch (mode) {
                    case "foreign" -> foreign(sock);
                    case "carrier" -> carrier(sock);
                    default -> System.out.println(Green.spawn(() -> readLines(sock)).get());
                }
                sock.close();
                System.out.flush();
                System.exit(0);
            } catch (Throwable e) {
                e.printStackTrace(System.out);
                System.out.flush();
                System.exit(3);
            }
        }

        private static String readLines(GreenSocket sock) throws Exception {
            BufferedReader br = new BufferedReader(new InputStreamReader(sock.getInputStream(), StandardCharsets.UTF_8));
            int n = 0;
            String last = null;
            for (String line; (line = br.readLine()) != null; ) {
                n++;
                last = line;
            }
            return "lines: " + n + ", last: " + last;
        }

        private static void foreign(GreenSocket sock) throws Exception {
            CompletableFuture<String> result = new CompletableFuture<>();
            Thread reader = new Thread(() -> {
                try {
                    result.complete("read: " + readLines(sock));
                } catch (Throwable e) {
                    result.complete("refused: " + e + "\nno scheduler made: " + Scheduler.currentIfPresent().isEmpty());
                }
            }, "platform-reader");
            reader.start();
            while (!result.isDone()) {
                Green.sleep(Duration.ofMillis(5)); // the carrier keeps its loop running meanwhile
            }
            reader.join();
            System.out.println(result.get());
        }

        private static void carrier(GreenSocket sock) throws Exception {
            try {
                System.out.println("read: " + readLines(sock));
            } catch (IllegalStateException e) {
                System.out.println("refused: " + e);
            }
            GreenThread<String> ping = Green.spawn(() -> {
                Green.sleep(Duration.ofMillis(1));
                return "pong";
            });
            System.out.println("loop still runs: " + ping.get());
        }
    }
}
