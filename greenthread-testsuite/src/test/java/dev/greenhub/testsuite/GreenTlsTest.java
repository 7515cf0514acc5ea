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
import dev.greenhub.net.GreenTls;
import dev.greenhub.net.GreenTlsServerSocket;
import dev.greenhub.net.GreenTlsSocket;
import dev.greenhub.net.StopServe;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import javax.net.ssl.ExtendedSSLSession;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SNIServerName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.SSLParameters;
import org.junit.jupiter.api.BeforeAll;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Green TLS on every hub; ported from eventlet's tests/ssl_test.py (and test_wrap_ssl of
 * tests/convenience_test.py), each test naming its source.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class GreenTlsTest {
    static final InetSocketAddress LOCAL = new InetSocketAddress("127.0.0.1", 0);
    static TlsCerts certs;
    static SSLContext serverContext;
    static SSLContext clientContext;

    @BeforeAll
    static void certificates() throws Exception {
        certs = TlsCerts.get();
        serverContext = TlsCerts.server(certs.good);
        clientContext = certs.client();
    }

    static SSLParameters protocol(SSLContext context, String protocol) {
        SSLParameters p = context.getDefaultSSLParameters();
        p.setProtocols(new String[] {protocol});
        return p;
    }

    static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }

    static byte[] readN(GreenTlsSocket s, int n) throws IOException {
        ByteBuffer b = ByteBuffer.allocate(n);
        while (b.hasRemaining()) {
            if (s.read(b) < 0) {
                break;
            }
        }
        return Arrays.copyOf(b.array(), b.position());
    }

    static byte[] readToEnd(GreenTlsSocket s) throws IOException {
        return s.getInputStream().readAllBytes();
    }

    // ssl_test.py test_duplex_response, test_ssl_context (CERT_REQUIRED + check_hostname)
    @ParameterizedTest
    @MethodSource("dev.greenhub.testsuite.EveryHub#hubs")
    void duplexResponseWithTheHostNameChecked(String hub) throws Exception {
        try (Scheduler s = Scheduler.open(hub);
             GreenTlsServerSocket server = GreenTls.listen(LOCAL, serverContext, null)) {
            GreenThread<byte[]> serving = Green.spawn(() -> {
                try (GreenTlsSocket c = server.accept()) {
                    byte[] got = readN(c, 18);
                    c.writeAll(bytes("response"));
                    return got;
                }
            });
            try (GreenTlsSocket client = GreenTls.connect(server.localAddress(), clientContext, null, null)) {
                assertThat(client.session().getPeerCertificates()).hasSize(1);
                client.writeAll(bytes("line 1\r\nline 2\r\n\r\n"));
                assertThat(readN(client, 8)).isEqualTo(bytes("response"));
            }
            assertThat(serving.get()).isEqualTo(bytes("line 1\r\nline 2\r\n\r\n"));
        }
    }

    // ssl_test.py test_ssl_close: the server reads b'' after the client's close_notify
    // ssl_test.py test_greensslobject: the client reads the content, then b''
    @ParameterizedTest
    @MethodSource("dev.greenhub.testsuite.EveryHub#hubs")
    void closeNotifyEndsTheStreamBothWays(String hub) throws Exception {
        try (Scheduler s = Scheduler.open(hub);
             GreenTlsServerSocket server = GreenTls.listen(LOCAL, serverContext, null)) {
            GreenThread<byte[]> serving = Green.spawn(() -> {
                try (GreenTlsSocket c = server.accept()) {
                    byte[] got = readToEnd(c);
                    c.writeAll(bytes("content"));
                    c.shutdownOutput();
                    return got;
                }
            });
            try (GreenTlsSocket client = GreenTls.connect(server.localAddress(), clientContext,
                    protocol(clientContext, "TLSv1.3"), null)) {
                client.writeAll(bytes("X"));
                client.shutdownOutput();
                assertThat(readToEnd(client)).isEqualTo(bytes("content"));
                assertThat(client.read(ByteBuffer.allocate(1))).isEqualTo(-1);
            }
            assertThat(serving.get()).isEqualTo(bytes("X"));
        }
    }

    // half-close: TLS 1.3 lets the side that received close_notify go on writing; TLS 1.2 does not
    @ParameterizedTest
    @MethodSource("dev.greenhub.testsuite.EveryHub#hubs")
    void halfCloseOnTls12EndsBothDirections(String hub) throws Exception {
        try (Scheduler s = Scheduler.open(hub);
             GreenTlsServerSocket server = GreenTls.listen(LOCAL, serverContext, null)) {
            GreenThread<Throwable> serving = Green.spawn(() -> {
                try (GreenTlsSocket c = server.accept()) {
                    assertThat(readToEnd(c)).isEqualTo(bytes("request"));
                    try {
                        c.writeAll(bytes("late"));
                        return null;
                    } catch (SocketException e) {
                        return e;
                    }
                }
            });
            try (GreenTlsSocket client = GreenTls.connect(server.localAddress(), clientContext,
                    protocol(clientContext, "TLSv1.2"), null)) {
                assertThat(client.session().getProtocol()).isEqualTo("TLSv1.2");
                client.writeAll(bytes("request"));
                client.shutdownOutput();
                assertThat(readToEnd(client)).isEmpty();
            }
            assertThat(serving.get()).isInstanceOf(SocketException.class)
                    .hasMessageContaining("TLS output").hasMessageContaining("closed");
        }
    }

    // ssl_test.py test_recv_after_ssl_connect
    // ssl_test.py test_receiving_doesnt_block_if_there_is_already_decrypted_buffered_data
    @ParameterizedTest
    @MethodSource("dev.greenhub.testsuite.EveryHub#hubs")
    void readsBufferedDecryptedBytesWithoutWaitingForTheSocket(String hub) throws Exception {
        try (Scheduler s = Scheduler.open(hub);
             GreenTlsServerSocket server = GreenTls.listen(LOCAL, serverContext, null)) {
            dev.greenhub.Event<Void> clientDone = new dev.greenhub.Event<>();
            GreenThread<Void> serving = Green.spawn(() -> {
                try (GreenTlsSocket c = server.accept()) {
                    c.writeAll(bytes("hjkxy")); // one record
                    clientDone.await(); // the connection stays open meanwhile
                }
                return null;
            });
            try (GreenTlsSocket client = GreenTls.connect(server.localAddress(), clientContext, null, null)) {
                client.plain().setReadTimeout(Duration.ofSeconds(20)); // a wait would fail, not hang
                assertThat(readN(client, 3)).isEqualTo(bytes("hjk"));
                assertThat(readN(client, 1)).isEqualTo(bytes("x"));
                byte[] one = new byte[1];
                assertThat(client.read(one, 0, 1)).isEqualTo(1);
                assertThat(one).isEqualTo(bytes("y"));
            } finally {
                clientDone.send(null);
            }
            serving.get();
        }
    }

    // greenio_test.py test_full_duplex and test_sendall (on TLS); ssl_test.py test_sendall_cpu_usage
    // (large sendall over small socket buffers; here every byte is checked instead of the CPU)
    @ParameterizedTest
    @MethodSource("dev.greenhub.testsuite.EveryHub#hubs")
    void fullDuplexLargeTransfersWithEveryByteChecked(String hub) throws Exception {
        byte[] up = GreenSocketTest.pattern(1, 1_000_003);
        byte[] down = GreenSocketTest.pattern(2, 777_777);
        try (Scheduler s = Scheduler.open(hub);
             GreenTlsServerSocket server = GreenTls.listen(LOCAL, serverContext, null)) {
            GreenThread<byte[]> serving = Green.spawn(() -> {
                try (GreenTlsSocket c = server.accept()) {
                    c.plain().setOption(java.net.StandardSocketOptions.SO_SNDBUF, 4096);
                    GreenThread<Void> writer = Green.spawn(() -> {
                        c.writeAll(down);
                        c.shutdownOutput();
                        return null;
                    });
                    byte[] got = readN(c, up.length + 1);
                    writer.get();
                    return got;
                }
            });
            try (GreenTlsSocket client = GreenTls.connect(server.localAddress(), clientContext,
                    protocol(clientContext, "TLSv1.3"), null)) {
                // small send buffers on both sides make every record go out in pieces; a small
                // receive buffer would instead stall each piece 200 ms on loopback (its window never
                // opens to the 64 KiB MSS, so the sender waits for its persist timer): 45 s a run
                client.plain().setOption(java.net.StandardSocketOptions.SO_SNDBUF, 4096);
                GreenThread<byte[]> reader = Green.spawn(() -> readN(client, down.length + 1));
                client.writeAll(up);
                client.shutdownOutput();
                assertThat(reader.get()).isEqualTo(down);
            }
            assertThat(serving.get()).isEqualTo(up);
        }
    }

    // ssl_test.py test_no_handshake_block_accept_loop, convenience_test.py test_wrap_ssl
    // and a peer that stops mid-handshake: a timeout, not a hang
    @ParameterizedTest
    @MethodSource("dev.greenhub.testsuite.EveryHub#hubs")
    void aSilentClientTimesOutItsHandshakeWithoutBlockingTheAcceptLoop(String hub) throws Exception {
        try (Scheduler s = Scheduler.open(hub);
             GreenServerSocket plain = GreenNet.listen(LOCAL)) {
            List<Throwable> reported = new CopyOnWriteArrayList<>();
            s.setExceptionReporter((what, e) -> reported.add(e));
            GreenTlsServerSocket server = GreenTlsServerSocket.over(plain, serverContext, null);
            server.setHandshakeTimeout(Duration.ofMillis(300));
            GreenThread<Void> serving = Green.spawn(() -> {
                GreenTls.serve(server, c -> {
                    byte[] name = readN(c, 4);
                    c.writeAll(bytes("hello " + new String(name, StandardCharsets.US_ASCII)));
                    if (Arrays.equals(name, bytes("stop"))) {
                        throw new StopServe();
                    }
                });
                return null;
            });
            // the evil client never sends a ClientHello; the good one is served meanwhile
            try (GreenSocket evil = GreenNet.connect(server.localAddress())) {
                try (GreenTlsSocket good = GreenTls.connect(server.localAddress(), clientContext, null, null)) {
                    good.writeAll(bytes("good"));
                    assertThat(readN(good, 10)).isEqualTo(bytes("hello good"));
                }
                // the evil one's handshake times out on the server, which closes it: we read the end
                evil.setReadTimeout(Duration.ofSeconds(20));
                assertThat(evil.read(ByteBuffer.allocate(1))).isEqualTo(-1);
            }
            assertThat(reported).hasSize(1);
            assertThat(reported.get(0)).hasRootCauseInstanceOf(IoTimeoutException.class);
            try (GreenTlsSocket stop = GreenTls.connect(server.localAddress(), clientContext, null, null)) {
                stop.writeAll(bytes("stop"));
                assertThat(readN(stop, 10)).isEqualTo(bytes("hello stop"));
            }
            serving.get();
        }
    }

    @ParameterizedTest
    @MethodSource("dev.greenhub.testsuite.EveryHub#hubs")
    void aPeerThatStopsMidHandshakeGivesATimeout(String hub) throws Exception {
        try (Scheduler s = Scheduler.open(hub);
             GreenServerSocket plain = GreenNet.listen(LOCAL)) {
            // a "server" that reads the ClientHello and then says nothing
            GreenThread<Integer> silent = Green.spawn(() -> {
                try (GreenSocket c = plain.accept()) {
                    int n = c.read(ByteBuffer.allocate(16_384));
                    Green.sleep(Duration.ofSeconds(30));
                    return n;
                }
            });
            long start = System.nanoTime();
            assertThatThrownBy(() -> GreenTls.connect(plain.localAddress(), clientContext, null,
                    Duration.ofMillis(200)))
                    .isInstanceOf(IoTimeoutException.class).hasMessageContaining("handshake");
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(20));
            silent.kill();

            // and a client that connects and says nothing: the server's handshake times out
            GreenThread<Throwable> server = Green.spawn(() -> {
                try (GreenTlsSocket c = GreenTlsSocket.server(plain.accept(), serverContext, null)) {
                    c.setHandshakeTimeout(Duration.ofMillis(200));
                    c.handshake();
                    return null;
                } catch (IOException e) {
                    return e;
                }
            });
            try (GreenSocket mute = GreenNet.connect(plain.localAddress())) {
                assertThat(server.get()).isInstanceOf(IoTimeoutException.class);
                assertThat(mute.isOpen()).isTrue();
            }
        }
    }

    // bad certificates fail the handshake on both sides (the client's alert reaches the server).
    // Not here: an expired certificate. A self-signed certificate trusted directly is a trust
    // anchor, whose validity PKIX does not check; that needs a CA-signed one.
    @ParameterizedTest
    @MethodSource("dev.greenhub.testsuite.EveryHub#hubs")
    void badCertificatesFailTheHandshake(String hub) throws Exception {
        record Case(String name, SSLContext server, Class<? extends Throwable> rootCause, String message) { }
        List<Case> cases = List.of(
                new Case("untrusted", TlsCerts.server(certs.untrusted),
                        java.security.GeneralSecurityException.class, ""),
                new Case("wrong name", TlsCerts.server(certs.wrongName),
                        java.security.cert.CertificateException.class, "127.0.0.1"));
        try (Scheduler s = Scheduler.open(hub)) {
            for (Case c : cases) {
                try (GreenTlsServerSocket server = GreenTls.listen(LOCAL, c.server(), null)) {
                    GreenThread<Throwable> serving = Green.spawn(() -> {
                        try (GreenTlsSocket conn = server.accept()) {
                            conn.handshake();
                            return null;
                        } catch (IOException e) {
                            return e;
                        }
                    });
                    assertThatThrownBy(() -> GreenTls.connect(server.localAddress(), clientContext, null,
                            Duration.ofSeconds(20)))
                            .as(c.name()).isInstanceOf(SSLHandshakeException.class)
                            .rootCause().isInstanceOf(c.rootCause()).hasMessageContaining(c.message());
                    assertThat(serving.get()).as(c.name()).isInstanceOf(SSLException.class);
                }
            }
        }
    }

    // SNI and ALPN pass through SSLParameters
    @ParameterizedTest
    @MethodSource("dev.greenhub.testsuite.EveryHub#hubs")
    void sniAndAlpnPassThrough(String hub) throws Exception {
        SSLParameters serverParams = serverContext.getDefaultSSLParameters();
        serverParams.setApplicationProtocols(new String[] {"h2", "http/1.1"});
        serverParams.setSNIMatchers(List.of(SNIHostName.createSNIMatcher("localhost")));
        try (Scheduler s = Scheduler.open(hub);
             GreenTlsServerSocket server = GreenTls.listen(LOCAL, serverContext, serverParams)) {
            GreenThread<List<SNIServerName>> serving = Green.spawn(() -> {
                try (GreenTlsSocket c = server.accept()) {
                    c.handshake();
                    assertThat(c.applicationProtocol()).isEqualTo("http/1.1");
                    c.writeAll(bytes("ok"));
                    return ((ExtendedSSLSession) c.session()).getRequestedServerNames();
                }
            });
            SSLParameters p = clientContext.getDefaultSSLParameters();
            p.setServerNames(List.of(new SNIHostName("localhost")));
            p.setApplicationProtocols(new String[] {"http/1.1", "spdy/3"});
            p.setEndpointIdentificationAlgorithm("HTTPS");
            try (GreenTlsSocket client = GreenTls.connect(server.localAddress(), clientContext, p, null)) {
                assertThat(client.applicationProtocol()).isEqualTo("http/1.1");
                assertThat(readN(client, 2)).isEqualTo(bytes("ok"));
            }
            assertThat(serving.get()).containsExactly(new SNIHostName("localhost"));
        }
    }

    // renegotiation on TLS 1.2 (a new session, data before and after); on TLS 1.3 a KeyUpdate
    @ParameterizedTest
    @MethodSource("dev.greenhub.testsuite.EveryHub#hubs")
    void renegotiatesOnTls12AndUpdatesKeysOnTls13(String hub) throws Exception {
        for (String protocol : List.of("TLSv1.2", "TLSv1.3")) {
            try (Scheduler s = Scheduler.open(hub);
                 GreenTlsServerSocket server = GreenTls.listen(LOCAL, serverContext, null)) {
                Green.spawn(() -> {
                    try (GreenTlsSocket c = server.accept()) {
                        ByteBuffer buf = ByteBuffer.allocate(1000);
                        while (c.read(buf) >= 0) {
                            buf.flip();
                            c.writeAll(buf);
                            buf.clear();
                        }
                        c.shutdownOutput();
                    }
                    return null;
                });
                try (GreenTlsSocket client = GreenTls.connect(server.localAddress(), clientContext,
                        protocol(clientContext, protocol), null)) {
                    assertThat(client.session().getProtocol()).isEqualTo(protocol);
                    byte[] before = GreenSocketTest.pattern(3, 5000);
                    client.writeAll(before);
                    assertThat(readN(client, before.length)).isEqualTo(before);
                    byte[] id = client.session().getId();
                    client.session().invalidate(); // a full handshake, so a new session
                    client.renegotiate();
                    byte[] after = GreenSocketTest.pattern(4, 70_000);
                    GreenThread<byte[]> reader = Green.spawn(() -> readN(client, after.length));
                    client.writeAll(after);
                    assertThat(reader.get()).isEqualTo(after);
                    if (protocol.equals("TLSv1.2")) {
                        assertThat(client.session().getId()).as("a new session after renegotiation")
                                .isNotEqualTo(id);
                    }
                    client.shutdownOutput();
                    assertThat(readN(client, 1)).isEmpty();
                }
            }
        }
    }

    // the peer closing TCP without close_notify is reported (eventlet's suppress_ragged_eofs is not)
    @ParameterizedTest
    @MethodSource("dev.greenhub.testsuite.EveryHub#hubs")
    void aCloseWithoutCloseNotifyIsReportedAsTruncation(String hub) throws Exception {
        try (Scheduler s = Scheduler.open(hub);
             GreenServerSocket plain = GreenNet.listen(LOCAL)) {
            Green.spawn(() -> {
                GreenSocket raw = plain.accept();
                GreenTlsSocket c = GreenTlsSocket.server(raw, serverContext, null);
                c.writeAll(bytes("partial"));
                raw.close(); // no close_notify
                return null;
            });
            try (GreenTlsSocket client = GreenTls.connect(plain.localAddress(), clientContext, null, null)) {
                assertThat(readN(client, 7)).isEqualTo(bytes("partial"));
                assertThatThrownBy(() -> client.read(ByteBuffer.allocate(10)))
                        .isInstanceOf(SSLException.class).hasMessageContaining("close_notify");
            }
        }
    }

    // ssl_test.py test_context_wrapped_accept / test_explicit_keys_accept: TLS over an existing
    // listener, and over a Unix-domain socket, with many connections at once
    @ParameterizedTest
    @MethodSource("dev.greenhub.testsuite.EveryHub#hubs")
    void serveEchoesManyTlsConnectionsOverAUnixSocket(String hub) throws Exception {
        java.nio.file.Path dir = java.nio.file.Files.createTempDirectory("greenhub-tls-unix");
        java.net.UnixDomainSocketAddress path = java.net.UnixDomainSocketAddress.of(dir.resolve("s"));
        try (Scheduler s = Scheduler.open(hub)) {
            GreenTlsServerSocket server = GreenTlsServerSocket.over(GreenNet.listen(path), serverContext, null);
            GreenThread<Void> serving = Green.spawn(() -> {
                GreenTls.serve(server, c -> {
                    ByteBuffer buf = ByteBuffer.allocate(4096);
                    while (c.read(buf) >= 0) {
                        buf.flip();
                        c.writeAll(buf);
                        buf.clear();
                    }
                    c.shutdownOutput();
                }, 50);
                return null;
            });
            List<GreenThread<Boolean>> clients = new ArrayList<>();
            for (int i = 0; i < 20; i++) {
                int id = i;
                clients.add(Green.spawn(() -> {
                    byte[] sent = GreenSocketTest.pattern(100 + id, 10_000 + id * 100);
                    SSLParameters p = clientContext.getDefaultSSLParameters();
                    p.setServerNames(List.of(new SNIHostName("localhost")));
                    p.setEndpointIdentificationAlgorithm("HTTPS");
                    try (GreenTlsSocket c = GreenTlsSocket.client(GreenNet.connect(path), clientContext, p,
                            "localhost")) {
                        c.writeAll(sent);
                        c.shutdownOutput();
                        return Arrays.equals(sent, readToEnd(c));
                    }
                }));
            }
            for (GreenThread<Boolean> c : clients) {
                assertThat(c.get()).isTrue();
            }
            serving.kill(new StopServe());
            serving.get();
            server.close();
            assertThat(java.nio.file.Files.exists(dir.resolve("s"))).as("socket file removed").isFalse();
        } finally {
            java.nio.file.Files.deleteIfExists(dir.resolve("s"));
            java.nio.file.Files.delete(dir);
        }
    }
}
