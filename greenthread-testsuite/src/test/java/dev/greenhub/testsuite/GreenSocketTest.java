package dev.greenhub.testsuite;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.greenhub.Green;
import dev.greenhub.GreenThread;
import dev.greenhub.IoClosedException;
import dev.greenhub.Scheduler;
import dev.greenhub.net.GreenNet;
import dev.greenhub.net.GreenServerSocket;
import dev.greenhub.net.GreenSocket;
import dev.greenhub.net.StopServe;
import dev.greenhub.nativeio.Fds;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Green sockets, listen/connect/serve, on every hub. */
class GreenSocketTest {
    static final InetSocketAddress ANY_LOCAL = new InetSocketAddress(InetAddress.getLoopbackAddress(), 0);

    /** Echoes until the peer half-closes, then half-closes too. */
    static void echo(GreenSocket c) throws IOException {
        ByteBuffer buf = ByteBuffer.allocate(8192);
        while (c.read(buf) >= 0) {
            buf.flip();
            c.writeAll(buf);
            buf.clear();
        }
        c.shutdownOutput();
    }

    static byte[] pattern(int seed, int length) {
        byte[] b = new byte[length];
        new Random(seed).nextBytes(b);
        return b;
    }

    static byte[] readToEnd(GreenSocket s) throws IOException {
        return s.getInputStream().readAllBytes();
    }

    @ParameterizedTest
    @MethodSource("dev.greenhub.testsuite.EveryHub#hubs")
    void echoesConcurrentConnectionsWithEveryByteChecked(String hub) throws Exception {
        long limit = Fds.raiseFdLimit(4096);
        int connections;
        if (hub.equals("select")) {
            // every fd must stay below FD_SETSIZE: two per connection, the rest of the JVM's own
            connections = Math.min(400, (1024 - Fds.openFdCount() - 64) / 2);
        } else {
            connections = (int) Math.min(1000, (limit - Fds.openFdCount() - 64) / 2);
        }
        assertThat(connections).as("connections the fd limit allows").isGreaterThanOrEqualTo(300);
        try (Scheduler s = Scheduler.open(hub)) {
            GreenServerSocket server = GreenNet.listen(ANY_LOCAL, 1024);
            GreenThread<Void> serving = Green.spawn(() -> {
                GreenNet.serve(server, GreenSocketTest::echo, connections);
                return null;
            });
            InetSocketAddress address = server.localAddress();
            List<GreenThread<Boolean>> clients = new ArrayList<>();
            for (int i = 0; i < connections; i++) {
                int id = i;
                clients.add(Green.spawn(() -> {
                    byte[] sent = pattern(id, 1000 + id % 3000);
                    try (GreenSocket c = GreenNet.connect(address)) {
                        c.writeAll(sent, 0, sent.length / 2);
                        Green.sleep(); // let the other clients interleave
                        c.writeAll(sent, sent.length / 2, sent.length - sent.length / 2);
                        c.shutdownOutput();
                        return Arrays.equals(sent, readToEnd(c));
                    }
                }));
            }
            int ok = 0;
            for (GreenThread<Boolean> c : clients) {
                if (c.get()) {
                    ok++;
                }
            }
            assertThat(ok).isEqualTo(connections);
            serving.kill(new StopServe());
            assertThat(serving.get()).isNull();
            server.close();
        }
    }

    @ParameterizedTest
    @MethodSource("dev.greenhub.testsuite.EveryHub#hubs")
    void echoesOverIpv6Loopback(String hub) throws Exception {
        try (Scheduler s = Scheduler.open(hub);
             GreenServerSocket server = GreenNet.listen(new InetSocketAddress("::1", 0))) {
            assertThat(server.localAddress().getAddress().getHostAddress()).isIn("::1", "0:0:0:0:0:0:0:1");
            Green.spawn(() -> {
                try (GreenSocket c = server.accept()) {
                    echo(c);
                }
                return null;
            });
            try (GreenSocket c = GreenNet.connect(server.localAddress())) {
                assertThat(c.remoteAddress()).isEqualTo(server.localAddress());
                byte[] sent = pattern(6, 50_000);
                c.writeAll(sent);
                c.shutdownOutput();
                assertThat(readToEnd(c)).isEqualTo(sent);
            }
        }
    }

