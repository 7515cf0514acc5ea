package dev.greenhub.testsuite;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.greenhub.Green;
import dev.greenhub.GreenThread;
import dev.greenhub.IoClosedException;
import dev.greenhub.IoTimeoutException;
import dev.greenhub.Scheduler;
import dev.greenhub.net.DatagramTooLargeException;
import dev.greenhub.net.GreenDatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.PortUnreachableException;
import java.net.SocketAddress;
import java.net.StandardProtocolFamily;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.MembershipKey;
import java.time.Duration;
import java.util.Arrays;
import org.junit.jupiter.api.Assumptions;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Green UDP on every hub; ported from eventlet's tests/greenio_test.py
 * (test_datagram_socket_operations_work, test_recvfrom_timeout, test_recvfrom_into_timeout),
 * plus connected sockets, multicast on loopback, and datagrams larger than the buffer.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class GreenDatagramSocketTest {
    static final InetSocketAddress LOCAL = new InetSocketAddress("127.0.0.1", 0);

    static ByteBuffer ascii(String s) {
        return ByteBuffer.wrap(s.getBytes(java.nio.charset.StandardCharsets.US_ASCII));
    }

    static String text(ByteBuffer b) {
        b.flip();
        return java.nio.charset.StandardCharsets.US_ASCII.decode(b).toString();
    }

    // greenio_test.py test_datagram_socket_operations_work
    @ParameterizedTest
    @MethodSource("dev.greenhub.testsuite.EveryHub#hubs")
    void sendsAndReceivesWithTheSendersAddress(String hub) throws Exception {
        try (Scheduler s = Scheduler.open(hub);
             GreenDatagramSocket receiver = GreenDatagramSocket.bind(LOCAL);
             GreenDatagramSocket sender = GreenDatagramSocket.bind(LOCAL)) {
            receiver.setTimeout(Duration.ofSeconds(20));
            GreenThread<String> got = Green.spawn(() -> {
                ByteBuffer a = ByteBuffer.allocate(1024);
                SocketAddress from1 = receiver.receive(a);
                ByteBuffer b = ByteBuffer.allocate(1024);
                SocketAddress from2 = receiver.receive(b);
                return text(a) + "@" + from1 + " " + text(b) + "@" + from2;
            });
            Green.sleep();
            sender.send(ascii("first"), receiver.localAddress());
            sender.send(ascii("second"), receiver.localAddress());
            InetSocketAddress from = sender.localAddress();
            assertThat(got.get()).isEqualTo("first@" + from + " second@" + from);
        }
    }

    // greenio_test.py test_recvfrom_timeout, test_recvfrom_into_timeout
    @ParameterizedTest
    @MethodSource("dev.greenhub.testsuite.EveryHub#hubs")
    void receiveTimesOutAndTheSocketStaysUsable(String hub) throws Exception {
        try (Scheduler s = Scheduler.open(hub);
             GreenDatagramSocket socket = GreenDatagramSocket.bind(LOCAL)) {
            socket.setTimeout(Duration.ofMillis(50));
            assertThatThrownBy(() -> socket.receive(ByteBuffer.allocate(8192)))
                    .isInstanceOf(IoTimeoutException.class).hasMessageContaining("receive timed out after 50 ms");
            assertThatThrownBy(() -> socket.receive(ByteBuffer.allocate(0)))
                    .isInstanceOf(IoTimeoutException.class);
            socket.send(ascii("self"), socket.localAddress());
            ByteBuffer b = ByteBuffer.allocate(10);
            assertThat(socket.receive(b)).isEqualTo(socket.localAddress());
            assertThat(text(b)).isEqualTo("self");
        }
    }

    @ParameterizedTest
    @MethodSource("dev.greenhub.testsuite.EveryHub#hubs")
    void aDatagramLargerThanTheBufferIsReportedNotCutSilently(String hub) throws Exception {
        try (Scheduler s = Scheduler.open(hub);
             GreenDatagramSocket receiver = GreenDatagramSocket.bind(LOCAL);
             GreenDatagramSocket sender = GreenDatagramSocket.bind(LOCAL)) {
            receiver.setTimeout(Duration.ofSeconds(20));
            receiver.setOption(StandardSocketOptions.SO_RCVBUF, 256 * 1024);
            byte[] big = GreenSocketTest.pattern(7, 60_000);
            sender.send(ByteBuffer.wrap(big), receiver.localAddress());
            sender.send(ascii("next"), receiver.localAddress());
            ByteBuffer small = ByteBuffer.allocate(1000);
            assertThatThrownBy(() -> receiver.receive(small))
                    .isInstanceOfSatisfying(DatagramTooLargeException.class, e -> {
                        assertThat(e.datagramLength()).isEqualTo(60_000);
                        assertThat(e.received()).isEqualTo(1000);
                        try {
                            assertThat(e.sender()).isEqualTo(sender.localAddress());
                        } catch (java.io.IOException io) {
                            throw new AssertionError(io);
                        }
                    })
                    .hasMessageContaining("60000 bytes");
            assertThat(small.array()).isEqualTo(Arrays.copyOf(big, 1000));
            ByteBuffer next = ByteBuffer.allocate(4); // exactly the size fits
            receiver.receive(next);
            assertThat(text(next)).isEqualTo("next");
            // a buffer with room for any datagram receives a big one whole, directly
            sender.send(ByteBuffer.wrap(big), receiver.localAddress());
            ByteBuffer whole = ByteBuffer.allocateDirect(GreenDatagramSocket.MAX_DATAGRAM);
            receiver.receive(whole);
            whole.flip();
            byte[] got = new byte[whole.remaining()];
            whole.get(got);
            assertThat(got).isEqualTo(big);
            // and the system refuses what UDP over IPv4 cannot carry
            assertThatThrownBy(() -> sender.send(ByteBuffer.allocate(70_000), receiver.localAddress()))
                    .isInstanceOf(java.io.IOException.class);
        }
    }

    @ParameterizedTest
    @MethodSource("dev.greenhub.testsuite.EveryHub#hubs")
    void connectedSocketsExchangeWithTheirPeerOnlyAndSeeRefusals(String hub) throws Exception {
        try (Scheduler s = Scheduler.open(hub);
             GreenDatagramSocket a = GreenDatagramSocket.bind(LOCAL);
             GreenDatagramSocket b = GreenDatagramSocket.bind(LOCAL);
             GreenDatagramSocket stranger = GreenDatagramSocket.bind(LOCAL)) {
            a.connect(b.localAddress());
            b.connect(a.localAddress());
            a.setTimeout(Duration.ofSeconds(20));
            b.setTimeout(Duration.ofSeconds(20));
            stranger.send(ascii("noise"), a.localAddress()); // dropped: a is connected to b
            GreenThread<String> echo = Green.spawn(() -> {
                ByteBuffer in = ByteBuffer.allocate(100);
                int n = b.read(in);
                in.flip();
                b.write(in);
                return "echoed " + n;
            });
            a.write(ascii("ping"));
            ByteBuffer back = ByteBuffer.allocate(100);
            assertThat(a.read(back)).isEqualTo(4);
            assertThat(text(back)).isEqualTo("ping");
            assertThat(echo.get()).isEqualTo("echoed 4");

            InetSocketAddress gone;
            try (GreenDatagramSocket closed = GreenDatagramSocket.bind(LOCAL)) {
                gone = closed.localAddress();
            }
            try (GreenDatagramSocket c = GreenDatagramSocket.bind(LOCAL)) {
                c.connect(gone);
                c.setTimeout(Duration.ofSeconds(20));
                c.write(ascii("anyone?"));
                assertThatThrownBy(() -> c.read(ByteBuffer.allocate(10)))
                        .isInstanceOf(PortUnreachableException.class);
            }
        }
    }

    @ParameterizedTest
    @MethodSource("dev.greenhub.testsuite.EveryHub#hubs")
    void closeWakesAReceiver(String hub) throws Exception {
        try (Scheduler s = Scheduler.open(hub)) {
            GreenDatagramSocket socket = GreenDatagramSocket.bind(LOCAL);
            GreenThread<Throwable> waiting = Green.spawn(() -> {
                try {
                    socket.receive(ByteBuffer.allocate(10));
                    return null;
                } catch (IoClosedException e) {
                    return e;
                }
            });
            Green.sleep();
            socket.close();
            assertThat(waiting.get()).isInstanceOf(IoClosedException.class);
            assertThatThrownBy(() -> socket.send(ascii("x"), LOCAL)).isInstanceOf(IoClosedException.class);
        }
    }

    @ParameterizedTest
    @MethodSource("dev.greenhub.testsuite.EveryHub#hubs")
    void multicastOnLoopbackWhereTheKernelAllows(String hub) throws Exception {
        NetworkInterface lo = NetworkInterface.getByInetAddress(InetAddress.getLoopbackAddress());
        Assumptions.assumeTrue(lo != null, "no loopback interface found");
        InetAddress group = InetAddress.getByName("239.255.71.71");
        try (Scheduler s = Scheduler.open(hub);
             GreenDatagramSocket receiver = GreenDatagramSocket.open(StandardProtocolFamily.INET);
             GreenDatagramSocket sender = GreenDatagramSocket.open(StandardProtocolFamily.INET)) {
            receiver.setOption(StandardSocketOptions.SO_REUSEADDR, true);
            receiver.bindTo(new InetSocketAddress(0));
            MembershipKey key;
            try {
                key = receiver.join(group, lo);
                sender.setOption(StandardSocketOptions.IP_MULTICAST_IF, lo);
                sender.setOption(StandardSocketOptions.IP_MULTICAST_TTL, 0); // never leaves the host
                sender.setOption(StandardSocketOptions.IP_MULTICAST_LOOP, true);
                sender.bindTo(LOCAL);
                sender.send(ascii("to the group"), new InetSocketAddress(group, receiver.localAddress().getPort()));
            } catch (java.io.IOException e) {
                Assumptions.abort("the kernel does not allow multicast on " + lo.getName() + ": " + e);
                return;
            }
            // an interface with the MULTICAST flag must deliver; without it, Linux may or may not
            boolean flagged = lo.supportsMulticast();
            receiver.setTimeout(Duration.ofSeconds(flagged ? 20 : 2));
            ByteBuffer b = ByteBuffer.allocate(100);
            try {
                receiver.receive(b);
            } catch (IoTimeoutException e) {
                if (flagged) {
                    throw e;
                }
                Assumptions.abort("no multicast delivery through " + lo.getName()
                        + ": the loopback interface has no MULTICAST flag here (ip link set lo multicast on)");
            }
            assertThat(text(b)).isEqualTo("to the group");
            key.drop();
        }
    }
}
