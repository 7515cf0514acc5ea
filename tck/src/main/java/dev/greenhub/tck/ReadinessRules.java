package dev.greenhub.tck;

import static dev.greenhub.hub.Readiness.READ;
import static dev.greenhub.hub.Readiness.WRITE;
import static org.assertj.core.api.Assertions.assertThat;

import dev.greenhub.hub.Hub;
import dev.greenhub.nativeio.Fds;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.util.HashSet;
import java.util.Set;

/**
 * Rules of the kit, one concern: readiness: pipes, socket pairs and TCP sockets reported READ and WRITE when, and only when, they are ready, level-triggered, masked by the interest.
 *
 * <p>The sections of {@code HubTck} form one chain of abstract classes, each extending the one before, so
 * that the public kit class inherits every rule; the order of the chain means nothing.
 */
abstract class ReadinessRules extends LifecycleRules {

    @Rule(id = "R04", title = "pipe: the read end is reported READ once data is written, not before",
            check = "that READ interest is passed to the backend (POLLIN/EPOLLIN/read set) and its result mapped back to READ")
    @Required
    void r04PipeRead() throws IOException {
        Hub hub = fx.open();
        int[] p = fx.pipe();
        hub.register(p[0], READ);
        expectSilentFullTimeout(fx.poll(hub, QUIET_NANOS), "an empty pipe's read end");
        TckFixture.writeByte(p[1]);
        PollResult r = fx.poll(hub, EVENT_NANOS);
        expectOnly(r, p[0], READ, "the read end of a pipe holding one byte");
    }

    @Rule(id = "R05", title = "pipe: the write end of an empty pipe is reported WRITE",
            check = "that WRITE interest is passed to the backend (POLLOUT/EPOLLOUT/write set) and not reported as READ")
    @Required
    void r05PipeWrite() throws IOException {
        Hub hub = fx.open();
        int[] p = fx.pipe();
        hub.register(p[1], WRITE);
        PollResult r = fx.poll(hub, EVENT_NANOS);
        expectOnly(r, p[1], WRITE, "the write end of an empty pipe");
    }

    @Rule(id = "R06", title = "pipe: a full pipe's write end is silent until the reader drains it, then WRITE",
            check = "that WRITE is reported from the backend's result, not assumed from the interest")
    @Required
    void r06PipeFullThenDrained() throws IOException {
        Hub hub = fx.open();
        int[] p = fx.pipe();
        TckFixture.fill(p[1]);
        hub.register(p[1], WRITE);
        expectSilentFullTimeout(fx.poll(hub, QUIET_NANOS), "the write end of a full pipe");
        TckFixture.drain(p[0]);
        expectOnly(fx.poll(hub, EVENT_NANOS), p[1], WRITE, "the write end of a drained pipe");
    }

    @Rule(id = "R07", title = "level-triggered: a still-ready fd is reported again by every poll, at once (median under 50 ms)",
            check = "that the backend is level-triggered (no EPOLLET/EPOLLONESHOT, no readiness cleared after one report)")
    @Required
    void r07LevelTriggered() throws IOException {
        Hub hub = fx.open();
        int[] p = fx.pipe();
        TckFixture.writeByte(p[1]);
        hub.register(p[0], READ);
        long[] elapsed = new long[11];
        int done = 0;
        int slow = 0;
        while (done < elapsed.length && slow <= elapsed.length / 2) { // more slow than half: so is the median
            PollResult r = fx.poll(hub, EVENT_NANOS);
            assertThat(r.has(p[0], READ)).as("poll #%d of an unread readable fd: %s", done + 1, r).isTrue();
            assertThat(r.elapsedNanos()).as("poll #%d of an fd that is already readable: %s", done + 1, r)
                    .isLessThan(MARGIN_NANOS);
            elapsed[done++] = r.elapsedNanos();
            if (r.elapsedNanos() >= ms(50)) {
                slow++;
            }
        }
        elapsed = java.util.Arrays.copyOf(elapsed, done);
        long median = TckFixture.median(elapsed);
        assertThat(median).as("median time of %d polls of an fd that stays readable (%.3f ms): each must report it"
                + " at once, not after a periodic re-arm", elapsed.length, median / 1e6).isLessThan(ms(50));
        int[] w = fx.pipe();
        hub.register(w[1], WRITE);
        for (int i = 1; i <= 3; i++) {
            PollResult r = fx.poll(hub, EVENT_NANOS);
            assertThat(r.has(w[1], WRITE)).as("poll #%d of a still-writable fd: %s", i, r).isTrue();
            assertThat(r.elapsedNanos()).as("poll #%d of an fd that is already writable: %s", i, r)
                    .isLessThan(MARGIN_NANOS);
        }
    }

