package dev.greenhub.testsuite;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.greenhub.Scheduler;
import dev.greenhub.nativeio.Fds;
import dev.greenhub.net.GreenServer;
import dev.greenhub.net.GreenSocket;
import java.io.DataInputStream;
import java.io.IOException;
import java.net.ConnectException;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Serving on several hubs: connections spread, each on one hub for life; stop and cleanup. */
@Timeout(60)
class GreenServerTest {

    /** Answers each line with the name of the hub thread that serves the connection, checked per line. */
    private static void whoServes(GreenSocket c) throws IOException {
        Thread carrier = Scheduler.current().carrier();
        ByteBuffer in = ByteBuffer.allocate(64);
        while (c.read(in) >= 0) {
            if (Scheduler.current().carrier() != carrier || c.scheduler().carrier() != carrier) {
                throw new IllegalStateException("connection moved between hubs");
            }
            in.clear();
            c.writeAll(ByteBuffer.wrap((carrier.getName() + "\n").getBytes(StandardCharsets.US_ASCII)));
        }
    }

    @ParameterizedTest
    @MethodSource("dev.greenhub.testsuite.EveryHub#hubs")
    void connectionsSpreadOverHubsAndStayOnOne(String hub) throws Exception {
        // the first scheduler of the JVM starts the JDK's pollers (fds kept for the JVM's life)
        GreenServer.builder(GreenSocketTest.ANY_LOCAL, c -> { }).hubs(1).hub(hub).start().close();
        int fdsBefore = Fds.openFdCount();
        GreenServer server = GreenServer.builder(GreenSocketTest.ANY_LOCAL, GreenServerTest::whoServes)
                .hubs(3).hub(hub).threadName("gs-test").start();
        Set<String> hubsSeen = new HashSet<>();
        try {
            assertThat(server.hubCount()).isEqualTo(3);
            assertThat(server.hubName()).isEqualTo(hub);
            List<Socket> clients = new ArrayList<>();
            try {
                for (int i = 0; i < 60; i++) {
                    Socket s = new Socket(server.address().getAddress(), server.address().getPort());
                    s.setSoTimeout(20_000);
                    clients.add(s);
                }
                for (int round = 0; round < 3; round++) {
                    for (Socket s : clients) {
                        s.getOutputStream().write('x');
                        String name = new java.io.BufferedReader(new java.io.InputStreamReader(s.getInputStream(),
                                StandardCharsets.US_ASCII), 1).readLine();
                        assertThat(name).startsWith("gs-test-");
                        hubsSeen.add(name);
                    }
                }
            } finally {
                for (Socket s : clients) {
                    s.close();
                }
            }
        } finally {
            server.close();
        }
        // SO_REUSEPORT hashes 60 connections over 3 listeners: all on one would be a broken spread
        assertThat(hubsSeen).hasSizeGreaterThan(1);
        assertThat(server.hubThreads()).allSatisfy(t -> assertThat(t.isAlive()).isFalse());
        assertThat(Fds.openFdCount()).isLessThanOrEqualTo(fdsBefore);
        assertThatThrownBy(() -> new Socket(server.address().getAddress(), server.address().getPort()).close())
                .isInstanceOf(ConnectException.class);
    }

    @ParameterizedTest
    @MethodSource("dev.greenhub.testsuite.EveryHub#hubs")
    void gracefulStopLetsConnectionsFinish(String hub) throws Exception {
        CountDownLatch inHandler = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        Set<String> done = ConcurrentHashMap.newKeySet();
        GreenServer server = GreenServer.builder(GreenSocketTest.ANY_LOCAL, c -> {
            inHandler.countDown();
            try {
                release.await();
            } catch (InterruptedException e) {
                throw new IOException(e);
            }
            c.writeAll(ByteBuffer.wrap("bye\n".getBytes(StandardCharsets.US_ASCII)));
            done.add("finished");
        }).hubs(2).hub(hub).start();
        try (Socket s = new Socket(server.address().getAddress(), server.address().getPort())) {
            s.setSoTimeout(20_000);
            assertThat(inHandler.await(20, TimeUnit.SECONDS)).isTrue();
            server.stopAccepting();
            assertThat(server.awaitConnections(Duration.ZERO.plusMillis(1))).isFalse(); // one still runs
            release.countDown();
            assertThat(server.awaitConnections(Duration.ofSeconds(20))).isTrue();
            byte[] bye = new DataInputStream(s.getInputStream()).readNBytes(4);
            assertThat(new String(bye, StandardCharsets.US_ASCII)).isEqualTo("bye\n");
            assertThat(done).containsExactly("finished");
        } finally {
            server.stop(Duration.ofSeconds(5));
        }
        assertThat(server.hubThreads()).allSatisfy(t -> assertThat(t.isAlive()).isFalse());
    }

    @ParameterizedTest
    @MethodSource("dev.greenhub.testsuite.EveryHub#hubs")
    void closeEndsConnectionsStillServed(String hub) throws Exception {
        CountDownLatch inHandler = new CountDownLatch(1);
        GreenServer server = GreenServer.builder(GreenSocketTest.ANY_LOCAL, c -> {
            inHandler.countDown();
            c.read(ByteBuffer.allocate(1)); // waits for ever: only close() ends it
        }).hubs(2).hub(hub).start();
        try (Socket s = new Socket(server.address().getAddress(), server.address().getPort())) {
            s.setSoTimeout(20_000);
            assertThat(inHandler.await(20, TimeUnit.SECONDS)).isTrue();
            server.close();
            assertThat(s.getInputStream().read()).isEqualTo(-1);
        }
        assertThat(server.connectionCount()).isZero();
    }

    @ParameterizedTest
    @MethodSource("dev.greenhub.testsuite.EveryHub#hubs")
    void badSettingsAreNamed(String hub) {
        assertThatThrownBy(() -> GreenServer.builder(GreenSocketTest.ANY_LOCAL, c -> { }).hubs(0))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("at least 1 hub");
        assertThatThrownBy(() -> GreenServer.builder(GreenSocketTest.ANY_LOCAL, c -> { }).concurrency(0))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("concurrency");
    }
}
