package dev.greenhub.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** HTTP/1.1 details checked on the wire with raw sockets, on every hub. */
@Timeout(60)
class RawProtocolTest {
    private static void send(Socket s, String text) throws Exception {
        s.getOutputStream().write(text.getBytes(StandardCharsets.ISO_8859_1));
        s.getOutputStream().flush();
    }

    @ParameterizedTest
    @MethodSource("dev.greenhub.http.EveryHub#hubs")
    void pipelinedRequestsAreAnsweredInOrder(String hub) throws Exception {
        try (GreenHttpServer server = TestServers.start(hub, TestServers.ROUTES, HttpLimits.DEFAULTS, 1);
             Socket s = TestServers.connect(server)) {
            StringBuilder all = new StringBuilder();
            for (int i = 0; i < 10; i++) {
                String body = "body-" + i;
                all.append("POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: ").append(body.length())
                        .append("\r\n\r\n").append(body);
            }
            all.append("GET /hello HTTP/1.1\r\nHost: x\r\n\r\n");
            send(s, all.toString()); // one write: eleven requests
            InputStream in = s.getInputStream();
            for (int i = 0; i < 10; i++) {
                String r = TestServers.readResponse(in);
                assertThat(r).startsWith("HTTP/1.1 200 OK\r\n").endsWith("\r\n\r\nbody-" + i);
            }
            assertThat(TestServers.readResponse(in)).endsWith("hello");
        }
    }

    @ParameterizedTest
    @MethodSource("dev.greenhub.http.EveryHub#hubs")
    void http10ClientsGetCloseOrKeepAliveAsAsked(String hub) throws Exception {
        try (GreenHttpServer server = TestServers.start(hub, TestServers.ROUTES, HttpLimits.DEFAULTS, 1)) {
            String closed = TestServers.exchangeUntilClose(server, "GET /hello HTTP/1.0\r\n\r\n");
            assertThat(closed).startsWith("HTTP/1.1 200 OK\r\n").contains("Connection: close\r\n").endsWith("hello");
            // an HTTP/1.0 body of unknown length ends with the connection, not chunked
            String streamed = TestServers.exchangeUntilClose(server,
                    "POST /echo HTTP/1.0\r\nTransfer-Encoding: chunked\r\n\r\n");
            assertThat(streamed).startsWith("HTTP/1.1 400 ");
            try (Socket s = TestServers.connect(server)) {
                send(s, "GET /hello HTTP/1.0\r\nConnection: keep-alive\r\n\r\n");
                String r = TestServers.readResponse(s.getInputStream());
                assertThat(r).contains("Connection: keep-alive\r\n").endsWith("hello");
                send(s, "GET /hello HTTP/1.0\r\n\r\n");
                assertThat(TestServers.readToClose(s)).contains("Connection: close\r\n").endsWith("hello");
            }
        }
    }