    @Rule(id = "R08", title = "level-triggered: once its data is read, a read end is no longer reported",
            check = "that readiness is read fresh from the backend by every poll, not cached from an earlier one")
    @Required
    void r08SilentAfterDrain() throws IOException {
        Hub hub = fx.open();
        int[] p = fx.pipe();
        TckFixture.writeByte(p[1]);
        hub.register(p[0], READ);
        expectOnly(fx.poll(hub, EVENT_NANOS), p[0], READ, "a pipe holding one byte");
        assertThat(TckFixture.drain(p[0])).as("bytes read back").isEqualTo(1);
        expectSilentFullTimeout(fx.poll(hub, QUIET_NANOS), "a drained pipe");
    }

    @Rule(id = "R09", title = "socket pair: READ after the peer writes, WRITE while the send buffer has room",
            check = "that Unix sockets are handled like pipes (no special-casing of fd kinds)")
    @Required
    void r09SocketPair() throws IOException {
        Hub hub = fx.open();
        int[] s = fx.socketPair();
        hub.register(s[0], READ);
        expectSilentFullTimeout(fx.poll(hub, QUIET_NANOS), "an idle socket registered for READ");
        TckFixture.writeByte(s[1]);
        expectOnly(fx.poll(hub, EVENT_NANOS), s[0], READ, "a socket whose peer wrote a byte");
        hub.unregister(s[0]);
        hub.register(s[1], WRITE);
        expectOnly(fx.poll(hub, EVENT_NANOS), s[1], WRITE, "a socket with an empty send buffer");
    }

    @Rule(id = "R10", title = "TCP: a listening socket is reported READ when a connection is pending",
            check = "that a listening socket's pending connection (POLLIN) is mapped to READ")
    @Required
    void r10TcpAccept() throws IOException {
        Hub hub = fx.open();
        ServerSocketChannel server = fx.listen();
        int fd = Fds.fdOf(server);
        hub.register(fd, READ);
        expectSilentFullTimeout(fx.poll(hub, QUIET_NANOS), "a listening socket with no pending connection");
        SocketChannel client = SocketChannel.open(server.getLocalAddress());
        try {
            PollResult r = pollUntil(hub, fd, READ, EVENT_NANOS);
            expectOnly(r, fd, READ, "a listening socket with a pending connection");
            try (SocketChannel accepted = server.accept()) {
                assertThat(accepted).as("accept() after READ was reported").isNotNull();
            }
        } finally {
            client.close();
        }
    }

    @Rule(id = "R11", title = "TCP: the completion of a non-blocking connect is reported as WRITE",
            check = "that a connect completion (POLLOUT) is mapped to WRITE")
    @Required
    void r11TcpConnectCompletion() throws IOException {
        Hub hub = fx.open();
        ServerSocketChannel server = fx.listen();
        try (SocketChannel client = SocketChannel.open()) {
            client.configureBlocking(false);
            client.connect(server.getLocalAddress());
            int fd = Fds.fdOf(client);
            hub.register(fd, WRITE);
            PollResult r = pollUntil(hub, fd, WRITE, EVENT_NANOS);
            expectOnly(r, fd, WRITE, "a socket whose connect to a listening loopback port completed");
            assertThat(client.finishConnect()).as("finishConnect() after WRITE was reported").isTrue();
            hub.unregister(fd);
        }
    }

    @Rule(id = "R12", title = "TCP: READ when the peer sends, WRITE while the send buffer has room",
            check = "that TCP sockets report READ and WRITE as the kernel does")
    @Required
    void r12TcpReadWrite() throws IOException {
        Hub hub = fx.open();
        TckFixture.Tcp tcp = fx.tcp();
        hub.register(tcp.acceptedFd(), READ);
        expectSilentFullTimeout(fx.poll(hub, QUIET_NANOS), "an idle TCP socket registered for READ");
        tcp.client().write(ByteBuffer.wrap(TckFixture.ONE_BYTE));
        expectOnly(pollUntil(hub, tcp.acceptedFd(), READ, EVENT_NANOS), tcp.acceptedFd(), READ,
                "a TCP socket whose peer sent a byte");
        hub.unregister(tcp.acceptedFd());
        hub.register(tcp.clientFd(), WRITE);
        expectOnly(fx.poll(hub, EVENT_NANOS), tcp.clientFd(), WRITE, "a connected TCP socket with room to send");
    }

    @Rule(id = "R13", title = "no event without readiness: idle pipes, sockets and a full pipe stay silent",
            check = "that nothing is reported without backend readiness (no fd reported just because it is registered)")
    @Required
    void r13NoEventWithoutReadiness() throws IOException {
        Hub hub = fx.open();
        int[] p = fx.pipe();
        int[] s = fx.socketPair();
        int[] full = fx.pipe();
        TckFixture.fill(full[1]);
        TckFixture.Tcp tcp = fx.tcp();
        ServerSocketChannel server = fx.listen();
        hub.register(p[0], READ);
        hub.register(s[0], READ);
        hub.register(s[1], READ);
        hub.register(full[1], WRITE);
        hub.register(tcp.acceptedFd(), READ);
        hub.register(tcp.clientFd(), READ);
        hub.register(Fds.fdOf(server), READ);
        for (int i = 0; i < 3; i++) {
            expectSilentFullTimeout(fx.poll(hub, QUIET_NANOS), "seven idle fds");
        }
    }

