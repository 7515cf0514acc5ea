package dev.greenhub.tck;

import static dev.greenhub.hub.Readiness.ERROR;
import static dev.greenhub.hub.Readiness.HANGUP;
import static dev.greenhub.hub.Readiness.READ;
import static dev.greenhub.hub.Readiness.WRITE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.fail;

import dev.greenhub.hub.Availability;
import dev.greenhub.hub.Hub;
import dev.greenhub.hub.HubProvider;
import dev.greenhub.hub.Readiness;
import dev.greenhub.nativeio.Fds;
import dev.greenhub.nativeio.Native;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The greenhub compatibility kit: the rules every {@link Hub} must follow, as JUnit 5 tests.
 *
 * <h2>Running it against your hub with JUnit</h2>
 * Extend this class in your hub's test sources and return your provider:
 * <pre>{@code
 * class MyHubTckTest extends HubTck {
 *     @Override
 *     protected HubProvider provider() {
 *         return new MyHubProvider();
 *     }
 * }
 * }</pre>
 * The test JVM needs greenhub's flags ({@code --enable-native-access=ALL-UNNAMED
 * --add-opens java.base/java.io=ALL-UNNAMED --add-opens java.base/sun.nio.ch=ALL-UNNAMED
 * --add-opens java.base/java.lang=ALL-UNNAMED}); the kit reads fd numbers of JDK socket channels,
 * uses jnr for pipes, and runs greenthread-core's green threads (virtual threads with a custom
 * scheduler) for the scheduler rules.
 *
 * <h2>Capabilities</h2>
 * The kit asks {@link #capabilities()} what to expect: by default
 * {@link HubCapabilities#load(HubProvider)}, which reads
 * {@code META-INF/greenhub/tck/<provider name>.properties} from your provider's class loader. A
 * rule marked {@link Optional} checks a {@link Feature} your hub may lack; if your capabilities
 * say it lacks it, the rule is skipped with that reason. Rules marked {@link Required} always run.
 *
 * <h2>Running it from the command line</h2>
 * {@code java -cp <class path> dev.greenhub.tck.Tck --hub NAME} runs the same rules against the
 * provider named NAME found on the class path; see {@link Tck}.
 *
 * <h2>What each rule does</h2>
 * Each rule is one test, named {@code "Rnn meaning [required]"} or
 * {@code "Rnn meaning [optional: FEATURE]"}. It opens its own hub(s), pipes, socket pairs and
 * loopback TCP sockets, closes them when it ends, and fails if a pipe, socket or
 * anonymous-inode fd (an eventfd, an epoll instance) is left open afterwards, since that is a hub
 * leaking its native fds. Every poll the kit makes is checked for what all polls must respect:
 * reported fds are registered, readiness is non-zero and made of READ/WRITE/ERROR/HANGUP, READ and
 * WRITE are reported only when asked for, each fd at most once per call, and the return value is
 * the number of reports. A poll that a broken hub would never end is ended by a watchdog pipe
 * that becomes readable after a few seconds, so rules fail instead of hanging; each rule is also
 * bounded by a {@link Timeout}. Timing rules check exact lower bounds ("never early") and
 * generous upper bounds; no rule measures speed.
 *
 * <p>The scheduler rules (R55 on, titled {@code "scheduler: ..."}) run greenthread-core's
 * {@link dev.greenhub.Scheduler} on a hub of the provider ({@code Scheduler.open(provider)}, bound
 * to the rule's thread and closed before the rule ends): sleep and timer precision and order,
 * green threads resumed by fd readiness through the core, wakeups from other threads, and the
 * release of the hub when the scheduler closes.
 *
 * <p>Rules run one at a time on one instance (per-class lifecycle), in rule-id order.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.DisplayName.class)
@ExtendWith(FeatureCondition.class)
@Timeout(value = 30, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
public abstract class HubTck {
    /** How long a poll that expects nothing waits. */
    private static final long QUIET_NANOS = ms(100);
    /** The timeout of a poll that expects an event (it returns as soon as the event is there). */
    private static final long EVENT_NANOS = ms(5_000);
    /** The slack allowed on top of every upper time bound: the machine may be slow and busy. */
    private static final long MARGIN_NANOS = ms(2_000);
    /** When the watchdog ends a poll that should have returned by itself. */
    private static final Duration RESCUE_AFTER = Duration.ofSeconds(5);

    private TckFixture fx;
    private HubCapabilities capabilities;

    /** Subclasses are created by JUnit. */
    protected HubTck() {
    }

    /**
     * The provider whose hubs the rules test. Called once per rule; may return a new instance
     * each time.
     *
     * @return the provider
     */
    protected abstract HubProvider provider();

    /**
     * What the rules may expect of the provider's hubs. The default reads the provider's
     * capability resource with {@link HubCapabilities#load(HubProvider)}; override to declare them
     * in code with {@link HubCapabilities#builder(int)}.
     *
     * @return the capabilities
     */
    protected HubCapabilities capabilities() {
        return HubCapabilities.load(provider());
    }

    final HubCapabilities resolvedCapabilities() {
        if (capabilities == null) {
            capabilities = capabilities();
        }
        return capabilities;
    }

    @BeforeEach
    final void openFixture() {
        fx = new TckFixture(provider());
    }

    @AfterEach
    final void closeFixture() throws Exception {
        TckFixture f = fx;
        fx = null;
        if (f != null) {
            f.close();
        }
    }

    // ---------------------------------------------------------------- provider

    @Test
    @Required
    @DisplayName("R01 provider: availability() says available and open() returns an open, empty hub [required]")
    void r01ProviderOpens() throws IOException {
        HubProvider provider = fx.provider();
        Availability availability = provider.availability();
        assertThat(availability).as("availability()").isNotNull();
        assertThat(availability.available()).as("availability() of %s: %s", provider.name(), availability.reason())
                .isTrue();
        Hub hub = fx.open();
        assertThat(hub.isClosed()).as("isClosed() of a new hub").isFalse();
        assertThat(hub.registeredCount()).as("registeredCount() of a new hub").isZero();
        assertThat(hub.fdLimit()).as("fdLimit()").isPositive();
        int[] p = fx.pipe();
        assertThat(hub.interest(p[0])).as("interest() of an fd never registered").isZero();
        PollResult r = fx.poll(hub, 0);
        assertThat(r.returned()).as("poll(0) of an empty hub: %s", r).isZero();
    }

    @Test
    @Required
    @DisplayName("R02 provider: name() of a hub is its provider's name, also after close() [required]")
    void r02NameMatchesProvider() throws IOException {
        HubProvider provider = fx.provider();
        String name = provider.name();
        assertThat(name).as("provider name").isNotBlank().doesNotContainAnyWhitespaces().isLowerCase();
        Hub hub = fx.open();
        assertThat(hub.name()).as("hub.name()").isEqualTo(name);
        hub.close();
        assertThat(hub.name()).as("hub.name() after close()").isEqualTo(name);
    }

    @Test
    @Required
    @DisplayName("R03 provider: fdLimit() is the limit the capabilities declare, the same for every hub [required]")
    void r03FdLimitAsDeclared() throws IOException {
        Hub a = fx.open();
        Hub b = fx.open();
        assertThat(a.fdLimit()).as("fdLimit() of %s hub vs capabilities (%s)", a.name(), resolvedCapabilities())
                .isEqualTo(resolvedCapabilities().fdLimit());
        assertThat(b.fdLimit()).as("fdLimit() of a second hub").isEqualTo(a.fdLimit());
        a.close();
        assertThat(a.fdLimit()).as("fdLimit() after close()").isEqualTo(b.fdLimit());
    }

    // ---------------------------------------------------------------- readiness

    @Test
    @Required
    @DisplayName("R04 pipe: the read end is reported READ once data is written, not before [required]")
    void r04PipeRead() throws IOException {
        Hub hub = fx.open();
        int[] p = fx.pipe();
        hub.register(p[0], READ);
        expectSilent(fx.poll(hub, QUIET_NANOS), "an empty pipe's read end");
        TckFixture.writeByte(p[1]);
        PollResult r = fx.poll(hub, EVENT_NANOS);
        expectOnly(r, p[0], READ, "the read end of a pipe holding one byte");
    }

    @Test
    @Required
    @DisplayName("R05 pipe: the write end of an empty pipe is reported WRITE [required]")
    void r05PipeWrite() throws IOException {
        Hub hub = fx.open();
        int[] p = fx.pipe();
        hub.register(p[1], WRITE);
        PollResult r = fx.poll(hub, EVENT_NANOS);
        expectOnly(r, p[1], WRITE, "the write end of an empty pipe");
    }

    @Test
    @Required
    @DisplayName("R06 pipe: a full pipe's write end is silent until the reader drains it, then WRITE [required]")
    void r06PipeFullThenDrained() throws IOException {
        Hub hub = fx.open();
        int[] p = fx.pipe();
        TckFixture.fill(p[1]);
        hub.register(p[1], WRITE);
        expectSilent(fx.poll(hub, QUIET_NANOS), "the write end of a full pipe");
        TckFixture.drain(p[0]);
        expectOnly(fx.poll(hub, EVENT_NANOS), p[1], WRITE, "the write end of a drained pipe");
    }

    @Test
    @Required
    @DisplayName("R07 level-triggered: a still-readable fd is reported again by every poll [required]")
    void r07LevelTriggered() throws IOException {
        Hub hub = fx.open();
        int[] p = fx.pipe();
        TckFixture.writeByte(p[1]);
        hub.register(p[0], READ);
        for (int i = 1; i <= 3; i++) {
            PollResult r = fx.poll(hub, EVENT_NANOS);
            assertThat(r.has(p[0], READ)).as("poll #%d of an unread readable fd: %s", i, r).isTrue();
        }
        int[] w = fx.pipe();
        hub.register(w[1], WRITE);
        for (int i = 1; i <= 3; i++) {
            PollResult r = fx.poll(hub, EVENT_NANOS);
            assertThat(r.has(w[1], WRITE)).as("poll #%d of a still-writable fd: %s", i, r).isTrue();
        }
    }

    @Test
    @Required
    @DisplayName("R08 level-triggered: once its data is read, a read end is no longer reported [required]")
    void r08SilentAfterDrain() throws IOException {
        Hub hub = fx.open();
        int[] p = fx.pipe();
        TckFixture.writeByte(p[1]);
        hub.register(p[0], READ);
        expectOnly(fx.poll(hub, EVENT_NANOS), p[0], READ, "a pipe holding one byte");
        assertThat(TckFixture.drain(p[0])).as("bytes read back").isEqualTo(1);
        expectSilent(fx.poll(hub, QUIET_NANOS), "a drained pipe");
    }

    @Test
    @Required
    @DisplayName("R09 socket pair: READ after the peer writes, WRITE while the send buffer has room [required]")
    void r09SocketPair() throws IOException {
        Hub hub = fx.open();
        int[] s = fx.socketPair();
        hub.register(s[0], READ);
        expectSilent(fx.poll(hub, QUIET_NANOS), "an idle socket registered for READ");
        TckFixture.writeByte(s[1]);
        expectOnly(fx.poll(hub, EVENT_NANOS), s[0], READ, "a socket whose peer wrote a byte");
        hub.unregister(s[0]);
        hub.register(s[1], WRITE);
        expectOnly(fx.poll(hub, EVENT_NANOS), s[1], WRITE, "a socket with an empty send buffer");
    }

    @Test
    @Required
    @DisplayName("R10 TCP: a listening socket is reported READ when a connection is pending [required]")
    void r10TcpAccept() throws IOException {
        Hub hub = fx.open();
        ServerSocketChannel server = fx.listen();
        int fd = Fds.fdOf(server);
        hub.register(fd, READ);
        expectSilent(fx.poll(hub, QUIET_NANOS), "a listening socket with no pending connection");
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

    @Test
    @Required
    @DisplayName("R11 TCP: the completion of a non-blocking connect is reported as WRITE [required]")
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

    @Test
    @Required
    @DisplayName("R12 TCP: READ when the peer sends, WRITE while the send buffer has room [required]")
    void r12TcpReadWrite() throws IOException {
        Hub hub = fx.open();
        TckFixture.Tcp tcp = fx.tcp();
        hub.register(tcp.acceptedFd(), READ);
        expectSilent(fx.poll(hub, QUIET_NANOS), "an idle TCP socket registered for READ");
        tcp.client().write(ByteBuffer.wrap(TckFixture.ONE_BYTE));
        expectOnly(pollUntil(hub, tcp.acceptedFd(), READ, EVENT_NANOS), tcp.acceptedFd(), READ,
                "a TCP socket whose peer sent a byte");
        hub.unregister(tcp.acceptedFd());
        hub.register(tcp.clientFd(), WRITE);
        expectOnly(fx.poll(hub, EVENT_NANOS), tcp.clientFd(), WRITE, "a connected TCP socket with room to send");
    }

    @Test
    @Required
    @DisplayName("R13 no event without readiness: idle pipes, sockets and a full pipe stay silent [required]")
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
            expectSilent(fx.poll(hub, QUIET_NANOS), "seven idle fds");
        }
    }

    @Test
    @Required
    @DisplayName("R14 interest mask: a readable and writable fd reports READ and WRITE only as asked [required]")
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

    @Test
    @Required
    @DisplayName("R15 both interests: a readable and writable fd is reported READ|WRITE in one report [required]")
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

    @Test
    @Required
    @DisplayName("R16 register on a registered fd replaces its interest (not adds to it) [required]")
    void r16RegisterReplacesInterest() throws IOException {
        Hub hub = fx.open();
        int[] s = fx.socketPair();
        TckFixture.writeByte(s[1]);
        hub.register(s[0], READ);
        hub.register(s[0], WRITE);
        assertThat(hub.interest(s[0])).as("interest() after READ then WRITE").isEqualTo(WRITE);
        assertThat(hub.registeredCount()).as("registeredCount() after registering one fd twice").isEqualTo(1);
        expectOnly(fx.poll(hub, EVENT_NANOS), s[0], WRITE, "a readable, writable socket re-registered for WRITE");
        hub.register(s[0], READ);
        assertThat(hub.interest(s[0])).as("interest() after WRITE then READ").isEqualTo(READ);
        expectOnly(fx.poll(hub, EVENT_NANOS), s[0], READ, "a readable, writable socket re-registered for READ");
    }

    @Test
    @Required
    @DisplayName("R17 changing interest: a writable idle fd switched from WRITE to READ goes silent [required]")
    void r17ChangeInterestSilences() throws IOException {
        Hub hub = fx.open();
        int[] s = fx.socketPair();
        hub.register(s[0], WRITE);
        expectOnly(fx.poll(hub, EVENT_NANOS), s[0], WRITE, "a writable socket registered for WRITE");
        hub.register(s[0], READ);
        expectSilent(fx.poll(hub, QUIET_NANOS), "a writable, unreadable socket switched to READ");
        hub.register(s[0], READ | WRITE);
        expectOnly(fx.poll(hub, EVENT_NANOS), s[0], WRITE, "the same socket switched to READ|WRITE");
    }

    @Test
    @Required
    @DisplayName("R18 unregister: the fd is no longer reported while the other fds still are [required]")
    void r18Unregister() throws IOException {
        Hub hub = fx.open();
        int[] a = fx.pipe();
        int[] b = fx.pipe();
        TckFixture.writeByte(a[1]);
        TckFixture.writeByte(b[1]);
        hub.register(a[0], READ);
        hub.register(b[0], READ);
        PollResult r = fx.poll(hub, EVENT_NANOS);
        assertThat(r.reported().keySet()).as("two readable pipes: %s", r).containsExactlyInAnyOrder(a[0], b[0]);
        hub.unregister(a[0]);
        for (int i = 0; i < 2; i++) {
            expectOnly(fx.poll(hub, EVENT_NANOS), b[0], READ, "one of two readable pipes after the other's unregister");
        }
        hub.unregister(b[0]);
        expectSilent(fx.poll(hub, QUIET_NANOS), "two readable pipes, both unregistered");
    }

    @Test
    @Required
    @DisplayName("R19 registeredCount() and interest() follow register and unregister [required]")
    void r19CountAndInterest() throws IOException {
        Hub hub = fx.open();
        int[] a = fx.pipe();
        int[] b = fx.socketPair();
        assertThat(hub.registeredCount()).as("registeredCount() at first").isZero();
        hub.register(a[0], READ);
        hub.register(a[1], WRITE);
        hub.register(b[0], READ | WRITE);
        assertThat(hub.registeredCount()).as("registeredCount() after three registrations").isEqualTo(3);
        assertThat(hub.interest(a[0])).as("interest(read end)").isEqualTo(READ);
        assertThat(hub.interest(a[1])).as("interest(write end)").isEqualTo(WRITE);
        assertThat(hub.interest(b[0])).as("interest(socket)").isEqualTo(READ | WRITE);
        assertThat(hub.interest(b[1])).as("interest(an fd never registered)").isZero();
        hub.register(b[0], READ);
        assertThat(hub.registeredCount()).as("registeredCount() after re-registering an fd").isEqualTo(3);
        hub.unregister(a[1]);
        assertThat(hub.registeredCount()).as("registeredCount() after one unregister").isEqualTo(2);
        assertThat(hub.interest(a[1])).as("interest() of an unregistered fd").isZero();
        fx.poll(hub, 0);
        assertThat(hub.registeredCount()).as("registeredCount() after a poll").isEqualTo(2);
        hub.unregister(a[0]);
        hub.unregister(b[0]);
        assertThat(hub.registeredCount()).as("registeredCount() after unregistering everything").isZero();
    }

    @Test
    @Required
    @DisplayName("R20 poll returns the number of fds it reported, each once, with its readiness [required]")
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

    // ---------------------------------------------------------------- peer close

    @Test
    @Required
    @DisplayName("R21 pipe writer closed: the read end is reported (READ or HANGUP) and reads end of stream [required]")
    void r21PipeWriterClosed() throws IOException {
        Hub hub = fx.open();
        int[] p = fx.pipe();
        hub.register(p[0], READ);
        expectSilent(fx.poll(hub, QUIET_NANOS), "an empty pipe");
        fx.closeNow(p[1]);
        PollResult r = pollUntil(hub, p[0], READ | HANGUP | ERROR, EVENT_NANOS);
        assertThat(r.ops(p[0]) & (READ | HANGUP)).as("a pipe whose writer closed: %s", r).isNotZero();
        assertThat(Fds.read(p[0], new byte[8])).as("read() after the writer closed (0 = end of stream)").isZero();
    }

    @Test
    @Optional(Feature.HANGUP)
    @DisplayName("R22 pipe writer closed: HANGUP is reported [optional: HANGUP]")
    void r22PipeWriterClosedHangup() throws IOException {
        Hub hub = fx.open();
        int[] p = fx.pipe();
        hub.register(p[0], READ);
        fx.closeNow(p[1]);
        PollResult r = pollUntil(hub, p[0], HANGUP, EVENT_NANOS);
        assertThat(r.has(p[0], HANGUP)).as("HANGUP for a pipe whose writer closed: %s", r).isTrue();
    }

    @Test
    @Required
    @DisplayName("R23 pipe reader closed: a writer waiting for WRITE on a full pipe is reported ready [required]")
    void r23PipeReaderClosed() throws IOException {
        Hub hub = fx.open();
        int[] p = fx.pipe();
        TckFixture.fill(p[1]);
        hub.register(p[1], WRITE);
        expectSilent(fx.poll(hub, QUIET_NANOS), "a full pipe's write end");
        fx.closeNow(p[0]);
        PollResult r = pollUntil(hub, p[1], WRITE | ERROR | HANGUP, EVENT_NANOS);
        assertThat(r.ops(p[1])).as("a full pipe's write end after its reader closed: %s", r).isNotZero();
    }

    @Test
    @Optional(Feature.SOCKET_ERROR)
    @DisplayName("R24 pipe reader closed: ERROR is reported to the writer [optional: SOCKET_ERROR]")
    void r24PipeReaderClosedError() throws IOException {
        Hub hub = fx.open();
        int[] p = fx.pipe();
        TckFixture.fill(p[1]);
        hub.register(p[1], WRITE);
        fx.closeNow(p[0]);
        PollResult r = pollUntil(hub, p[1], ERROR, EVENT_NANOS);
        assertThat(r.has(p[1], ERROR)).as("ERROR for a pipe whose reader closed: %s", r).isTrue();
    }

    @Test
    @Required
    @DisplayName("R25 TCP peer close: the other end is reported (READ or HANGUP) and reads end of stream [required]")
    void r25TcpPeerClose() throws IOException {
        Hub hub = fx.open();
        TckFixture.Tcp tcp = fx.tcp();
        hub.register(tcp.acceptedFd(), READ);
        expectSilent(fx.poll(hub, QUIET_NANOS), "an idle TCP connection");
        tcp.client().close();
        PollResult r = pollUntil(hub, tcp.acceptedFd(), READ | HANGUP, EVENT_NANOS);
        assertThat(r.ops(tcp.acceptedFd()) & (READ | HANGUP)).as("a TCP socket whose peer closed: %s", r)
                .isNotZero();
        assertThat(Fds.read(tcp.acceptedFd(), new byte[8])).as("read() after the peer closed (0 = end of stream)")
                .isZero();
    }

    @Test
    @Optional(Feature.HANGUP)
    @DisplayName("R26 TCP and Unix socket peer close: HANGUP is reported [optional: HANGUP]")
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

    @Test
    @Required
    @DisplayName("R27 TCP reset (SO_LINGER 0): the other end is reported ready and its read fails [required]")
    void r27TcpReset() throws IOException {
        Hub hub = fx.open();
        TckFixture.Tcp tcp = fx.tcp();
        hub.register(tcp.acceptedFd(), READ);
        expectSilent(fx.poll(hub, QUIET_NANOS), "an idle TCP connection");
        TckFixture.setLingerZero(tcp.client());
        tcp.client().close();
        PollResult r = pollUntil(hub, tcp.acceptedFd(), READ | ERROR | HANGUP, EVENT_NANOS);
        assertThat(r.ops(tcp.acceptedFd())).as("a TCP socket reset by its peer: %s", r).isNotZero();
        assertThatThrownBy(() -> Fds.read(tcp.acceptedFd(), new byte[8])).as("read() of a reset connection")
                .isInstanceOf(IOException.class);
    }

    @Test
    @Optional(Feature.SOCKET_ERROR)
    @DisplayName("R28 TCP reset (SO_LINGER 0): ERROR is reported [optional: SOCKET_ERROR]")
    void r28TcpResetError() throws IOException {
        Hub hub = fx.open();
        TckFixture.Tcp tcp = fx.tcp();
        hub.register(tcp.acceptedFd(), READ);
        TckFixture.setLingerZero(tcp.client());
        tcp.client().close();
        PollResult r = pollUntil(hub, tcp.acceptedFd(), ERROR, EVENT_NANOS);
        assertThat(r.has(tcp.acceptedFd(), ERROR)).as("ERROR for a TCP socket reset by its peer: %s", r).isTrue();
    }

    // ---------------------------------------------------------------- timeouts

    @Test
    @Required
    @DisplayName("R29 timeout zero: poll(0) does not block when nothing is ready [required]")
    void r29ZeroTimeoutDoesNotBlock() throws Exception {
        Hub hub = fx.open();
        int[] p = fx.pipe();
        hub.register(p[0], READ);
        TckFixture.Rescue rescue = fx.rescue(hub, RESCUE_AFTER);
        long start = System.nanoTime();
        for (int i = 0; i < 20; i++) {
            PollResult r = fx.poll(hub, 0);
            assertThat(rescue.fired()).as("poll(0) #%d blocked until the watchdog fired after %s", i + 1,
                    rescue.after()).isFalse();
            expectSilent(r, "idle fds polled with timeout 0");
        }
        long elapsed = System.nanoTime() - start;
        rescue.cancel();
        assertThat(elapsed).as("20 calls of poll(0) took %.1f ms", elapsed / 1e6).isLessThan(MARGIN_NANOS);
    }

    @Test
    @Required
    @DisplayName("R30 bounded timeout: poll never returns early (300 us, 1.5 ms, 10 ms, 50 ms, 120 ms) [required]")
    void r30BoundedTimeoutNeverEarly() throws Exception {
        Hub hub = fx.open();
        int[] p = fx.pipe();
        hub.register(p[0], READ);
        long resolution = resolvedCapabilities().timerResolution().toNanos();
        long[] timeouts = {300_000, 1_500_000, ms(10), ms(50), ms(120), 1_000, 999_999};
        for (long timeout : timeouts) {
            for (int i = 0; i < 3; i++) {
                PollResult r = fx.poll(hub, timeout);
                expectSilent(r, "an idle fd");
                assertThat(r.elapsedNanos()).as("%s: it must not return before its timeout", r)
                        .isGreaterThanOrEqualTo(timeout);
                assertThat(r.elapsedNanos()).as("%s: it must return after its timeout (allowed: timeout +"
                        + " resolution + %d ms)", r, MARGIN_NANOS / 1_000_000)
                        .isLessThanOrEqualTo(timeout + resolution + MARGIN_NANOS);
            }
        }
    }

    @Test
    @Required
    @DisplayName("R31 bounded timeout: a poll ends as soon as an fd is ready, before or during the wait [required]")
    void r31BoundedWaitEndsOnReadiness() throws Exception {
        Hub hub = fx.open();
        int[] p = fx.pipe();
        hub.register(p[0], READ);
        TckFixture.writeByte(p[1]);
        long longTimeout = ms(20_000);
        PollResult r = fx.poll(hub, longTimeout);
        expectOnly(r, p[0], READ, "an fd ready before a 20 s poll");
        assertThat(r.elapsedNanos()).as("%s with an fd already ready", r).isLessThan(MARGIN_NANOS);
        TckFixture.drain(p[0]);
        AtomicLong writtenAt = new AtomicLong();
        fx.start("writer", () -> writeAfter(p[1], 100, writtenAt));
        r = fx.poll(hub, longTimeout);
        expectOnly(r, p[0], READ, "an fd made ready 100 ms into a 20 s poll");
        assertThat(r.elapsedNanos()).as("%s: it should end soon after the write, not at its timeout", r)
                .isLessThan(ms(100) + EVENT_NANOS);
    }

    @Test
    @Required
    @DisplayName("R32 negative timeout: poll waits without limit until an fd is ready [required]")
    void r32NegativeTimeoutWaits() throws Exception {
        Hub hub = fx.open();
        int[] p = fx.pipe();
        hub.register(p[0], READ);
        TckFixture.Rescue rescue = fx.rescue(hub, Duration.ofSeconds(10));
        AtomicLong writtenAt = new AtomicLong();
        fx.start("writer", () -> writeAfter(p[1], 300, writtenAt));
        PollResult r = fx.poll(hub, -1);
        long returnedAt = System.nanoTime();
        assertThat(rescue.fired()).as("poll(-1) with a write after 300 ms ended only by the watchdog: %s", r)
                .isFalse();
        expectOnly(r, p[0], READ, "poll(-1) ended by a write from another thread");
        assertThat(writtenAt.get()).as("the write happened before poll(-1) returned: %s", r).isNotZero();
        assertThat(returnedAt - writtenAt.get()).as("poll(-1) returned before the write").isPositive();
        rescue.cancel();
    }

    // ---------------------------------------------------------------- wakeup

    @Test
    @Required
    @DisplayName("R33 wakeup() before poll: the next poll(-1) returns at once, reporting nothing [required]")
    void r33WakeupBeforePoll() throws Exception {
        Hub hub = fx.open();
        int[] p = fx.pipe();
        hub.register(p[0], READ);
        TckFixture.Rescue rescue = fx.rescue(hub, RESCUE_AFTER);
        hub.wakeup();
        PollResult r = fx.poll(hub, -1);
        assertThat(rescue.fired()).as("poll(-1) after wakeup() was ended only by the watchdog after %s: %s",
                rescue.after(), r).isFalse();
        expectSilent(r, "a poll ended by wakeup()");
        rescue.cancel();
    }

    @Test
    @Required
    @DisplayName("R34 wakeup() from another thread ends a poll(-1) under way [required]")
    void r34WakeupDuringPoll() throws Exception {
        Hub hub = fx.open();
        int[] p = fx.pipe();
        hub.register(p[0], READ);
        TckFixture.Rescue rescue = fx.rescue(hub, RESCUE_AFTER);
        AtomicLong wokenAt = new AtomicLong();
        fx.start("waker", () -> {
            TckFixture.sleepMillis(200);
            wokenAt.set(System.nanoTime());
            hub.wakeup();
        });
        PollResult r = fx.poll(hub, -1);
        long returnedAt = System.nanoTime();
        assertThat(rescue.fired()).as("poll(-1) with wakeup() 200 ms in was ended only by the watchdog: %s", r)
                .isFalse();
        expectSilent(r, "a poll ended by wakeup()");
        assertThat(wokenAt.get()).as("poll(-1) returned before wakeup() was called: %s", r).isNotZero();
        assertThat(returnedAt - wokenAt.get()).as("poll(-1) returned before wakeup()").isPositive();
        rescue.cancel();
    }

    @Test
    @Required
    @DisplayName("R35 coalescing: several wakeups make one poll return; the next poll blocks for its timeout [required]")
    void r35WakeupsCoalesce() throws Exception {
        Hub hub = fx.open();
        int[] p = fx.pipe();
        hub.register(p[0], READ);
        TckFixture.Rescue rescue = fx.rescue(hub, RESCUE_AFTER);
        for (int i = 0; i < 5; i++) {
            hub.wakeup();
        }
        PollResult first = fx.poll(hub, -1);
        assertThat(rescue.fired()).as("poll(-1) after 5 wakeups was ended only by the watchdog: %s", first)
                .isFalse();
        expectSilent(first, "a poll ended by wakeup()");
        rescue.cancel();
        for (int i = 0; i < 2; i++) {
            PollResult next = fx.poll(hub, QUIET_NANOS);
            expectSilent(next, "the poll after a coalesced wakeup");
            assertThat(next.elapsedNanos()).as("%s after 5 coalesced wakeups were consumed: it must block for"
                    + " its timeout", next).isGreaterThanOrEqualTo(QUIET_NANOS);
        }
    }

    @Test
    @Required
    @DisplayName("R36 wakeup() from many threads at once: polls return, wakeups coalesce, nothing is reported [required]")
    void r36WakeupFromManyThreads() throws Exception {
        Hub hub = fx.open();
        int[] p = fx.pipe();
        hub.register(p[0], READ);
        TckFixture.Rescue rescue = fx.rescue(hub, Duration.ofSeconds(15));
        int threads = 8;
        CountDownLatch started = new CountDownLatch(threads);
        AtomicBoolean stop = new AtomicBoolean();
        AtomicReference<Throwable> failure = new AtomicReference<>();
        AtomicLong calls = new AtomicLong();
        List<Thread> wakers = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            wakers.add(fx.start("waker-" + t, () -> {
                started.countDown();
                try {
                    while (!stop.get()) {
                        hub.wakeup();
                        calls.incrementAndGet();
                        Thread.onSpinWait();
                    }
                } catch (Throwable e) {
                    failure.compareAndSet(null, e);
                }
            }));
        }
        try {
            assertThat(started.await(10, TimeUnit.SECONDS)).as("waker threads started").isTrue();
            for (int i = 0; i < 50; i++) {
                PollResult r = fx.poll(hub, -1);
                assertThat(rescue.fired()).as("poll(-1) #%d while %d threads call wakeup() was ended only by the"
                        + " watchdog: %s", i + 1, threads, r).isFalse();
                expectSilent(r, "polls ended by wakeups");
            }
        } finally {
            stop.set(true);
            for (Thread t : wakers) {
                t.join(10_000);
            }
        }
        rescue.cancel();
        assertThat(failure.get()).as("an exception thrown by wakeup() in a waker thread").isNull();
        assertThat(calls.get()).as("wakeup() calls made").isGreaterThanOrEqualTo(threads);
        fx.poll(hub, 0); // consumes the last coalesced wakeup, if one is pending
        PollResult quiet = fx.poll(hub, QUIET_NANOS);
        expectSilent(quiet, "a poll after all wakers stopped");
        assertThat(quiet.elapsedNanos()).as("%s after %d wakeups from %d threads were consumed: it must block for"
                + " its timeout", quiet, calls.get(), threads).isGreaterThanOrEqualTo(QUIET_NANOS);
    }

    @Test
    @Required
    @DisplayName("R37 the wakeup is internal: not reported to the handler, not counted, not registered [required]")
    void r37WakeupNotReported() throws Exception {
        Hub hub = fx.open();
        hub.wakeup();
        PollResult r = fx.poll(hub, EVENT_NANOS);
        assertThat(r.returned()).as("poll of an empty hub after wakeup(): %s", r).isZero();
        assertThat(hub.registeredCount()).as("registeredCount() of an empty hub after wakeup()").isZero();
        int[] p = fx.pipe();
        TckFixture.writeByte(p[1]);
        hub.register(p[0], READ);
        hub.wakeup();
        r = fx.poll(hub, EVENT_NANOS);
        expectOnly(r, p[0], READ, "one readable fd polled after wakeup()");
        assertThat(hub.registeredCount()).as("registeredCount() with one fd after wakeup()").isEqualTo(1);
    }

    // ---------------------------------------------------------------- many fds

    @Test
    @Required
    @Timeout(value = 60, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    @DisplayName("R38 many fds: of manyFds registered fds exactly the ready subset is reported, then none [required]")
    void r38ManyFds() throws IOException {
        HubCapabilities caps = resolvedCapabilities();
        int wanted = caps.manyFds();
        long limit = Fds.raiseFdLimit(Fds.openFdCount() + wanted + 256L);
        Hub hub = fx.open();
        List<int[]> pipes = new ArrayList<>();
        int fds = 0;
        while (fds + 2 <= wanted) {
            int[] p;
            try {
                p = fx.pipe();
            } catch (IOException e) {
                throw new AssertionError("could not open " + wanted + " fds (opened " + fds + ", process fd limit "
                        + limit + "): " + e.getMessage(), e);
            }
            if (p[1] >= caps.fdLimit()) {
                break; // the hub's own limit is reached: use the fds below it
            }
            pipes.add(p);
            fds += 2;
        }
        assertThat(fds).as("fds below the hub's limit %d (many.fds %d)", caps.fdLimit(), wanted)
                .isGreaterThanOrEqualTo(Math.min(wanted, 900));
        for (int[] p : pipes) {
            hub.register(p[0], READ);
            hub.register(p[1], READ); // a pipe's write end is never readable: registered, always idle
        }
        assertThat(hub.registeredCount()).as("registeredCount()").isEqualTo(fds);
        Set<Integer> ready = new TreeSet<>();
        int step = Math.max(1, pipes.size() / 40);
        for (int i = 0; i < pipes.size(); i += step) {
            ready.add(pipes.get(i)[0]);
        }
        ready.add(pipes.getLast()[0]);
        for (int fd : ready) {
            TckFixture.writeByte(pipeOf(pipes, fd)[1]);
        }
        Set<Integer> seen = new TreeSet<>();
        PollResult r = null;
        for (int i = 0; i < 3 && !seen.containsAll(ready); i++) {
            r = fx.poll(hub, EVENT_NANOS);
            Set<Integer> extra = new TreeSet<>(r.reported().keySet());
            extra.removeAll(ready);
            assertThat(extra).as("fds reported that are not ready (poll #%d, %d registered)", i + 1, fds).isEmpty();
            seen.addAll(r.reported().keySet());
        }
        Set<Integer> missing = new TreeSet<>(ready);
        missing.removeAll(seen);
        assertThat(missing).as("ready fds (%d of %d registered) never reported in 3 polls; last %s", ready.size(),
                fds, r).isEmpty();
        for (int fd : ready) {
            TckFixture.drain(fd);
        }
        expectSilent(fx.poll(hub, QUIET_NANOS), fds + " registered idle fds");
        int lastWrite = pipes.getLast()[1];
        hub.register(lastWrite, WRITE);
        expectOnly(fx.poll(hub, EVENT_NANOS), lastWrite, WRITE, "the last of " + fds + " fds switched to WRITE");
    }

    // ---------------------------------------------------------------- closed fds and fd reuse

    @Test
    @Optional(Feature.CLOSED_FD_DETECTION)
    @DisplayName("R39 closed behind the hub's back: ERROR is reported for that fd, the other fds keep working [optional: CLOSED_FD_DETECTION]")
    void r39ClosedBehindBack() throws Exception {
        Hub hub = fx.open();
        int[] gone = fx.pipe();
        int[] other = fx.pipe();
        hub.register(gone[0], READ);
        hub.register(other[0], READ);
        TckFixture.writeByte(other[1]);
        expectOnly(fx.poll(hub, EVENT_NANOS), other[0], READ, "a readable pipe beside an idle one");
        fx.closeNow(gone[0]);
        long detection = resolvedCapabilities().closedFdDetection().toNanos();
        long deadline = System.nanoTime() + detection + MARGIN_NANOS;
        PollResult r;
        do {
            r = fx.poll(hub, ms(50));
            assertThat(r.has(other[0], READ)).as("the readable pipe beside a closed fd: %s", r).isTrue();
        } while (!r.has(gone[0], ERROR) && System.nanoTime() < deadline);
        assertThat(r.has(gone[0], ERROR)).as("ERROR for fd %d closed behind the hub's back, within the declared"
                + " detection delay %d ms + %d ms: %s", gone[0], detection / 1_000_000, MARGIN_NANOS / 1_000_000, r)
                .isTrue();
        PollResult again = fx.poll(hub, EVENT_NANOS);
        assertThat(again.has(gone[0], ERROR)).as("ERROR again by the next poll until it is unregistered: %s", again)
                .isTrue();
        assertThat(again.has(other[0], READ)).as("the readable pipe, in the same poll: %s", again).isTrue();
        hub.unregister(gone[0]);
        assertThat(hub.registeredCount()).as("registeredCount() after unregistering the closed fd").isEqualTo(1);
        expectOnly(fx.poll(hub, EVENT_NANOS), other[0], READ, "the remaining pipe after the closed fd's unregister");
    }

    @Test
    @Required
    @DisplayName("R40 closed behind the hub's back: unregister() succeeds and forgets the fd [required]")
    void r40UnregisterClosedFd() throws IOException {
        Hub hub = fx.open();
        int[] p = fx.pipe();
        int[] other = fx.pipe();
        hub.register(p[0], READ);
        hub.register(other[0], READ);
        fx.closeNow(p[0]);
        hub.unregister(p[0]);
        assertThat(hub.interest(p[0])).as("interest() of the closed fd after unregister").isZero();
        assertThat(hub.registeredCount()).as("registeredCount()").isEqualTo(1);
        TckFixture.writeByte(other[1]);
        expectOnly(fx.poll(hub, EVENT_NANOS), other[0], READ, "the remaining pipe");
    }

    @Test
    @Required
    @DisplayName("R41 fd reuse: a number closed behind the hub's back, reused and registered again reports the new fd only [required]")
    void r41FdReuseAfterCloseBehindBack() throws Exception {
        Hub hub = fx.open();
        int[] old = fx.pipe();
        int number = old[0];
        TckFixture.writeByte(old[1]);
        hub.register(number, READ);
        expectOnly(fx.poll(hub, EVENT_NANOS), number, READ, "the old pipe holding a byte");
        fx.closeNow(number);
        int[] fresh = fx.pipeWithReadEnd(number);
        hub.register(number, READ);
        assertThat(hub.interest(number)).as("interest() of the reused number").isEqualTo(READ);
        assertThat(hub.registeredCount()).as("registeredCount()").isEqualTo(1);
        for (int i = 0; i < 2; i++) {
            PollResult r = fx.poll(hub, QUIET_NANOS);
            assertThat(r.reported()).as("fd %d now an empty pipe (the old one held a byte): %s", number, r).isEmpty();
        }
        TckFixture.writeByte(fresh[1]);
        expectOnly(pollUntil(hub, number, READ, EVENT_NANOS), number, READ, "the new pipe with the reused number");
        TckFixture.drain(number);
        hub.unregister(number);
        assertThat(hub.registeredCount()).as("registeredCount() after unregister").isZero();
    }

    @Test
    @Required
    @DisplayName("R42 fd reuse: after unregister and close, a new fd with the old number is not watched until registered [required]")
    void r42FdReuseAfterUnregister() throws Exception {
        Hub hub = fx.open();
        int[] old = fx.pipe();
        int number = old[0];
        hub.register(number, READ);
        hub.unregister(number);
        fx.closeNow(number);
        int[] fresh = fx.pipeWithReadEnd(number);
        TckFixture.writeByte(fresh[1]);
        assertThat(hub.interest(number)).as("interest() of a reused number that was unregistered").isZero();
        int[] watched = fx.pipe();
        hub.register(watched[0], READ);
        expectSilent(fx.poll(hub, QUIET_NANOS), "an idle pipe beside an unregistered readable fd with a reused number");
        hub.register(number, READ);
        expectOnly(fx.poll(hub, EVENT_NANOS), number, READ, "the reused number once registered");
    }

    // ---------------------------------------------------------------- handler re-entrancy

    @Test
    @Required
    @DisplayName("R43 re-entrancy: a ready fd the handler unregisters is not reported later in the same poll [required]")
    void r43HandlerUnregistersOther() throws IOException {
        Hub hub = fx.open();
        int[] a = fx.pipe();
        int[] b = fx.pipe();
        TckFixture.writeByte(a[1]);
        TckFixture.writeByte(b[1]);
        hub.register(a[0], READ);
        hub.register(b[0], READ);
        int[] victim = {-1};
        PollResult r = fx.poll(hub, EVENT_NANOS, (fd, ops) -> {
            if (victim[0] < 0) {
                victim[0] = fd == a[0] ? b[0] : a[0];
                TckFixture.unchecked(() -> hub.unregister(victim[0]));
            }
        });
        assertThat(victim[0]).as("the handler ran").isNotNegative();
        assertThat(r.reportedFd(victim[0])).as("fd %d, unregistered by the handler, in the same poll: %s",
                victim[0], r).isFalse();
        assertThat(r.returned()).as("poll's count").isEqualTo(1);
        int survivor = victim[0] == a[0] ? b[0] : a[0];
        expectOnly(fx.poll(hub, EVENT_NANOS), survivor, READ, "the next poll");
    }

    @Test
    @Required
    @DisplayName("R44 re-entrancy: a ready fd the handler re-registers is not reported with its old readiness [required]")
    void r44HandlerReRegistersOther() throws IOException {
        Hub hub = fx.open();
        int[] a = fx.socketPair();
        int[] b = fx.socketPair();
        TckFixture.writeByte(a[1]);
        TckFixture.writeByte(b[1]); // a[0] and b[0] are readable and writable
        hub.register(a[0], READ);
        hub.register(b[0], READ);
        int[] changed = {-1};
        PollResult r = fx.poll(hub, EVENT_NANOS, (fd, ops) -> {
            if (changed[0] < 0) {
                changed[0] = fd == a[0] ? b[0] : a[0];
                TckFixture.unchecked(() -> hub.register(changed[0], WRITE));
            }
        });
        assertThat(changed[0]).as("the handler ran").isNotNegative();
        assertThat(r.ops(changed[0]) & READ).as("READ for fd %d after the handler switched it to WRITE, same poll:"
                + " %s", changed[0], r).isZero();
        PollResult next = fx.poll(hub, EVENT_NANOS);
        assertThat(next.ops(changed[0]) & (READ | WRITE)).as("the re-registered fd in the next poll: %s", next)
                .isEqualTo(WRITE);
    }

    @Test
    @Required
    @DisplayName("R45 re-entrancy: an fd the handler registers is reported by the next poll [required]")
    void r45HandlerRegisters() throws IOException {
        Hub hub = fx.open();
        int[] a = fx.pipe();
        int[] added = fx.pipe();
        TckFixture.writeByte(a[1]);
        TckFixture.writeByte(added[1]);
        hub.register(a[0], READ);
        fx.poll(hub, EVENT_NANOS, (fd, ops) -> {
            if (fd == a[0] && hub.interest(added[0]) == 0) {
                TckFixture.unchecked(() -> hub.register(added[0], READ));
            }
        });
        assertThat(hub.interest(added[0])).as("interest() of the fd the handler registered").isEqualTo(READ);
        assertThat(hub.registeredCount()).as("registeredCount()").isEqualTo(2);
        PollResult next = fx.poll(hub, EVENT_NANOS);
        assertThat(next.reported().keySet()).as("the next poll: %s", next).containsExactlyInAnyOrder(a[0], added[0]);
    }

    @Test
    @Required
    @DisplayName("R46 re-entrancy: an exception thrown by the handler propagates out of poll; the next poll reports all [required]")
    void r46HandlerException() throws IOException {
        Hub hub = fx.open();
        Set<Integer> ready = new TreeSet<>();
        for (int i = 0; i < 5; i++) {
            int[] p = fx.pipe();
            TckFixture.writeByte(p[1]);
            hub.register(p[0], READ);
            ready.add(p[0]);
        }
        IllegalStateException thrown = new IllegalStateException("thrown by the TCK's handler");
        assertThatThrownBy(() -> hub.poll(EVENT_NANOS, (fd, ops) -> {
            throw thrown;
        })).as("poll whose handler throws").isSameAs(thrown);
        assertThat(hub.isClosed()).as("isClosed() after a handler threw").isFalse();
        PollResult next = fx.poll(hub, EVENT_NANOS);
        assertThat(next.reported().keySet()).as("the poll after the handler threw: %s", next)
                .containsExactlyInAnyOrderElementsOf(ready);
    }

    // ---------------------------------------------------------------- bad input

    @Test
    @Required
    @DisplayName("R47 bad input: a negative fd is refused with IllegalArgumentException naming the fd [required]")
    void r47NegativeFd() throws IOException {
        Hub hub = fx.open();
        for (int fd : new int[] {-1, -7, Integer.MIN_VALUE}) {
            assertThatThrownBy(() -> hub.register(fd, READ)).as("register(%d, READ)", fd)
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining(String.valueOf(fd));
            assertThatThrownBy(() -> hub.unregister(fd)).as("unregister(%d)", fd)
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining(String.valueOf(fd));
        }
        assertThat(hub.registeredCount()).as("registeredCount() after refused registrations").isZero();
    }

    @Test
    @Required
    @DisplayName("R48 bad input: an fd at or beyond fdLimit() is refused with IllegalArgumentException naming the fd and the limit [required]")
    void r48FdBeyondLimit() throws IOException {
        Hub hub = fx.open();
        int limit = hub.fdLimit();
        List<Integer> bad = new ArrayList<>();
        bad.add(limit);
        if (limit < Integer.MAX_VALUE) {
            bad.add(limit + 1);
            if (limit <= Integer.MAX_VALUE - 1000) {
                bad.add(limit + 1000);
            }
        }
        for (int fd : bad) {
            assertThatThrownBy(() -> hub.register(fd, READ)).as("register(%d, READ) with fdLimit() %d", fd, limit)
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining(String.valueOf(fd));
            if (limit < Integer.MAX_VALUE) {
                assertThatThrownBy(() -> hub.register(fd, WRITE)).as("register(%d, WRITE)", fd)
                        .hasMessageContaining(String.valueOf(limit));
            }
            assertThatThrownBy(() -> hub.unregister(fd)).as("unregister(%d) with fdLimit() %d", fd, limit)
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining(String.valueOf(fd));
        }
        assertThat(hub.registeredCount()).as("registeredCount() after refused registrations").isZero();
        int[] p = fx.pipe();
        TckFixture.writeByte(p[1]);
        hub.register(p[0], READ);
        expectOnly(fx.poll(hub, EVENT_NANOS), p[0], READ, "a valid fd after refused ones");
    }

    @Test
    @Required
    @DisplayName("R49 bad input: interest 0, ERROR, HANGUP, 16 and -1 are refused; the registration is unchanged [required]")
    void r49BadInterest() throws IOException {
        Hub hub = fx.open();
        int[] p = fx.pipe();
        for (int interest : new int[] {0, ERROR, HANGUP, READ | ERROR, 16, -1}) {
            assertThatThrownBy(() -> hub.register(p[0], interest)).as("register(fd, %d)", interest)
                    .isInstanceOf(IllegalArgumentException.class);
        }
        assertThat(hub.registeredCount()).as("registeredCount() after refused registrations").isZero();
        hub.register(p[0], READ);
        assertThatThrownBy(() -> hub.register(p[0], 0)).as("register(fd, 0) of a registered fd")
                .isInstanceOf(IllegalArgumentException.class);
        assertThat(hub.interest(p[0])).as("interest() after a refused change").isEqualTo(READ);
        TckFixture.writeByte(p[1]);
        expectOnly(fx.poll(hub, EVENT_NANOS), p[0], READ, "the fd after a refused change");
    }

    @Test
    @Required
    @DisplayName("R50 bad input: unregistering an fd that is not registered throws IllegalArgumentException naming the fd [required]")
    void r50UnregisterUnknown() throws IOException {
        Hub hub = fx.open();
        int[] p = fx.pipe();
        assertThatThrownBy(() -> hub.unregister(p[0])).as("unregister of an open fd never registered")
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining(String.valueOf(p[0]));
        hub.register(p[0], READ);
        hub.unregister(p[0]);
        assertThatThrownBy(() -> hub.unregister(p[0])).as("a second unregister")
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining(String.valueOf(p[0]));
        assertThat(hub.registeredCount()).as("registeredCount()").isZero();
    }

    @Test
    @Required
    @DisplayName("R51 closed hub: every call but name/fdLimit/isClosed/close throws IllegalStateException; close is idempotent [required]")
    void r51UseAfterClose() throws IOException {
        Hub hub = fx.open();
        int[] p = fx.pipe();
        hub.register(p[0], READ);
        String name = hub.name();
        int limit = hub.fdLimit();
        hub.close();
        assertThat(hub.isClosed()).as("isClosed() after close()").isTrue();
        hub.close();
        assertThat(hub.isClosed()).as("isClosed() after a second close()").isTrue();
        assertThat(hub.name()).as("name() after close()").isEqualTo(name);
        assertThat(hub.fdLimit()).as("fdLimit() after close()").isEqualTo(limit);
        assertThatThrownBy(() -> hub.register(p[1], WRITE)).as("register after close")
                .isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> hub.register(-1, READ)).as("register(-1) after close (closed is checked first)")
                .isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> hub.unregister(p[0])).as("unregister after close")
                .isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> hub.interest(p[0])).as("interest after close")
                .isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(hub::registeredCount).as("registeredCount after close")
                .isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> hub.poll(0, (fd, ops) -> { })).as("poll after close")
                .isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(hub::wakeup).as("wakeup after close").isInstanceOf(IllegalStateException.class);
    }

    @Test
    @Required
    @DisplayName("R52 close() releases the hub's native fds, over several open/close cycles [required]")
    void r52CloseReleasesFds() throws IOException {
        HubProvider provider = fx.provider();
        int[] p = fx.pipe();
        try (Hub warmUp = provider.open()) {
            warmUp.register(p[0], READ);
            warmUp.wakeup();
            fx.poll(warmUp, 0);
        }
        int before = Fds.openFdCount();
        for (int cycle = 1; cycle <= 5; cycle++) {
            Hub hub = provider.open();
            try {
                hub.register(p[0], READ);
                hub.register(p[1], WRITE);
                hub.wakeup();
                fx.poll(hub, EVENT_NANOS);
                hub.wakeup();
            } finally {
                hub.close();
            }
            assertThat(Fds.openFdCount()).as("open fds after open/close cycle %d (before the first: %d)", cycle,
                    before).isEqualTo(before);
        }
        Hub many = provider.open();
        Hub more = provider.open();
        many.close();
        more.close();
        assertThat(Fds.openFdCount()).as("open fds after two hubs open at once were closed").isEqualTo(before);
    }

    @Test
    @Required
    @DisplayName("R53 close() does not close the registered fds [required]")
    void r53CloseKeepsRegisteredFds() throws IOException {
        Hub hub = fx.open();
        int[] p = fx.pipe();
        int[] s = fx.socketPair();
        hub.register(p[0], READ);
        hub.register(p[1], WRITE);
        hub.register(s[0], READ | WRITE);
        hub.close();
        for (int fd : new int[] {p[0], p[1], s[0]}) {
            assertThat(Fds.isOpen(fd)).as("fd %d, registered with the closed hub, is still open", fd).isTrue();
        }
        TckFixture.writeByte(p[1]);
        assertThat(TckFixture.drain(p[0])).as("bytes through the pipe after the hub closed").isEqualTo(1);
    }

    @Test
    @Required
    @DisplayName("R54 two hubs are independent: registrations and wakeups of one do not reach the other [required]")
    void r54HubsAreIndependent() throws Exception {
        Hub a = fx.open();
        Hub b = fx.open();
        int[] p = fx.pipe();
        TckFixture.writeByte(p[1]);
        a.register(p[0], READ);
        assertThat(b.interest(p[0])).as("interest() in the other hub").isZero();
        assertThat(b.registeredCount()).as("registeredCount() of the other hub").isZero();
        int[] q = fx.pipe();
        b.register(q[0], READ);
        a.wakeup();
        PollResult rb = fx.poll(b, QUIET_NANOS);
        expectSilent(rb, "hub b while hub a holds a readable fd and was woken up");
        assertThat(rb.elapsedNanos()).as("%s: a wakeup of another hub must not end it", rb)
                .isGreaterThanOrEqualTo(QUIET_NANOS);
        expectOnly(fx.poll(a, EVENT_NANOS), p[0], READ, "hub a");
        // The same fd in both hubs, with different interests.
        b.register(p[0], WRITE);
        expectOnly(fx.poll(a, EVENT_NANOS), p[0], READ, "hub a after hub b registered the fd for WRITE");
        expectSilent(fx.poll(b, QUIET_NANOS), "hub b: a pipe's read end is never writable");
    }

    // ---------------------------------------------------------------- the scheduler on this hub
    // greenthread-core's Scheduler runs on the hub under test; the bodies are in SchedulerRules.

    @Test
    @Required
    @DisplayName("R55 scheduler: sleep(d) in a green thread and on the carrier never returns before d, and within d plus a margin (200 us, 1.5 ms, 10 ms, 50 ms) [required]")
    void r55SchedulerSleepPrecision() throws Exception {
        schedulerRules().sleepPrecision();
    }

    @Test
    @Required
    @DisplayName("R56 scheduler: timers fire in deadline order, equal deadlines in scheduling order, none before its deadline [required]")
    void r56SchedulerTimerOrder() throws Exception {
        schedulerRules().timerOrder();
    }

    @Test
    @Required
    @DisplayName("R57 scheduler: a cancelled timer never fires, also when cancelled by another timer; the others all fire in order [required]")
    void r57SchedulerCancelledTimers() throws Exception {
        schedulerRules().cancelledTimersNeverFire();
    }

    @Test
    @Required
    @DisplayName("R58 scheduler: sleep(0) lets the other ready green threads run in order, and a green thread whose fd became ready [required]")
    void r58SchedulerSleepZeroYields() throws Exception {
        schedulerRules().sleepZeroYields();
    }

    @Test
    @Required
    @DisplayName("R59 scheduler: a green thread in trampoline(fd, READ) is resumed with READ when another thread writes a pipe or socket [required]")
    void r59SchedulerTrampolineRead() throws Exception {
        schedulerRules().trampolineRead();
    }

    @Test
    @Required
    @DisplayName("R60 scheduler: a green thread in trampoline(fd, WRITE) on a full pipe is resumed with WRITE when it is drained; READ|WRITE as ready [required]")
    void r60SchedulerTrampolineWrite() throws Exception {
        schedulerRules().trampolineWrite();
    }

    @Test
    @Required
    @DisplayName("R61 scheduler: trampoline with a deadline and no readiness returns 0 after the deadline, never before (300 us, 2 ms, 30 ms) [required]")
    void r61SchedulerTrampolineTimeout() throws Exception {
        schedulerRules().trampolineTimeout();
    }

    @Test
    @Required
    @DisplayName("R62 scheduler: data that arrived while a trampoline deadline fell due wins: READ, not 0 (eventlet #50, #55) [required]")
    void r62SchedulerReadinessWinsOverTimeout() throws Exception {
        schedulerRules().readinessWinsOverDueTimeout();
    }

    @Test
    @Required
    @DisplayName("R63 scheduler: execute() from a platform thread runs its task on the carrier promptly while the loop waits in poll [required]")
    void r63SchedulerForeignExecute() throws Exception {
        schedulerRules().foreignExecuteWakesTheLoop();
    }

    @Test
    @Required
    @DisplayName("R64 scheduler: 200 green threads waiting on 200 pipes are each resumed exactly once, with READ and their byte [required]")
    void r64SchedulerManyWaiters() throws Exception {
        schedulerRules().manyWaitersOnManyFds();
    }

    @Test
    @Required
    @DisplayName("R65 scheduler: close() ends its green threads, releases the hub's fds and keeps the watched fds open; later calls throw [required]")
    void r65SchedulerCloseReleasesHub() throws Exception {
        schedulerRules().closeReleasesTheHub();
    }

    @Test
    @Required
    @DisplayName("R66 scheduler: forgetFd wakes the fd's waiters with AsynchronousCloseException; a new fd with that number is watched afresh [required]")
    void r66SchedulerForgetFd() throws Exception {
        schedulerRules().forgetFdWakesWaiters();
    }

    // ---------------------------------------------------------------- helpers

    private SchedulerRules schedulerRules() {
        return new SchedulerRules(fx, resolvedCapabilities());
    }

    private static long ms(long millis) {
        return TimeUnit.MILLISECONDS.toNanos(millis);
    }

    private static void expectSilent(PollResult r, String what) {
        if (r.returned() != 0 || !r.reported().isEmpty()) {
            fail("nothing should be reported for " + what + ", but " + r);
        }
    }

    /** The poll reported {@code fd} and only it, with exactly {@code bits} of READ/WRITE. */
    private static void expectOnly(PollResult r, int fd, int bits, String what) {
        if (!r.reportedFd(fd)) {
            fail("fd " + fd + " should be reported " + Readiness.describe(bits) + " for " + what + ", but " + r);
        }
        if (r.reported().size() != 1) {
            fail("only fd " + fd + " should be reported for " + what + ", but " + r);
        }
        if ((r.ops(fd) & (READ | WRITE)) != bits) {
            fail("fd " + fd + " should be reported " + Readiness.describe(bits) + " for " + what + ", but " + r);
        }
    }

    /** Polls until {@code fd} is reported with one of {@code anyOf} or the time runs out. */
    private PollResult pollUntil(Hub hub, int fd, int anyOf, long withinNanos) throws IOException {
        long deadline = System.nanoTime() + withinNanos;
        PollResult r;
        do {
            r = fx.poll(hub, Math.max(0, Math.min(ms(200), deadline - System.nanoTime())));
        } while ((r.ops(fd) & anyOf) == 0 && System.nanoTime() < deadline);
        return r;
    }

    private static int[] pipeOf(List<int[]> pipes, int readFd) {
        for (int[] p : pipes) {
            if (p[0] == readFd) {
                return p;
            }
        }
        throw new IllegalArgumentException("no pipe with read end " + readFd);
    }

    private static void writeAfter(int fd, long millis, AtomicLong writtenAt) {
        TckFixture.sleepMillis(millis);
        try {
            writtenAt.set(System.nanoTime());
            TckFixture.writeByte(fd);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

}
