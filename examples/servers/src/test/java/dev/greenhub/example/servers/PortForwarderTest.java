package dev.greenhub.example.servers;

import static dev.greenhub.example.servers.TestSupport.LOOPBACK;
import static dev.greenhub.example.servers.TestSupport.assertNoFdLeft;
import static dev.greenhub.example.servers.TestSupport.assertStopped;
import static dev.greenhub.example.servers.TestSupport.openFds;
import static dev.greenhub.example.servers.TestSupport.pattern;
import static org.assertj.core.api.Assertions.assertThat;

import dev.greenhub.Green;
import dev.greenhub.GreenThread;
import dev.greenhub.Scheduler;
import dev.greenhub.net.GreenNet;
import dev.greenhub.net.GreenServerSocket;
import dev.greenhub.net.GreenSocket;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The port forwarder on every hub. Its targets are the echo server, or a target played by green
 * threads of the test thread's own hub, which also runs the clients.
 */
@SuppressWarnings("try") // a Scheduler opened only to run this thread's green threads, then closed
class PortForwarderTest {
    private static final Duration READ_TIMEOUT = Duration.ofSeconds(10);

    @ParameterizedTest
    @MethodSource("dev.greenhub.example.servers.EveryHub#hubs")
    void forwardsSeveralClientsToTheEchoServerWithEveryByteOfAMebibyteChecked(String hub) throws Exception {
        try (Scheduler clients = Scheduler.open(hub)) {
            int fdsBefore = openFds();
            RunningServer echo = EchoServer.start(LOOPBACK, hub);
            RunningServer forwarder = PortForwarder.start(LOOPBACK, echo.address(), hub);
            try {
                List<GreenThread<Boolean>> sessions = new ArrayList<>();
                for (int i = 0; i < 6; i++) {
                    byte[] payload = pattern(i, 1024 * 1024 + i);
                    sessions.add(Green.spawn(() -> {
                        try (GreenSocket c = GreenNet.connect(forwarder.address())) {
                            c.setReadTimeout(READ_TIMEOUT);
                            GreenThread<byte[]> reader = Green.spawn(() -> c.getInputStream().readAllBytes());
                            c.writeAll(payload);
                            c.shutdownOutput(); // reaches the echo server through the forwarder
                            return Arrays.equals(reader.get(), payload);
                        }
                    }));
                }
                for (GreenThread<Boolean> session : sessions) {
                    assertThat(session.get()).isTrue();
                }
            } finally {
                forwarder.close();
                echo.close();
            }
            assertStopped(forwarder);
            assertStopped(echo);
            assertNoFdLeft(fdsBefore);
        }
    }

    @ParameterizedTest
    @MethodSource("dev.greenhub.example.servers.EveryHub#hubs")
    void aHalfCloseIsPassedOnInBothDirectionsWhileTheOtherDirectionGoesOn(String hub) throws Exception {
        try (Scheduler mine = Scheduler.open(hub)) {
            int fdsBefore = openFds();
            try (GreenServerSocket target = GreenNet.listen(LOOPBACK)) {
                RunningServer forwarder = PortForwarder.start(LOOPBACK, target.localAddress(), hub);
                try {
                    // Client half-closes first: the target reads to the end, then still answers.
                    GreenThread<String> listener = Green.spawn(() -> {
                        try (GreenSocket t = target.accept()) {
                            t.setReadTimeout(READ_TIMEOUT);
                            String got = text(t.getInputStream().readAllBytes()); // ends only at the client's FIN
                            t.writeAll(bytes("got " + got.length() + " bytes"));
                            return got;
                        }
                    });
                    try (GreenSocket c = GreenNet.connect(forwarder.address())) {
                        c.setReadTimeout(READ_TIMEOUT);
                        c.writeAll(bytes("hello"));
                        c.shutdownOutput();
                        assertThat(text(c.getInputStream().readAllBytes())).isEqualTo("got 5 bytes");
                    }
                    assertThat(listener.get()).isEqualTo("hello");

                    // Target half-closes first: the client reads to the end, then still sends.
                    GreenThread<String> talker = Green.spawn(() -> {
                        try (GreenSocket t = target.accept()) {
                            t.setReadTimeout(READ_TIMEOUT);
                            t.writeAll(bytes("that is all from me"));
                            t.shutdownOutput();
                            return text(t.getInputStream().readAllBytes());
                        }
                    });
                    try (GreenSocket c = GreenNet.connect(forwarder.address())) {
                        c.setReadTimeout(READ_TIMEOUT);
                        assertThat(text(c.getInputStream().readAllBytes())).isEqualTo("that is all from me");
                        c.writeAll(bytes("and this from me"));
                        c.shutdownOutput();
                        assertThat(c.read(ByteBuffer.allocate(1))).isEqualTo(-1);
                    }
                    assertThat(talker.get()).isEqualTo("and this from me");
                } finally {
                    forwarder.close();
                }
                assertStopped(forwarder);
            }
            assertNoFdLeft(fdsBefore);
        }
    }

