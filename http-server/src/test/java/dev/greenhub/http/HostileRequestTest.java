package dev.greenhub.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Malformed and hostile requests, on every hub: each gets its status and a closed connection,
 * and a well-behaved client is served meanwhile.
 */
@Timeout(90)
class HostileRequestTest {
    static final HttpLimits SMALL = HttpLimits.DEFAULTS.withMaxRequestLineBytes(256).withMaxHeaderBytes(1024)
            .withMaxHeaderCount(10).withMaxBodyBytes(1000).withHeaderTimeout(Duration.ofSeconds(1))
            .withIdleTimeout(Duration.ofSeconds(1));

    /** Sends {@code request}; returns the response the server sent before closing. */
    private static String answer(GreenHttpServer server, String request) throws Exception {
        String r = TestServers.exchangeUntilClose(server, request);
        // whatever happened, another client is served normally
        assertThat(TestServers.exchangeUntilClose(server, "GET /hello HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"))
                .startsWith("HTTP/1.1 200 ").endsWith("hello");
        return r;
    }

    private static void assertRejected(GreenHttpServer server, String request, int status) throws Exception {
        String r = answer(server, request);
        assertThat(r).as("answer to %s", request.length() > 200 ? request.substring(0, 200) + "..." : request)
                .startsWith("HTTP/1.1 " + status + " ").contains("Connection: close\r\n");
    }

    @ParameterizedTest
    @MethodSource("dev.greenhub.http.EveryHub#hubs")
    void limitsOnSizeAndCount(String hub) throws Exception {
        try (GreenHttpServer server = TestServers.start(hub, TestServers.ROUTES, SMALL, 1)) {
            assertRejected(server, "GET /" + "a".repeat(300) + " HTTP/1.1\r\nHost: x\r\n\r\n", 414);
            assertRejected(server, "GET / HTTP/1.1\r\nHost: x\r\nX-Long: " + "b".repeat(300) + "\r\n\r\n", 431);
            StringBuilder many = new StringBuilder("GET / HTTP/1.1\r\nHost: x\r\n");
            for (int i = 0; i < 11; i++) {
                many.append("X-").append(i).append(": v\r\n");
            }
            assertRejected(server, many + "\r\n", 431);
            StringBuilder big = new StringBuilder("GET / HTTP/1.1\r\nHost: x\r\n");
            for (int i = 0; i < 8; i++) {
                big.append("X-").append(i).append(": ").append("c".repeat(200)).append("\r\n");
            }
            assertRejected(server, big + "\r\n", 431);
            assertRejected(server, "POST /digest HTTP/1.1\r\nHost: x\r\nContent-Length: 1001\r\n\r\n", 413);
            assertRejected(server, "POST /digest HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n"
                    + "3E8\r\n" + "d".repeat(1000) + "\r\n1\r\ne\r\n0\r\n\r\n", 413);
        }
    }

    @ParameterizedTest
    @MethodSource("dev.greenhub.http.EveryHub#hubs")
    void malformedRequests(String hub) throws Exception {
        try (GreenHttpServer server = TestServers.start(hub, TestServers.ROUTES, SMALL, 1)) {
            assertRejected(server, "GET\r\n\r\n", 400);
            assertRejected(server, "GET /hello\r\nHost: x\r\n\r\n", 400);
            assertRejected(server, "GET /hello HTTQ/1.1\r\nHost: x\r\n\r\n", 400);
            assertRejected(server, "G(T /hello HTTP/1.1\r\nHost: x\r\n\r\n", 400);
            assertRejected(server, "GET /he\u0001llo HTTP/1.1\r\nHost: x\r\n\r\n", 400);
            assertRejected(server, "GET /hello HTTP/2.0\r\nHost: x\r\n\r\n", 505);
            assertRejected(server, "GET /hello HTTP/1.1\r\n\r\n", 400); // no Host
            assertRejected(server, "GET /hello HTTP/1.1\r\nHost: x\r\n folded\r\n\r\n", 400);
            assertRejected(server, "GET /hello HTTP/1.1\r\nHost : x\r\n\r\n", 400);
            assertRejected(server, "GET /hello HTTP/1.1\r\nHost: x\r\nExpect: teapot\r\n\r\n", 417);
            assertRejected(server, "POST /digest HTTP/1.1\r\nHost: x\r\nContent-Length: 1x\r\n\r\n", 400);
            assertRejected(server, "POST /digest HTTP/1.1\r\nHost: x\r\nContent-Length: -1\r\n\r\n", 400);
            // chunk sizes
            String chunked = "POST /digest HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n";
            assertRejected(server, chunked + "zz\r\nhello\r\n0\r\n\r\n", 400);
            assertRejected(server, chunked + "\r\nhello\r\n0\r\n\r\n", 400);
            assertRejected(server, chunked + "ffffffffffffffffff\r\n", 400);
            assertRejected(server, chunked + "5\r\nhelloXX0\r\n\r\n", 400);
            assertRejected(server, chunked + "-5\r\nhello\r\n0\r\n\r\n", 400);
        }
    }

