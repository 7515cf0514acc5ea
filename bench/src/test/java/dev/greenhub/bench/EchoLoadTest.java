package dev.greenhub.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

class EchoLoadTest {
    /** The line both load generators print. */
    private static final Pattern LINE = Pattern.compile("^LOAD requests=(\\d+) seconds=[0-9.]+ requests_per_s=(\\d+)"
            + " p50_us=[0-9.]+ p99_us=([0-9.]+) p999_us=[0-9.]+ max_us=[0-9.]+ total_requests=\\d+"
            + " unanswered_connections=(\\d+) fewest_answers=(\\d+) waiting_max_us=([0-9.]+) p99_co_us=([0-9.]+)$");

    @Test
    void measuresTheNettyReferenceServerAndChecksEveryEcho() throws Exception {
        try (NettyEchoServer.Running server = NettyEchoServer.start(0)) {
            String line = EchoLoad.run(server.port(), 4, 3, 64, 0.1, 0.3);
            Matcher m = LINE.matcher(line);
            assertThat(m.matches()).as(line).isTrue();
            assertThat(Long.parseLong(m.group(1))).isPositive();
            assertThat(Long.parseLong(m.group(2))).isPositive();
        }
    }

    /**
     * A server that never answers one of three connections: both load generators must say so. The
     * bounds follow from the run's shape, not from timing: the unanswered request was sent before the
     * 0.1 s warm-up ended and the measured 0.5 s followed, so it waited at least 500 ms; it stands for
     * about a quarter of the corrected samples (a connection's mean round trip I is 3 / rate, its wait
     * W becomes W / I samples spread from I to W, against rate * 0.5 s answered ones), so more than
     * 1% of the samples lie above W / 2 and p99_co_us is at least 250 ms.
     */
    @Test
    void bothLoadGeneratorsReportAConnectionTheServerNeverAnswers() throws Exception {
        try (StarvingServer server = new StarvingServer()) {
            assertStarvedOne(EchoLoad.run(server.port(), 3, 0, 64, 0.1, 0.5));
        }
        Optional<NativeTools> tools = NativeTools.build().tools();
        Assumptions.assumeTrue(tools.isPresent(), "no C compiler: only the Java load generator is checked");
        try (StarvingServer server = new StarvingServer()) {
            Process p = new ProcessBuilder(tools.get().echoLoad().toString(), Integer.toString(server.port()), "3", "0",
                    "64", "0.1", "0.5").redirectErrorStream(true).start();
            p.getOutputStream().close();
            assertThat(p.waitFor(30, TimeUnit.SECONDS)).as("echo_load finished").isTrue();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
            assertThat(p.exitValue()).as(out).isZero();
            assertStarvedOne(out);
        }
    }

    private static void assertStarvedOne(String line) {
        Matcher m = LINE.matcher(line);
        assertThat(m.matches()).as(line).isTrue();
        assertThat(Long.parseLong(m.group(1))).as(line).isPositive();
        assertThat(Long.parseLong(m.group(4))).as("unanswered_connections: " + line).isEqualTo(1);
        assertThat(Long.parseLong(m.group(5))).as("fewest_answers: " + line).isZero();
        assertThat(Double.parseDouble(m.group(6))).as("waiting_max_us: " + line).isGreaterThanOrEqualTo(500_000);
        assertThat(Double.parseDouble(m.group(7))).as("p99_co_us: " + line).isGreaterThanOrEqualTo(250_000)
                .isGreaterThan(Double.parseDouble(m.group(3)));
    }

    /** Echoes 64-byte requests on every connection but the first it accepts, which it never reads. */
    private static final class StarvingServer implements AutoCloseable {
        private final ServerSocket server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        private final List<Socket> sockets = new CopyOnWriteArrayList<>();
        private final List<Thread> threads = new CopyOnWriteArrayList<>();

        StarvingServer() throws IOException {
            threads.add(Thread.ofPlatform().daemon().start(this::accept));
        }

        int port() {
            return server.getLocalPort();
        }

        private void accept() {
            try {
                while (true) {
                    Socket s = server.accept();
                    sockets.add(s);
                    if (sockets.size() > 1) {
                        threads.add(Thread.ofPlatform().daemon().start(() -> echo(s)));
                    }
                }
            } catch (IOException e) {
                // closed
            }
        }

        private static void echo(Socket s) {
            try {
                InputStream in = s.getInputStream();
                OutputStream out = s.getOutputStream();
                byte[] buf;
                while ((buf = in.readNBytes(64)).length == 64) {
                    out.write(buf);
                }
            } catch (IOException e) {
                // the client closed
            }
        }

        @Override
        public void close() throws Exception {
            server.close();
            for (Socket s : sockets) {
                s.close();
            }
            for (Thread t : threads) {
                t.join(5000);
                assertThat(t.isAlive()).as(t + " ended").isFalse();
            }
        }
    }

    @Test
    void aServerThatChangesTheBytesIsAnError() throws Exception {
        try (ServerSocket server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            Thread corrupt = Thread.ofPlatform().daemon().start(() -> {
                try (Socket s = server.accept()) {
                    InputStream in = s.getInputStream();
                    OutputStream out = s.getOutputStream();
                    byte[] buf = in.readNBytes(64);
                    buf[10] ^= 1;
                    out.write(buf);
                    out.flush();
                    in.read();
                } catch (IOException e) {
                    // the client closed
                }
            });
            assertThatThrownBy(() -> EchoLoad.run(server.getLocalPort(), 1, 0, 64, 0, 5))
                    .isInstanceOf(IOException.class).hasMessageContaining("request 1: the echo differs from what was sent");
            corrupt.join(5000);
            assertThat(corrupt.isAlive()).isFalse();
        }
    }
}
