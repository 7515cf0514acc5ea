package dev.greenhub.example.servers;

import static dev.greenhub.example.servers.TestSupport.LOOPBACK;
import static dev.greenhub.example.servers.TestSupport.assertNoFdLeft;
import static dev.greenhub.example.servers.TestSupport.assertStopped;
import static dev.greenhub.example.servers.TestSupport.openFds;
import static dev.greenhub.example.servers.TestSupport.pattern;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.greenhub.Green;
import dev.greenhub.GreenThread;
import dev.greenhub.Scheduler;
import dev.greenhub.hub.HubUnavailableException;
import dev.greenhub.net.GreenNet;
import dev.greenhub.net.GreenServerSocket;
import dev.greenhub.net.GreenSocket;
import java.io.IOException;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** The echo server on every hub, driven by green clients on the test thread's own hub. */
@SuppressWarnings("try") // a Scheduler opened only to run this thread's green threads, then closed
class EchoServerTest {
    private static final Duration READ_TIMEOUT = Duration.ofSeconds(20);

    @ParameterizedTest
    @MethodSource("dev.greenhub.example.servers.EveryHub#hubs")
    void echoesEveryByteToConcurrentClients(String hub) throws Exception {
        try (Scheduler clients = Scheduler.open(hub)) {
            int fdsBefore = openFds();
            RunningServer server = EchoServer.start(LOOPBACK, hub);
            try {
                assertThat(server.hubName()).isEqualTo(hub);
                assertThat(server.port()).isPositive();
                List<GreenThread<Boolean>> sessions = new ArrayList<>();
                for (int i = 0; i < 40; i++) {
                    int id = i;
                    sessions.add(Green.spawn(() -> echoedIntact(server, pattern(id, 1 + id * 7919))));
                }
                for (GreenThread<Boolean> session : sessions) {
                    assertThat(session.get()).isTrue();
                }
            } finally {
                server.close();
            }
            assertStopped(server);
            assertNoFdLeft(fdsBefore);
        }
    }

    /** Sends {@code sent} in pieces while another green thread reads the echo; half-closes; compares. */
    private static boolean echoedIntact(RunningServer server, byte[] sent) throws IOException {
        try (GreenSocket c = GreenNet.connect(server.address())) {
            c.setReadTimeout(READ_TIMEOUT);
            GreenThread<byte[]> reader = Green.spawn(() -> c.getInputStream().readAllBytes());
            for (int offset = 0; offset < sent.length; offset += 10_000) {
                c.writeAll(sent, offset, Math.min(10_000, sent.length - offset));
                Green.sleep(); // let the other clients interleave
            }
            c.shutdownOutput(); // the server sends the rest, then the end of the stream
            return java.util.Arrays.equals(reader.get(), sent);
        }
    }

    @ParameterizedTest
    @MethodSource("dev.greenhub.example.servers.EveryHub#hubs")
    void aResetClientDoesNotDisturbTheOthersAndCloseEndsOpenConnections(String hub) throws Exception {
        try (Scheduler clients = Scheduler.open(hub)) {
            int fdsBefore = openFds();
            RunningServer server = EchoServer.start(LOOPBACK, hub);
            try (GreenSocket steady = GreenNet.connect(server.address())) {
                steady.setReadTimeout(READ_TIMEOUT);
                assertThat(roundTrip(steady, "before")).isEqualTo("before");

                GreenSocket rude = GreenNet.connect(server.address());
                assertThat(roundTrip(rude, "hello")).isEqualTo("hello");
                rude.setOption(StandardSocketOptions.SO_LINGER, 0);
                rude.close(); // RST
                assertThat(roundTrip(steady, "after")).isEqualTo("after");

                server.close(); // with `steady` still connected
                assertStopped(server);
                assertThat(steady.read(ByteBuffer.allocate(1))).as("end of stream after close").isEqualTo(-1);
            } finally {
                server.close();
            }
            assertNoFdLeft(fdsBefore);
        }
    }

    private static String roundTrip(GreenSocket c, String text) throws IOException {
        byte[] bytes = text.getBytes();
        c.writeAll(bytes);
        ByteBuffer got = ByteBuffer.allocate(bytes.length);
        assertThat(c.readFully(got)).isEqualTo(bytes.length);
        return new String(got.array());
    }

    @Test
    void aBusyPortIsAnIoExceptionNamingTheAddressAndLeavesNoThread() throws Exception {
        try (Scheduler mine = Scheduler.open((String) null);
             GreenServerSocket taken = GreenNet.listen(LOOPBACK)) {
            int fdsBefore = openFds();
            assertThatThrownBy(() -> EchoServer.start(taken.localAddress()))
                    .isInstanceOf(IOException.class)
                    .hasMessageContaining("echo-server cannot listen on " + taken.localAddress());
            assertThat(Thread.getAllStackTraces().keySet()).noneMatch(t -> t.getName().equals("echo-server"));
            assertNoFdLeft(fdsBefore);
        }
    }

    @Test
    void anUnknownHubIsRefusedBeforeAnythingStarts() {
        assertThatThrownBy(() -> EchoServer.start(LOOPBACK, "no-such-hub"))
                .isInstanceOf(HubUnavailableException.class)
                .hasMessageContaining("no-such-hub");
    }

    @Test
    void closeIsIdempotent() throws Exception {
        RunningServer server = EchoServer.start(LOOPBACK);
        server.close();
        server.close();
        assertStopped(server);
    }
}