    @ParameterizedTest
    @MethodSource("dev.greenhub.testsuite.EveryHub#hubs")
    void writeAllSendsSixteenMebibytesThroughPartialWrites(String hub) throws Exception {
        byte[] sent = pattern(16, 16 * 1024 * 1024 + 7);
        try (Scheduler s = Scheduler.open(hub); GreenServerSocket server = GreenNet.listen(ANY_LOCAL)) {
            GreenThread<byte[]> receiver = Green.spawn(() -> {
                try (GreenSocket c = server.accept()) {
                    return readToEnd(c);
                }
            });
            try (GreenSocket c = GreenNet.connect(server.localAddress())) {
                c.setOption(StandardSocketOptions.SO_SNDBUF, 64 * 1024);
                c.writeAll(sent);
                c.shutdownOutput();
            }
            assertThat(receiver.get()).isEqualTo(sent);
        }
    }

    @ParameterizedTest
    @MethodSource("dev.greenhub.testsuite.EveryHub#hubs")
    void halfCloseLetsThePeerReadTheEndAndStillAnswer(String hub) throws Exception {
        try (Scheduler s = Scheduler.open(hub); GreenServerSocket server = GreenNet.listen(ANY_LOCAL)) {
            GreenThread<String> peer = Green.spawn(() -> {
                try (GreenSocket c = server.accept()) {
                    byte[] got = readToEnd(c); // returns at the client's FIN
                    c.writeAll(("got " + got.length).getBytes());
                    return new String(got);
                }
            });
            try (GreenSocket c = GreenNet.connect(server.localAddress())) {
                c.writeAll("hello".getBytes());
                c.shutdownOutput();
                assertThat(new String(readToEnd(c))).isEqualTo("got 5");
                assertThat(c.read(ByteBuffer.allocate(1))).isEqualTo(-1);
                assertThatThrownBy(() -> c.writeAll(new byte[] {1})).isInstanceOf(IOException.class);
            }
            assertThat(peer.get()).isEqualTo("hello");
        }
    }

    @ParameterizedTest
    @MethodSource("dev.greenhub.testsuite.EveryHub#hubs")
    void aPeerResetIsAnIoExceptionForTheReader(String hub) throws Exception {
        try (Scheduler s = Scheduler.open(hub); GreenServerSocket server = GreenNet.listen(ANY_LOCAL)) {
            GreenThread<Throwable> reader = Green.spawn(() -> {
                try (GreenSocket c = server.accept()) {
                    ByteBuffer buf = ByteBuffer.allocate(16);
                    assertThat(c.read(buf)).isEqualTo(3);
                    try {
                        c.read(buf);
                        return null;
                    } catch (IOException e) {
                        return e;
                    }
                }
            });
            GreenSocket c = GreenNet.connect(server.localAddress());
            c.writeAll(new byte[] {1, 2, 3});
            Green.sleep(Duration.ofMillis(20)); // the reader reads and waits again
            c.setOption(StandardSocketOptions.SO_LINGER, 0);
            c.close(); // RST
            assertThat(reader.get()).isInstanceOf(IOException.class).isNotInstanceOf(IoClosedException.class)
                    .hasMessageContaining("reset");
        }
    }

