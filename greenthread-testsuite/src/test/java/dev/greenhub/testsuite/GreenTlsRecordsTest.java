package dev.greenhub.testsuite;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.greenhub.Green;
import dev.greenhub.GreenThread;
import dev.greenhub.Scheduler;
import dev.greenhub.net.GreenNet;
import dev.greenhub.net.GreenServerSocket;
import dev.greenhub.net.GreenSocket;
import dev.greenhub.net.GreenTls;
import dev.greenhub.net.GreenTlsServerSocket;
import dev.greenhub.net.GreenTlsSocket;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.security.cert.CertificateExpiredException;
import java.time.Duration;
import java.util.Arrays;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.SSLParameters;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Green TLS records cut at every byte (the engine's BUFFER_UNDERFLOW at each step of the
 * handshake, the data and close_notify), records larger than the reader's buffer, and an expired
 * certificate, on every hub; from eventlet's tests/ssl_test.py (test_ssl_close, test_sendall, and
 * its bad-certificate cases, here with a certificate expired ten days ago).
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class GreenTlsRecordsTest {
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

    /**
     * Copies {@code from} to {@code to} one byte per write, so every TLS record arrives in pieces;
     * stops when either side ends (a peer that closed after its close_notify may reset the last
     * bytes, which only a TLS 1.2 close_notify answer can be).
     */
    private static long dribble(GreenSocket from, GreenSocket to) throws IOException {
        ByteBuffer one = ByteBuffer.allocate(1);
        long n = 0;
        while (true) {
            one.clear();
            if (from.read(one) < 0) {
                try {
                    to.shutdownOutput();
                } catch (IOException gone) {
                    // the other side has closed already
                }
                return n;
            }
            one.flip();
            try {
                to.writeAll(one);
            } catch (IOException gone) {
                return n;
            }
            n++;
            if (n % 64 == 0) {
                Green.sleep(); // let the reader see a partial record
            }
        }
    }

    @ParameterizedTest
    @MethodSource("dev.greenhub.testsuite.EveryHub#hubs")
    void recordsCutAtEveryByteArriveWholeBothWays(String hub) throws Exception {
        byte[] request = new byte[40_000];
        byte[] response = new byte[70_000];
        new Random(14).nextBytes(request);
        new Random(41).nextBytes(response);
        for (String protocol : new String[] {"TLSv1.3", "TLSv1.2"}) {
            try (Scheduler s = Scheduler.open(hub);
                 GreenTlsServerSocket server = GreenTls.listen(LOCAL, serverContext, null);
                 GreenServerSocket proxy = GreenNet.listen(LOCAL)) {
                GreenThread<byte[]> serving = Green.spawn(() -> {
                    try (GreenTlsSocket c = server.accept()) {
                        byte[] got = c.getInputStream().readNBytes(request.length);
                        c.writeAll(response);
                        c.shutdownOutput(); // close_notify, cut in pieces too
                        return got;
                    }
                });
                GreenThread<long[]> relay = Green.spawn(() -> {
                    try (GreenSocket in = proxy.accept();
                         GreenSocket out = GreenNet.connect(server.localAddress())) {
                        GreenThread<Long> back = Green.spawn(() -> dribble(out, in));
                        long forward = dribble(in, out);
                        return new long[] {forward, back.get()};
                    }
                });
                SSLParameters p = clientContext.getDefaultSSLParameters();
                p.setProtocols(new String[] {protocol});
                try (GreenTlsSocket client = GreenTls.connect(proxy.localAddress(), clientContext, p,
                        Duration.ofSeconds(30))) {
                    assertThat(client.session().getProtocol()).isEqualTo(protocol);
                    client.writeAll(request);
                    byte[] got = client.getInputStream().readAllBytes(); // ends at close_notify
                    assertThat(Arrays.equals(got, response)).as(protocol + ": every byte of the response").isTrue();
                    assertThat(Arrays.equals(serving.get(), request)).as(protocol + ": every byte of the request")
                            .isTrue();
                }
                long[] relayed = relay.get();
                assertThat(relayed[0]).isGreaterThan(request.length);
                assertThat(relayed[1]).isGreaterThan(response.length);
            }
        }
    }

    /** A reader with a one-byte buffer takes a 16 KiB record in as many reads, none lost. */
    @ParameterizedTest
    @MethodSource("dev.greenhub.testsuite.EveryHub#hubs")
    void recordsLargerThanTheReadersBufferAreHandedOutInPieces(String hub) throws Exception {
        byte[] data = new byte[3 * 16_384 + 7];
        new Random(7).nextBytes(data);
        try (Scheduler s = Scheduler.open(hub);
             GreenTlsServerSocket server = GreenTls.listen(LOCAL, serverContext, null)) {
            GreenThread<Void> serving = Green.spawn(() -> {
                try (GreenTlsSocket c = server.accept()) {
                    c.writeAll(data);
                    c.shutdownOutput();
                }
                return null;
            });
            try (GreenTlsSocket client = GreenTls.connect(server.localAddress(), clientContext, null,
                    Duration.ofSeconds(30))) {
                ByteBuffer one = ByteBuffer.allocate(1);
                byte[] got = new byte[data.length];
                int n = 0;
                while (true) {
                    one.clear();
                    int r = client.read(one);
                    if (r < 0) {
                        break;
                    }
                    assertThat(r).isEqualTo(1);
                    got[n++] = one.get(0);
                }
                assertThat(n).isEqualTo(data.length);
                assertThat(Arrays.equals(got, data)).isTrue();
                assertThat(client.read(one.clear())).isEqualTo(-1); // the end stays the end
            }
            serving.get();
        }
    }

    /** An expired certificate (issued by a trusted CA) is refused by the client. */
    @ParameterizedTest
    @MethodSource("dev.greenhub.testsuite.EveryHub#hubs")
    void anExpiredCertificateFailsTheClientsHandshake(String hub) throws Exception {
        try (Scheduler s = Scheduler.open(hub);
             GreenTlsServerSocket server = GreenTls.listen(LOCAL, TlsCerts.server(certs.expired), null)) {
            GreenThread<Throwable> serving = Green.spawn(() -> {
                try (GreenTlsSocket conn = server.accept()) {
                    conn.handshake();
                    return null;
                } catch (IOException e) {
                    return e;
                }
            });
            assertThatThrownBy(() -> GreenTls.connect(server.localAddress(), clientContext, null,
                    Duration.ofSeconds(30)))
                    .isInstanceOf(SSLHandshakeException.class)
                    .satisfies(e -> {
                        Throwable c = e;
                        while (c != null && !(c instanceof CertificateExpiredException)) {
                            c = c.getCause();
                        }
                        assertThat(c).as("a CertificateExpiredException in the causes of " + e).isNotNull();
                    });
            assertThat(serving.get()).isInstanceOf(SSLException.class); // the client's alert reached it
            // the same CA's valid chain would be accepted: the refusal is the date, not the issuer
            assertThat(certs.ca).isNotNull();
        }
    }
}