    @Rule(id = "R14", title = "interest mask: a readable and writable fd reports READ and WRITE only as asked",
            check = "that only the registered interest is asked of the backend, and READ/WRITE bits are masked by it")
    @Required
    void r14InterestMasksReadiness() throws IOException {
        Hub hub = fx.open();
        int[] s = fx.socketPair();
        TckFixture.writeByte(s[1]); // s[0] is now readable and writable
        hub.register(s[0], READ);
        PollResult r = fx.poll(hub, EVENT_NANOS);
        expectOnly(r, s[0], READ, "a readable, writable socket registered for READ");
        assertThat(r.ops(s[0]) & WRITE).as("WRITE bit for READ interest: %s", r).isZero();
        hub.register(s[0], WRITE);
        r = fx.poll(hub, EVENT_NANOS);
        expectOnly(r, s[0], WRITE, "a readable, writable socket registered for WRITE");
        assertThat(r.ops(s[0]) & READ).as("READ bit for WRITE interest: %s", r).isZero();
    }

    @Rule(id = "R15", title = "both interests: a readable and writable fd is reported READ|WRITE in one report",
            check = "that READ and WRITE of one fd are merged into one report, not two calls of the handler")
    @Required
    void r15BothInterests() throws IOException {
        Hub hub = fx.open();
        int[] s = fx.socketPair();
        TckFixture.writeByte(s[1]);
        hub.register(s[0], READ | WRITE);
        assertThat(hub.interest(s[0])).as("interest()").isEqualTo(READ | WRITE);
        PollResult r = fx.poll(hub, EVENT_NANOS);
        assertThat(r.ops(s[0]) & (READ | WRITE)).as("readiness of a readable, writable socket registered for"
                + " READ|WRITE: %s", r).isEqualTo(READ | WRITE);
        assertThat(r.returned()).as("reports in %s", r).isEqualTo(1);
        TckFixture.drain(s[0]);
        r = fx.poll(hub, EVENT_NANOS);
        assertThat(r.ops(s[0]) & (READ | WRITE)).as("after draining it, only WRITE: %s", r).isEqualTo(WRITE);
    }

    @Rule(id = "R20", title = "poll returns the number of fds it reported, each once, with its readiness",
            check = "that poll's return value counts handler calls, and that every ready fd of one backend return is dispatched")
    @Required
    void r20PollCountsReports() throws IOException {
        Hub hub = fx.open();
        Set<Integer> expected = new HashSet<>();
        for (int i = 0; i < 3; i++) {
            int[] p = fx.pipe();
            TckFixture.writeByte(p[1]);
            hub.register(p[0], READ);
            hub.register(p[1], WRITE);
            expected.add(p[0]);
            expected.add(p[1]);
        }
        int[] idle = fx.pipe();
        hub.register(idle[0], READ);
        PollResult r = fx.poll(hub, EVENT_NANOS);
        assertThat(r.reported().keySet()).as("3 readable read ends and 3 writable write ends: %s", r)
                .containsExactlyInAnyOrderElementsOf(expected);
        assertThat(r.returned()).as("poll's return value").isEqualTo(6);
    }

    @Rule(id = "R74", title = "a registration older than two rounds of the hub's periodic maintenance (7 s of silent polls) still reports readiness at once",
            check = "periodic work on registrations (probes for closed fds, table compaction, re-arming, generations"
                    + " of the registration table): it must keep every live registration and its interest")
    @Required
    void r74LongLivedRegistration() throws IOException {
        Hub hub = fx.open();
        int[] p = fx.pipe();
        int[] s = fx.socketPair();
        hub.register(p[0], READ);
        hub.register(s[0], READ);
        // 7 s: a hub whose maintenance (every few seconds, 3 s here) keeps only what was touched since
        // the last round drops a registration at its second round, not its first.
        long until = System.nanoTime() + ms(7_000);
        while (System.nanoTime() - until < 0) {
            expectSilentFullTimeout(fx.poll(hub, ms(300)), "two idle fds registered for seconds");
        }
        TckFixture.writeByte(p[1]);
        PollResult r = fx.poll(hub, EVENT_NANOS);
        expectOnly(r, p[0], READ, "a pipe registered 7 s ago, written now");
        assertThat(r.elapsedNanos()).as("%s", r).isLessThan(MARGIN_NANOS);
        TckFixture.drain(p[0]);
        TckFixture.writeByte(s[1]);
        expectOnly(fx.poll(hub, EVENT_NANOS), s[0], READ, "a socket registered 7 s ago, written now");
        hub.register(s[0], WRITE);
        expectOnly(fx.poll(hub, EVENT_NANOS), s[0], WRITE, "the same socket switched to WRITE");
    }
}