    @ParameterizedTest
    @MethodSource("dev.greenhub.testsuite.EveryHub#hubs")
    void readTimeoutNamesTheSocketAndLeavesItUsable(String hub) throws Exception {
        try (Scheduler s = Scheduler.open(hub); GreenServerSocket server = GreenNet.listen(ANY_LOCAL)) {
            GreenThread<Void> peer = Green.spawn(() -> {
                try (GreenSocket c = server.accept()) {
                    Green.sleep(Duration.ofMillis(150));
                    c.writeAll(new byte[] {42});
                    readToEnd(c);
                }
                return null;
            });
            try (GreenSocket c = GreenNet.connect(server.localAddress())) {
                c.setReadTimeout(Duration.ofMillis(50));
                assertThat(c.readTimeout()).isEqualTo(Duration.ofMillis(50));
                long start = System.nanoTime();
                assertThatThrownBy(() -> c.read(ByteBuffer.allocate(1)))
                        .isInstanceOf(SocketTimeoutException.class)
                        .hasMessageContaining("read timed out after 50 ms")
                        .hasMessageContaining("fd " + c.fd());
                assertThat(System.nanoTime() - start).isGreaterThanOrEqualTo(50_000_000L);
                c.setReadTimeout(null);
                assertThat(c.getInputStream().read()).isEqualTo(42);
                c.shutdownOutput();
            }
            peer.get();
        }
    }

    @ParameterizedTest
    @MethodSource("dev.greenhub.testsuite.EveryHub#hubs")
    void writeTimeoutFiresWhenThePeerDoesNotRead(String hub) throws Exception {
        try (Scheduler s = Scheduler.open(hub); GreenServerSocket server = GreenNet.listen(ANY_LOCAL)) {
            GreenThread<GreenSocket> accepted = Green.spawn(server::accept);
            try (GreenSocket c = GreenNet.connect(server.localAddress()); GreenSocket peer = accepted.get()) {
                peer.setOption(StandardSocketOptions.SO_RCVBUF, 4096);
                c.setOption(StandardSocketOptions.SO_SNDBUF, 4096);
                c.setWriteTimeout(Duration.ofMillis(60));
                ByteBuffer big = ByteBuffer.allocate(32 * 1024 * 1024);
                long start = System.nanoTime();
                assertThatThrownBy(() -> c.writeAll(big))
                        .isInstanceOf(SocketTimeoutException.class)
                        .hasMessageContaining("write timed out after 60 ms");
                assertThat(System.nanoTime() - start).isGreaterThanOrEqualTo(60_000_000L);
                assertThat(big.position()).isPositive().isLessThan(big.capacity());
            }
        }
    }

    @ParameterizedTest
    @MethodSource("dev.greenhub.testsuite.EveryHub#hubs")
    void closeFromAnotherGreenThreadWakesReaderWriterAndAcceptorAtOnce(String hub) throws Exception {
        try (Scheduler s = Scheduler.open(hub); GreenServerSocket server = GreenNet.listen(ANY_LOCAL)) {
            GreenThread<GreenSocket> accepted = Green.spawn(server::accept);
            GreenSocket c = GreenNet.connect(server.localAddress());
            GreenSocket peer = accepted.get();
            try {
                c.setOption(StandardSocketOptions.SO_SNDBUF, 4096);
                peer.setOption(StandardSocketOptions.SO_RCVBUF, 4096);
                GreenThread<Throwable> reader = Green.spawn(() -> failureOf(() -> c.read(ByteBuffer.allocate(10))));
                GreenThread<Throwable> writer = Green.spawn(() ->
                        failureOf(() -> {
                            c.writeAll(ByteBuffer.allocate(32 * 1024 * 1024));
                            return null;
                        }));
                GreenThread<Throwable> acceptor = Green.spawn(() -> failureOf(server::accept));
                Green.sleep(Duration.ofMillis(30)); // all three wait now
                assertThat(reader.isDone() || writer.isDone() || acceptor.isDone()).isFalse();
                long start = System.nanoTime();
                Green.spawn(() -> {
                    c.close();
                    server.close();
                    return null;
                }).get();
                assertThat(reader.get()).isInstanceOf(IoClosedException.class)
                        .hasMessageContaining("was closed while").hasMessageContaining("waited to read");
                assertThat(writer.get()).isInstanceOf(IoClosedException.class).hasMessageContaining("waited to write");
                assertThat(acceptor.get()).isInstanceOf(IoClosedException.class).hasMessageContaining("waited to accept");
                assertThat(System.nanoTime() - start).isLessThan(2_000_000_000L);
                assertThatThrownBy(() -> c.read(ByteBuffer.allocate(1))).isInstanceOf(IoClosedException.class)
                        .hasMessageContaining("is closed");
                assertThat(Fds.isOpen(c.fd()) && Fds.isOpen(server.fd())).isFalse();
            } finally {
                peer.close();
            }
        }
    }

