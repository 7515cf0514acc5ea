package dev.greenhub.tck;

import static dev.greenhub.hub.Readiness.ERROR;
import static dev.greenhub.hub.Readiness.HANGUP;
import static dev.greenhub.hub.Readiness.READ;
import static dev.greenhub.hub.Readiness.WRITE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.greenhub.hub.Hub;
import dev.greenhub.nativeio.Fds;
import java.io.IOException;

/**
 * Rules of the kit, one concern: peer close: a pipe end or socket whose peer closed or reset is reported, with HANGUP and ERROR as optional features.
 *
 * <p>The sections of {@code HubTck} form one chain of abstract classes, each extending the one before, so
 * that the public kit class inherits every rule; the order of the chain means nothing.
 */
abstract class PeerCloseRules extends ReadinessRules {

    @Rule(id = "R21", title = "pipe writer closed: the read end is reported (READ or HANGUP) and reads end of stream",
            check = "that POLLHUP/EPOLLHUP is reported (as READ or HANGUP) even when only READ was asked for")
    @Required
    void r21PipeWriterClosed() throws IOException {
        Hub hub = fx.open();
        int[] p = fx.pipe();
        hub.register(p[0], READ);
        expectSilentFullTimeout(fx.poll(hub, QUIET_NANOS), "an empty pipe");
        fx.closeNow(p[1]);
        PollResult r = pollUntil(hub, p[0], READ | HANGUP | ERROR, EVENT_NANOS);
        assertThat(r.ops(p[0]) & (READ | HANGUP)).as("a pipe whose writer closed: %s", r).isNotZero();
        assertThat(Fds.read(p[0], new byte[8])).as("read() after the writer closed (0 = end of stream)").isZero();
    }

    @Rule(id = "R22", title = "pipe writer closed: HANGUP is reported",
            check = "that POLLHUP/EPOLLHUP/EPOLLRDHUP is mapped to HANGUP")
    @Optional(Feature.HANGUP)
    void r22PipeWriterClosedHangup() throws IOException {
        Hub hub = fx.open();
        int[] p = fx.pipe();
        hub.register(p[0], READ);
        fx.closeNow(p[1]);
        PollResult r = pollUntil(hub, p[0], HANGUP, EVENT_NANOS);
        assertThat(r.has(p[0], HANGUP)).as("HANGUP for a pipe whose writer closed: %s", r).isTrue();
    }

    @Rule(id = "R23", title = "pipe reader closed: a writer waiting for WRITE on a full pipe is reported ready",
            check = "that POLLERR/EPOLLERR on a write end is reported even when only WRITE was asked for")
    @Required
    void r23PipeReaderClosed() throws IOException {
        Hub hub = fx.open();
        int[] p = fx.pipe();
        TckFixture.fill(p[1]);
        hub.register(p[1], WRITE);
        expectSilentFullTimeout(fx.poll(hub, QUIET_NANOS), "a full pipe's write end");
        fx.closeNow(p[0]);
        PollResult r = pollUntil(hub, p[1], WRITE | ERROR | HANGUP, EVENT_NANOS);
        assertThat(r.ops(p[1])).as("a full pipe's write end after its reader closed: %s", r).isNotZero();
    }

    @Rule(id = "R24", title = "pipe reader closed: ERROR is reported to the writer",
            check = "that POLLERR/EPOLLERR is mapped to ERROR")
    @Optional(Feature.SOCKET_ERROR)
    void r24PipeReaderClosedError() throws IOException {
        Hub hub = fx.open();
        int[] p = fx.pipe();
        TckFixture.fill(p[1]);
        hub.register(p[1], WRITE);
        fx.closeNow(p[0]);
        PollResult r = pollUntil(hub, p[1], ERROR, EVENT_NANOS);
        assertThat(r.has(p[1], ERROR)).as("ERROR for a pipe whose reader closed: %s", r).isTrue();
    }

    @Rule(id = "R25", title = "TCP peer close: the other end is reported (READ or HANGUP) and reads end of stream",
            check = "that a TCP FIN is reported as READ or HANGUP")
    @Required
    void r25TcpPeerClose() throws IOException {
        Hub hub = fx.open();
        TckFixture.Tcp tcp = fx.tcp();
        hub.register(tcp.acceptedFd(), READ);
        expectSilentFullTimeout(fx.poll(hub, QUIET_NANOS), "an idle TCP connection");
        tcp.client().close();
        PollResult r = pollUntil(hub, tcp.acceptedFd(), READ | HANGUP, EVENT_NANOS);
        assertThat(r.ops(tcp.acceptedFd()) & (READ | HANGUP)).as("a TCP socket whose peer closed: %s", r)
                .isNotZero();
        assertThat(Fds.read(tcp.acceptedFd(), new byte[8])).as("read() after the peer closed (0 = end of stream)")
                .isZero();
    }

    @Rule(id = "R26", title = "TCP and Unix socket peer close: HANGUP is reported",
            check = "that a socket's hangup (POLLHUP/POLLRDHUP) is mapped to HANGUP")
    @Optional(Feature.HANGUP)
    void r26SocketPeerCloseHangup() throws IOException {
        Hub hub = fx.open();
        TckFixture.Tcp tcp = fx.tcp();
        hub.register(tcp.acceptedFd(), READ);
        tcp.client().close();
        PollResult r = pollUntil(hub, tcp.acceptedFd(), HANGUP, EVENT_NANOS);
        assertThat(r.has(tcp.acceptedFd(), HANGUP)).as("HANGUP for a TCP socket whose peer closed: %s", r).isTrue();
        int[] s = fx.socketPair();
        hub.register(s[0], READ);
        fx.closeNow(s[1]);
        r = pollUntil(hub, s[0], HANGUP, EVENT_NANOS);
        assertThat(r.has(s[0], HANGUP)).as("HANGUP for a Unix socket whose peer closed: %s", r).isTrue();
    }

    @Rule(id = "R27", title = "TCP reset (SO_LINGER 0): the other end is reported ready and its read fails",
            check = "that a TCP reset is reported (READ, ERROR or HANGUP)")
    @Required
    void r27TcpReset() throws IOException {
        Hub hub = fx.open();
        TckFixture.Tcp tcp = fx.tcp();
        hub.register(tcp.acceptedFd(), READ);
        expectSilentFullTimeout(fx.poll(hub, QUIET_NANOS), "an idle TCP connection");
        TckFixture.setLingerZero(tcp.client());
        tcp.client().close();
        PollResult r = pollUntil(hub, tcp.acceptedFd(), READ | ERROR | HANGUP, EVENT_NANOS);
        assertThat(r.ops(tcp.acceptedFd())).as("a TCP socket reset by its peer: %s", r).isNotZero();
        assertThatThrownBy(() -> Fds.read(tcp.acceptedFd(), new byte[8])).as("read() of a reset connection")
                .isInstanceOf(IOException.class);
    }

    @Rule(id = "R28", title = "TCP reset (SO_LINGER 0): ERROR is reported",
            check = "that a TCP reset's POLLERR is mapped to ERROR")
    @Optional(Feature.SOCKET_ERROR)
    void r28TcpResetError() throws IOException {
        Hub hub = fx.open();
        TckFixture.Tcp tcp = fx.tcp();
        hub.register(tcp.acceptedFd(), READ);
        TckFixture.setLingerZero(tcp.client());
        tcp.client().close();
        PollResult r = pollUntil(hub, tcp.acceptedFd(), ERROR, EVENT_NANOS);
        assertThat(r.has(tcp.acceptedFd(), ERROR)).as("ERROR for a TCP socket reset by its peer: %s", r).isTrue();
    }
}
