package dev.greenhub.testsuite;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.greenhub.Green;
import dev.greenhub.GreenThread;
import dev.greenhub.IoTimeoutException;
import dev.greenhub.Scheduler;
import dev.greenhub.net.GreenNet;
import dev.greenhub.net.GreenServerSocket;
import dev.greenhub.net.GreenSocket;
import dev.greenhub.net.StopServe;
import java.net.BindException;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Unix-domain stream sockets through GreenNet.listen/connect/serve, on every hub; eventlet's
 * convenience_test.py cases (test_called_for_each_connection, test_concurrency,
 * test_raising_stopserve) and greenio_test.py test_accept_timeout / test_recv_timeout on a path.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class GreenUnixSocketTest {
    Path dir;

    @BeforeEach
    void tempDir() throws Exception {
        dir = Files.createTempDirectory("greenhub-unix");
    }

    @AfterEach
    void removeTempDir() throws Exception {
        try (var files = Files.list(dir)) {
            for (Path f : files.toList()) {
                Files.delete(f);
            }
        }
        Files.delete(dir);
    }

    @ParameterizedTest
    @MethodSource("dev.greenhub.testsuite.EveryHub#hubs")
    void servesEachConnectionOnAPathAndRemovesTheSocketFile(String hub) throws Exception {
        Path file = dir.resolve("echo.sock");
        UnixDomainSocketAddress address = UnixDomainSocketAddress.of(file);
        try (Scheduler s = Scheduler.open(hub)) {
            GreenServerSocket server = GreenNet.listen(address);
            assertThat(Files.exists(file)).isTrue();
            assertThat(server.localSocketAddress()).isEqualTo(address);
            assertThatThrownBy(server::localAddress).isInstanceOf(UnsupportedOperationException.class)
                    .hasMessageContaining("localSocketAddress()");
            GreenThread<Void> serving = Green.spawn(() -> {
                GreenNet.serve(server, GreenSocketTest::echo, 10);
                return null;
            });
            List<GreenThread<Boolean>> clients = new ArrayList<>();
            for (int i = 0; i < 30; i++) {
                int id = i;
                clients.add(Green.spawn(() -> {
                    byte[] sent = GreenSocketTest.pattern(id, 20_000 + id);
                    try (GreenSocket c = GreenNet.connect(address)) {
                        c.writeAll(sent);
                        c.shutdownOutput();
                        return Arrays.equals(sent, GreenSocketTest.readToEnd(c));
                    }
                }));
            }
            for (GreenThread<Boolean> c : clients) {
                assertThat(c.get()).isTrue();
            }
            serving.kill(new StopServe());
            serving.get();
            server.close();
            assertThat(Files.exists(file)).as("the socket file is removed on close").isFalse();
            assertThatThrownBy(() -> GreenNet.connect(address)).isInstanceOf(java.io.IOException.class);
        }
    }

    @ParameterizedTest
    @MethodSource("dev.greenhub.testsuite.EveryHub#hubs")
    void acceptAndReadTimeoutsAndAStaleFileNamedInTheError(String hub) throws Exception {
        Path file = dir.resolve("t.sock");
        UnixDomainSocketAddress address = UnixDomainSocketAddress.of(file);
        try (Scheduler s = Scheduler.open(hub);
             GreenServerSocket server = GreenNet.listen(address)) {
            server.setAcceptTimeout(Duration.ofMillis(50));
            assertThatThrownBy(server::accept).isInstanceOf(IoTimeoutException.class);
            server.setAcceptTimeout(null);
            try (GreenSocket client = GreenNet.connect(address);
                 GreenSocket accepted = server.accept()) {
                client.setReadTimeout(Duration.ofMillis(50));
                assertThatThrownBy(() -> client.read(ByteBuffer.allocate(1)))
                        .isInstanceOf(IoTimeoutException.class).hasMessageContaining("read timed out");
                accepted.writeAll(new byte[] {42});
                ByteBuffer one = ByteBuffer.allocate(1);
                assertThat(client.read(one)).isEqualTo(1);
                assertThat(one.get(0)).isEqualTo((byte) 42);
            }
            // a second server on the same file: the error names the file and the fix
            assertThatThrownBy(() -> GreenNet.listen(address)).isInstanceOf(BindException.class)
                    .hasMessageContaining(file.toString()).hasMessageContaining("delete it");
            assertThatThrownBy(() -> GreenNet.listen(address, 5, true))
                    .isInstanceOf(UnsupportedOperationException.class);
        }
        assertThat(Files.exists(file)).isFalse();
    }
}