    @ParameterizedTest
    @MethodSource("dev.greenhub.testsuite.EveryHub#hubs")
    void closeFromAPlatformThreadIsHandedToTheOwningLoopAndWakesTheReader(String hub) throws Exception {
        try (Scheduler s = Scheduler.open(hub); GreenServerSocket server = GreenNet.listen(ANY_LOCAL)) {
            GreenThread<GreenSocket> accepted = Green.spawn(server::accept);
            GreenSocket c = GreenNet.connect(server.localAddress());
            try (GreenSocket peer = accepted.get()) {
                GreenThread<Throwable> reader = Green.spawn(() -> failureOf(() -> c.read(ByteBuffer.allocate(10))));
                Green.sleep(Duration.ofMillis(5));
                Thread closer = Thread.ofPlatform().start(() -> {
                    try {
                        c.close();
                    } catch (IOException e) {
                        throw new IllegalStateException(e);
                    }
                });
                closer.join(10_000);
                assertThat(c.isOpen()).isFalse();
                assertThat(reader.get()).isInstanceOf(IoClosedException.class).hasMessageContaining("waited to read");
                assertThat(Fds.isOpen(c.fd())).isFalse();
            }
        }
    }

    interface IoCall {
        Object call() throws Exception;
    }

    static Throwable failureOf(IoCall call) {
        try {
            call.call();
            return null;
        } catch (Throwable e) {
            return e;
        }
    }

    @ParameterizedTest
    @MethodSource("dev.greenhub.testsuite.EveryHub#hubs")
    void aSecondSimultaneousReaderIsRefused(String hub) throws Exception {
        try (Scheduler s = Scheduler.open(hub); GreenServerSocket server = GreenNet.listen(ANY_LOCAL)) {
            GreenThread<GreenSocket> accepted = Green.spawn(server::accept);
            try (GreenSocket c = GreenNet.connect(server.localAddress()); GreenSocket peer = accepted.get()) {
                GreenThread<Integer> first = Green.spawn(() -> c.read(ByteBuffer.allocate(4)));
                Green.sleep();
                assertThatThrownBy(() -> c.read(ByteBuffer.allocate(4)))
                        .isInstanceOf(IllegalStateException.class)
                        .hasMessageContaining("second simultaneous read on fd " + c.fd());
                peer.writeAll(new byte[] {1, 2});
                assertThat(first.get()).isEqualTo(2);
            }
        }
    }

    @ParameterizedTest
    @MethodSource("dev.greenhub.testsuite.EveryHub#hubs")
    void noFdLeaksAfterTenThousandConnectCloseCycles(String hub) throws Exception {
        try (Scheduler s = Scheduler.open(hub); GreenServerSocket server = GreenNet.listen(ANY_LOCAL, 128)) {
            InetSocketAddress address = server.localAddress();
            cycle(server, address, 200); // warm up: classes loaded, buffers cached
            int before = Fds.openFdCount();
            cycle(server, address, 10_000);
            assertThat(Fds.openFdCount()).isEqualTo(before);
        }
    }

    private static void cycle(GreenServerSocket server, InetSocketAddress address, int times) throws Exception {
        for (int i = 0; i < times; i++) {
            GreenSocket c = GreenNet.connect(address);
            GreenSocket peer = server.accept();
            c.setOption(StandardSocketOptions.SO_LINGER, 0); // no TIME_WAIT pile-up
            peer.close();
            c.close();
        }
    }