    @ParameterizedTest
    @MethodSource("dev.greenhub.http.EveryHub#hubs")
    void headHasTheHeadersAndNoBody(String hub) throws Exception {
        try (GreenHttpServer server = TestServers.start(hub, TestServers.ROUTES, HttpLimits.DEFAULTS, 1);
             Socket s = TestServers.connect(server)) {
            send(s, "HEAD /hello HTTP/1.1\r\nHost: x\r\n\r\nGET /hello HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
            String both = TestServers.readToClose(s);
            // the HEAD response announces 5 bytes but carries none: the GET response follows at once
            assertThat(both).startsWith("HTTP/1.1 200 OK\r\n").contains("Content-Length: 5\r\n");
            int second = both.indexOf("HTTP/1.1 200 OK", 1);
            assertThat(both.substring(0, second)).endsWith("\r\n\r\n");
            assertThat(both.substring(second)).contains("Connection: close\r\n").endsWith("\r\n\r\nhello");
        }
    }

    @ParameterizedTest
    @MethodSource("dev.greenhub.http.EveryHub#hubs")
    void connectionCloseFromTheClientClosesAfterTheResponse(String hub) throws Exception {
        try (GreenHttpServer server = TestServers.start(hub, TestServers.ROUTES, HttpLimits.DEFAULTS, 1)) {
            String r = TestServers.exchangeUntilClose(server,
                    "GET /hello HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\nGET /hello HTTP/1.1\r\nHost: x\r\n\r\n");
            assertThat(r).contains("Connection: close\r\n").endsWith("\r\n\r\nhello"); // the second is never answered
            assertThat(r.indexOf("HTTP/1.1", 1)).isEqualTo(-1);
        }
    }

    @ParameterizedTest
    @MethodSource("dev.greenhub.http.EveryHub#hubs")
    void expectContinueGetsA100BeforeTheBodyIsSent(String hub) throws Exception {
        try (GreenHttpServer server = TestServers.start(hub, TestServers.ROUTES, HttpLimits.DEFAULTS, 1);
             Socket s = TestServers.connect(server)) {
            send(s, "POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: 4\r\nExpect: 100-continue\r\n\r\n");
            byte[] cont = s.getInputStream().readNBytes("HTTP/1.1 100 Continue\r\n\r\n".length());
            assertThat(new String(cont, StandardCharsets.ISO_8859_1)).isEqualTo("HTTP/1.1 100 Continue\r\n\r\n");
            send(s, "ping");
            assertThat(TestServers.readResponse(s.getInputStream())).startsWith("HTTP/1.1 200").endsWith("ping");
            // a handler that refuses without reading: no 100, and the connection closes after the answer
            send(s, "POST /nothing HTTP/1.1\r\nHost: x\r\nContent-Length: 4\r\nExpect: 100-continue\r\n\r\n");
            String r = TestServers.readToClose(s);
            assertThat(r).startsWith("HTTP/1.1 404 ").contains("Connection: close").doesNotContain("100 Continue");
        }
    }

    @ParameterizedTest
    @MethodSource("dev.greenhub.http.EveryHub#hubs")
    void chunkedRequestWithExtensionsAndTrailersKeepsTheConnection(String hub) throws Exception {
        try (GreenHttpServer server = TestServers.start(hub, TestServers.ROUTES, HttpLimits.DEFAULTS, 1);
             Socket s = TestServers.connect(server)) {
            send(s, "POST /digest HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n"
                    + "5;name=value\r\nhello\r\nA\r\n0123456789\r\n0\r\nX-Trailer: t\r\n\r\n"
                    + "GET /hello HTTP/1.1\r\nHost: x\r\n\r\n");
            InputStream in = s.getInputStream();
            assertThat(TestServers.readResponse(in))
                    .endsWith(TestServers.digest("hello0123456789".getBytes(StandardCharsets.US_ASCII)));
            assertThat(TestServers.readResponse(in)).endsWith("hello");
        }
    }

    @ParameterizedTest
    @MethodSource("dev.greenhub.http.EveryHub#hubs")
    void unreadBodyIsSkippedAndTheNextRequestServed(String hub) throws Exception {
        try (GreenHttpServer server = TestServers.start(hub, TestServers.ROUTES, HttpLimits.DEFAULTS, 1);
             Socket s = TestServers.connect(server)) {
            String body = "x".repeat(10_000);
            send(s, "POST /hello HTTP/1.1\r\nHost: x\r\nContent-Length: " + body.length() + "\r\n\r\n" + body
                    + "GET /hello HTTP/1.1\r\nHost: x\r\n\r\n");
            InputStream in = s.getInputStream();
            assertThat(TestServers.readResponse(in)).endsWith("hello");
            assertThat(TestServers.readResponse(in)).endsWith("hello");
        }
    }

    @ParameterizedTest
    @MethodSource("dev.greenhub.http.EveryHub#hubs")
    void handlerFailureIs500AndOthersAreServed(String hub) throws Exception {
        HttpHandler failing = (request, response) -> {
            if (request.path().equals("/fail")) {
                throw new IllegalStateException("handler bug (expected by the test)");
            }
            if (request.path().equals("/silent")) {
                return;
            }
            TestServers.ROUTES.handle(request, response);
        };
        try (GreenHttpServer server = TestServers.start(hub, failing, HttpLimits.DEFAULTS, 1)) {
            assertThat(TestServers.exchangeUntilClose(server, "GET /fail HTTP/1.1\r\nHost: x\r\n\r\n"))
                    .startsWith("HTTP/1.1 500 ");
            assertThat(TestServers.exchangeUntilClose(server, "GET /silent HTTP/1.1\r\nHost: x\r\n\r\n"))
                    .startsWith("HTTP/1.1 500 ");
            assertThat(TestServers.exchangeUntilClose(server, "GET /hello HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"))
                    .startsWith("HTTP/1.1 200 ").endsWith("hello");
        }
    }

    @ParameterizedTest
    @MethodSource("dev.greenhub.http.EveryHub#hubs")
    void chunkedResponseIsFramedOnTheWire(String hub) throws Exception {
        try (GreenHttpServer server = TestServers.start(hub, (request, response) -> {
            try (OutputStream out = response.send(200, HttpResponse.UNKNOWN_LENGTH)) {
                out.write("abc".getBytes(StandardCharsets.US_ASCII));
                out.flush();
                out.write("0123456789ABCDEF".getBytes(StandardCharsets.US_ASCII));
            }
        }, HttpLimits.DEFAULTS, 1)) {
            String r = TestServers.exchangeUntilClose(server, "GET / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
            assertThat(r).contains("Transfer-Encoding: chunked\r\n")
                    .endsWith("\r\n\r\n3\r\nabc\r\n10\r\n0123456789ABCDEF\r\n0\r\n\r\n");
        }
    }
}