    @ParameterizedTest
    @MethodSource("dev.greenhub.http.EveryHub#hubs")
    void ambiguousFramingIsRejected(String hub) throws Exception {
        try (GreenHttpServer server = TestServers.start(hub, TestServers.ROUTES, SMALL, 1)) {
            // each would let a proxy and this server disagree on where the request ends
            assertRejected(server, "POST /digest HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\n"
                    + "Transfer-Encoding: chunked\r\n\r\n0\r\n\r\n", 400);
            assertRejected(server, "POST /digest HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n"
                    + "Content-Length: 5\r\n\r\n0\r\n\r\n", 400);
            assertRejected(server, "POST /digest HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\n"
                    + "Content-Length: 5\r\n\r\nhello", 400);
            assertRejected(server, "POST /digest HTTP/1.1\r\nHost: x\r\nContent-Length: 5, 5\r\n\r\nhello", 400);
            assertRejected(server, "POST /digest HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: gzip, chunked\r\n\r\n", 501);
            assertRejected(server, "POST /digest HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n"
                    + "Transfer-Encoding: chunked\r\n\r\n0\r\n\r\n", 501);
            assertRejected(server, "GET /hello HTTP/1.1\r\nHost: x\r\nHost: y\r\n\r\n", 400);
        }
    }

    @ParameterizedTest
    @MethodSource("dev.greenhub.http.EveryHub#hubs")
    void idleKeepAliveConnectionIsClosedWithoutAResponse(String hub) throws Exception {
        try (GreenHttpServer server = TestServers.start(hub, TestServers.ROUTES, SMALL, 1);
             Socket s = TestServers.connect(server)) {
            s.getOutputStream().write("GET /hello HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            assertThat(TestServers.readResponse(s.getInputStream())).endsWith("hello");
            // then nothing: the server closes after the idle timeout, sending nothing more
            assertThat(s.getInputStream().read()).isEqualTo(-1);
        }
    }

    @ParameterizedTest
    @MethodSource("dev.greenhub.http.EveryHub#hubs")
    void slowlorisGets408WhileOthersAreServed(String hub) throws Exception {
        try (GreenHttpServer server = TestServers.start(hub, TestServers.ROUTES, SMALL, 1)) {
            List<Socket> lorises = new ArrayList<>();
            try {
                for (int i = 0; i < 5; i++) {
                    Socket s = TestServers.connect(server);
                    s.getOutputStream().write("GET /hello HTTP/1.1\r\n".getBytes(StandardCharsets.US_ASCII));
                    lorises.add(s);
                }
                // the trickle: a header byte at a time, never the end of the head; each byte is
                // progress, so only the whole-head deadline can stop it
                StringBuilder seen = new StringBuilder();
                Socket first = lorises.get(0);
                first.setSoTimeout(100);
                while (true) {
                    try {
                        first.getOutputStream().write('X');
                    } catch (java.io.IOException closedByServer) {
                        break;
                    }
                    assertThat(answer(server, "GET /hello HTTP/1.1\r\nHost: x\r\n\r\n")).endsWith("hello");
                    try {
                        int c = first.getInputStream().read();
                        if (c < 0) {
                            break;
                        }
                        seen.append((char) c);
                        first.setSoTimeout(TestServers.SOCKET_TIMEOUT_MS);
                        seen.append(TestServers.readToClose(first));
                        break;
                    } catch (java.net.SocketTimeoutException stillWaiting) {
                        // go on trickling
                    }
                }
                assertThat(seen.toString()).startsWith("HTTP/1.1 408 ");
                for (Socket s : lorises.subList(1, lorises.size())) {
                    assertThat(TestServers.readToClose(s)).startsWith("HTTP/1.1 408 ");
                }
            } finally {
                for (Socket s : lorises) {
                    s.close();
                }
            }
        }
    }

    @ParameterizedTest
    @MethodSource("dev.greenhub.http.EveryHub#hubs")
    void connectionsOverTheCapGet503(String hub) throws Exception {
        try (GreenHttpServer server = TestServers.start(hub, TestServers.ROUTES,
                SMALL.withMaxConnections(3).withIdleTimeout(Duration.ofSeconds(60)), 2)) {
            List<Socket> held = new ArrayList<>();
            try {
                for (int i = 0; i < 3; i++) {
                    Socket s = TestServers.connect(server);
                    s.getOutputStream().write("GET /hello HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
                    assertThat(TestServers.readResponse(s.getInputStream())).endsWith("hello"); // admitted, kept open
                    held.add(s);
                }
                String refused = TestServers.exchangeUntilClose(server, "GET /hello HTTP/1.1\r\nHost: x\r\n\r\n");
                assertThat(refused).startsWith("HTTP/1.1 503 ").contains("Connection: close");
                // the held connections are still served
                OutputStream out = held.get(0).getOutputStream();
                out.write("GET /hello HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
                InputStream in = held.get(0).getInputStream();
                assertThat(TestServers.readResponse(in)).endsWith("hello");
                held.remove(0).close();
                // a slot is free once the server has seen that close: a client retries until admitted
                String admitted;
                do {
                    admitted = TestServers.exchangeUntilClose(server, "GET /hello HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
                } while (admitted.startsWith("HTTP/1.1 503 "));
                assertThat(admitted).startsWith("HTTP/1.1 200 ");
            } finally {
                for (Socket s : held) {
                    s.close();
                }
            }
        }
    }
}