    @ParameterizedTest
    @MethodSource("dev.greenhub.testsuite.EveryHub#hubs")
    void jdkBlockingIoInOneGreenThreadWhileGreenSocketsServeOthers(String hub) throws Exception {
        try (Scheduler s = Scheduler.open(hub);
             GreenServerSocket server = GreenNet.listen(ANY_LOCAL);
             ServerSocket jdkServer = new ServerSocket(0, 5, InetAddress.getLoopbackAddress())) {
            List<String> log = Collections.synchronizedList(new ArrayList<>());
            GreenThread<Void> serving = Green.spawn(() -> {
                GreenNet.serve(server, GreenSocketTest::echo, 10);
                return null;
            });
            // a platform thread answers the JDK socket only after the green clients are done
            Thread jdkPeer = Thread.ofPlatform().start(() -> {
                try (Socket p = jdkServer.accept()) {
                    while (log.size() < 5) {
                        Thread.sleep(5);
                    }
                    p.getOutputStream().write(7);
                } catch (IOException | InterruptedException e) {
                    log.add("peer failed: " + e);
                }
            });
            GreenThread<Integer> jdkReader = Green.spawn(() -> {
                try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), jdkServer.getLocalPort())) {
                    socket.setSoTimeout(20_000);
                    int b = socket.getInputStream().read(); // a blocking JDK read, in a green thread
                    log.add("jdk read " + b);
                    return b;
                }
            });
            List<GreenThread<Void>> clients = new ArrayList<>();
            for (int i = 0; i < 5; i++) {
                int id = i;
                clients.add(Green.spawn(() -> {
                    try (GreenSocket c = GreenNet.connect(server.localAddress())) {
                        byte[] sent = pattern(id, 10_000);
                        c.writeAll(sent);
                        c.shutdownOutput();
                        assertThat(readToEnd(c)).isEqualTo(sent);
                        log.add("green " + id);
                    }
                    return null;
                }));
            }
            for (GreenThread<Void> c : clients) {
                c.get();
            }
            assertThat(jdkReader.get()).isEqualTo(7);
            jdkPeer.join(10_000);
            assertThat(log).hasSize(6).last().isEqualTo("jdk read 7");
            serving.kill(new StopServe());
            serving.get();
        }
    }

    @ParameterizedTest
    @MethodSource("dev.greenhub.testsuite.EveryHub#hubs")
    void streamViewsCarryDataStreams(String hub) throws Exception {
        try (Scheduler s = Scheduler.open(hub); GreenServerSocket server = GreenNet.listen(ANY_LOCAL)) {
            GreenThread<Long> peer = Green.spawn(() -> {
                try (GreenSocket c = server.accept()) {
                    DataInputStream in = new DataInputStream(c.getInputStream());
                    DataOutputStream out = new DataOutputStream(c.getOutputStream());
                    long sum = 0;
                    int n = in.readInt();
                    for (int i = 0; i < n; i++) {
                        sum += in.readLong();
                    }
                    out.writeUTF("sum=" + sum);
                    return sum;
                }
            });
            try (GreenSocket c = GreenNet.connect(server.localAddress())) {
                OutputStream raw = c.getOutputStream();
                assertThat(c.getOutputStream()).isSameAs(raw);
                DataOutputStream out = new DataOutputStream(raw);
                out.writeInt(1000);
                for (long i = 1; i <= 1000; i++) {
                    out.writeLong(i);
                }
                InputStream in = c.getInputStream();
                assertThat(new DataInputStream(in).readUTF()).isEqualTo("sum=500500");
                assertThat(in.read()).isEqualTo(-1);
            }
            assertThat(peer.get()).isEqualTo(500500L);
        }
    }

    @ParameterizedTest
    @MethodSource("dev.greenhub.testsuite.EveryHub#hubs")
    void serveClosesEachConnectionReportsHandlerFailuresAndStopsOnStopServe(String hub) throws Exception {
        try (Scheduler s = Scheduler.open(hub); GreenServerSocket server = GreenNet.listen(ANY_LOCAL)) {
            List<Throwable> reported = Collections.synchronizedList(new ArrayList<>());
            s.setExceptionReporter((what, e) -> reported.add(e));
            GreenThread<String> serving = Green.spawn(() -> {
                GreenNet.serve(server, c -> {
                    int command = c.getInputStream().read();
                    if (command == 's') {
                        throw new StopServe("asked to");
                    }
                    if (command == 'f') {
                        throw new IOException("handler failure");
                    }
                    c.writeAll(new byte[] {(byte) command});
                }, 2);
                return "returned";
            });
            InetSocketAddress address = server.localAddress();
            try (GreenSocket c = GreenNet.connect(address)) {
                c.writeAll(new byte[] {'a'});
                assertThat(readToEnd(c)).containsExactly('a'); // then closed by serve
            }
            try (GreenSocket c = GreenNet.connect(address)) {
                c.writeAll(new byte[] {'f'});
                assertThat(readToEnd(c)).isEmpty();
            }
            assertThat(reported).singleElement().extracting(Throwable::getCause)
                    .extracting(Throwable::getMessage).isEqualTo("handler failure");
            try (GreenSocket c = GreenNet.connect(address)) {
                c.writeAll(new byte[] {'s'});
                assertThat(readToEnd(c)).isEmpty();
            }
            assertThat(serving.get()).isEqualTo("returned");
            assertThat(server.isOpen()).isTrue();
        }
    }

    @ParameterizedTest
    @MethodSource("dev.greenhub.testsuite.EveryHub#hubs")
    void serveRunsAtMostConcurrencyHandlersAtOnce(String hub) throws Exception {
        try (Scheduler s = Scheduler.open(hub); GreenServerSocket server = GreenNet.listen(ANY_LOCAL)) {
            int[] active = {0, 0};
            GreenThread<Void> serving = Green.spawn(() -> {
                GreenNet.serve(server, c -> {
                    active[1] = Math.max(active[1], ++active[0]);
                    Green.sleep(Duration.ofMillis(20));
                    active[0]--;
                    c.writeAll(new byte[] {1});
                }, 3);
                return null;
            });
            List<GreenThread<Integer>> clients = new ArrayList<>();
            for (int i = 0; i < 10; i++) {
                clients.add(Green.spawn(() -> {
                    try (GreenSocket c = GreenNet.connect(server.localAddress())) {
                        return readToEnd(c).length;
                    }
                }));
            }
            for (GreenThread<Integer> c : clients) {
                assertThat(c.get()).isEqualTo(1);
            }
            assertThat(active[1]).isEqualTo(3);
            serving.kill(new StopServe());
            serving.get();
        }
    }

    @ParameterizedTest
    @MethodSource("dev.greenhub.testsuite.EveryHub#hubs")
    void connectFailuresAndBadInputAreClear(String hub) throws Exception {
        try (Scheduler s = Scheduler.open(hub)) {
            int freePort;
            try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
                freePort = probe.getLocalPort();
            }
            int before = Fds.openFdCount();
            assertThatThrownBy(() -> GreenNet.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), freePort)))
                    .isInstanceOf(ConnectException.class);
            assertThat(Fds.openFdCount()).isEqualTo(before);
            try (GreenServerSocket server = GreenNet.listen(ANY_LOCAL)) {
                assertThatThrownBy(() -> GreenNet.listen(server.localAddress(), 5))
                        .isInstanceOf(IOException.class).hasMessageContaining("in use");
                assertThatThrownBy(() -> GreenNet.serve(server, c -> { }, 0))
                        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("concurrency");
                assertThatThrownBy(() -> server.setAcceptTimeout(Duration.ofMillis(-1)))
                        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("accept timeout");
                server.setAcceptTimeout(Duration.ofMillis(20));
                assertThatThrownBy(server::accept).isInstanceOf(SocketTimeoutException.class)
                        .hasMessageContaining("accept timed out after 20 ms");
            }
            try (GreenServerSocket a = GreenNet.listen(ANY_LOCAL, 5, true);
                 GreenServerSocket b = GreenNet.listen(a.localAddress(), 5, true)) {
                assertThat(b.localAddress()).isEqualTo(a.localAddress());
                assertThat(b.getOption(StandardSocketOptions.SO_REUSEPORT)).isTrue();
                assertThat(a.getOption(StandardSocketOptions.SO_REUSEADDR)).isTrue();
            }
        }
    }
}