    @ParameterizedTest
    @MethodSource("dev.greenhub.example.servers.EveryHub#hubs")
    void aResetOnOneSideClosesTheOther(String hub) throws Exception {
        try (Scheduler mine = Scheduler.open(hub)) {
            int fdsBefore = openFds();
            try (GreenServerSocket target = GreenNet.listen(LOOPBACK)) {
                RunningServer forwarder = PortForwarder.start(LOOPBACK, target.localAddress(), hub);
                try {
                    GreenThread<String> reader = Green.spawn(() -> {
                        try (GreenSocket t = target.accept()) {
                            t.setReadTimeout(READ_TIMEOUT);
                            ByteBuffer got = ByteBuffer.allocate(3);
                            t.readFully(got);
                            try {
                                return t.read(ByteBuffer.allocate(1)) < 0 ? "end of stream" : "more data";
                            } catch (IOException e) {
                                return e.getMessage().contains("reset") ? "reset" : e.toString();
                            }
                        }
                    });
                    GreenSocket c = GreenNet.connect(forwarder.address());
                    c.writeAll(bytes("abc"));
                    Green.sleep(Duration.ofMillis(50)); // the target reads abc and waits again
                    c.setOption(StandardSocketOptions.SO_LINGER, 0);
                    c.close(); // RST
                    assertThat(reader.get()).isIn("end of stream", "reset");
                } finally {
                    forwarder.close();
                }
                assertStopped(forwarder);
            }
            assertNoFdLeft(fdsBefore);
        }
    }

    @ParameterizedTest
    @MethodSource("dev.greenhub.example.servers.EveryHub#hubs")
    void anUnreachableTargetClosesTheClientAndLeaksNothing(String hub) throws Exception {
        try (Scheduler mine = Scheduler.open(hub)) {
            InetSocketAddress nobody;
            try (GreenServerSocket probe = GreenNet.listen(LOOPBACK)) {
                nobody = probe.localAddress(); // free again once closed: connecting is refused
            }
            int fdsBefore = openFds();
            // The forwarder logs each failure (through System.Logger, here java.util.logging).
            Logger log = Logger.getLogger("dev.greenhub.example.servers");
            List<LogRecord> records = Collections.synchronizedList(new ArrayList<>());
            Handler capture = new Handler() {
                @Override
                public void publish(LogRecord record) {
                    records.add(record);
                }

                @Override
                public void flush() {
                }

                @Override
                public void close() {
                }
            };
            log.addHandler(capture);
            log.setUseParentHandlers(false);
            RunningServer forwarder = PortForwarder.start(LOOPBACK, nobody, hub);
            try {
                int fdsRunning = openFds();
                for (int i = 0; i < 10; i++) {
                    try (GreenSocket c = GreenNet.connect(forwarder.address())) {
                        c.setReadTimeout(READ_TIMEOUT);
                        assertThat(c.read(ByteBuffer.allocate(1))).as("client %d closed by the forwarder", i).isEqualTo(-1);
                    }
                }
                assertNoFdLeft(fdsRunning);
                assertThat(forwarder.isRunning()).isTrue();
            } finally {
                forwarder.close();
                log.removeHandler(capture);
                log.setUseParentHandlers(true);
            }
            assertThat(records).hasSize(10).allSatisfy(r -> {
                assertThat(r.getLevel()).isEqualTo(Level.WARNING);
                assertThat(r.getMessage()).contains("connecting to " + nobody + " failed").contains("Connection refused");
            });
            assertStopped(forwarder);
            assertNoFdLeft(fdsBefore);
        }
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static String text(byte[] b) {
        return new String(b, StandardCharsets.UTF_8);
    }
}
