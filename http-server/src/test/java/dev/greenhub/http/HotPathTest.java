package dev.greenhub.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * What the request path's savings must not change: strings reused from the previous request head
 * are those the bytes spell, connections of one hub reading through its shared direct buffer never
 * see each other's bytes, a connection that gave its buffers back while idle still serves, and a
 * client resetting an idle connection is no failure of the server.
 */
@Timeout(120)
class HotPathTest {
    private static void send(Socket s, String text) throws Exception {
        s.getOutputStream().write(text.getBytes(StandardCharsets.ISO_8859_1));
        s.getOutputStream().flush();
    }

    /** Answers "target|X-V|X-W" (absent fields as "-"), and keeps every target String it saw. */
    private static HttpHandler echoHead(List<String> targets) {
        return (request, response) -> {
            targets.add(request.target());
            String v = request.headers().first("X-V");
            String w = request.headers().first("X-W");
            response.sendText(200, request.target() + "|" + (v == null ? "-" : v) + "|" + (w == null ? "-" : w));
        };
    }

    @ParameterizedTest
    @MethodSource("dev.greenhub.http.EveryHub#hubs")
    void repeatedAndChangedRequestHeadsGetTheirOwnStrings(String hub) throws Exception {
        List<String> targets = new CopyOnWriteArrayList<>();
        try (GreenHttpServer server = TestServers.start(hub, echoHead(targets), HttpLimits.DEFAULTS, 1);
             Socket s = TestServers.connect(server)) {
            String[][] requests = {
                {"/a", "X-V: 1\r\n"},
                {"/a", "X-V: 1\r\n"},
                {"/b", "X-V: 2\r\n"},
                {"/ab", "X-V: 22\r\n"},
                {"/a", "X-W: 22\r\nX-V: 2\r\n"},          // the value slots shift by one field
                {"/e", "X-V: \u00e9t\u00e9\r\n"},    // Latin-1 bytes above 127
                {"/e", "X-V: \u00e9t\u00e8\r\n"},    // same length, last byte differs
                {"/a", ""},
            };
            String[] expected = {"/a|1|-", "/a|1|-", "/b|2|-", "/ab|22|-", "/a|2|22", "/e|\u00e9t\u00e9|-",
                "/e|\u00e9t\u00e8|-", "/a|-|-"};
            InputStream in = s.getInputStream();
            for (int i = 0; i < requests.length; i++) {
                send(s, "GET " + requests[i][0] + " HTTP/1.1\r\nHost: x\r\n" + requests[i][1] + "\r\n");
                String r = TestServers.readResponse(in);
                String body = new String(r.substring(r.indexOf("\r\n\r\n") + 4).getBytes(StandardCharsets.ISO_8859_1),
                        StandardCharsets.UTF_8);
                assertThat(body).as("response %d", i).isEqualTo(expected[i]);
            }
            // the second request spelled the first one's target again: the same String, not a copy
            assertThat(targets.get(1)).isSameAs(targets.get(0));
            assertThat(targets.get(2)).isEqualTo("/b");
        }
    }

    @Test
    void recentStringsReuseOnlyWhatTheBytesSpell() {
        RecentStrings recent = new RecentStrings();
        byte[] b = "xx/path?q=1 /path?q=2 \u00e9".getBytes(StandardCharsets.ISO_8859_1);
        String first = recent.get(RecentStrings.TARGET, b, 2, 11);
        assertThat(first).isEqualTo("/path?q=1");
        assertThat(recent.get(RecentStrings.TARGET, b, 2, 11)).isSameAs(first);
        assertThat(recent.get(RecentStrings.TARGET, b, 12, 21)).isEqualTo("/path?q=2");
        assertThat(recent.get(RecentStrings.TARGET, b, 2, 10)).isEqualTo("/path?q=");
        assertThat(recent.get(RecentStrings.headerValue(0), b, 22, 23)).isEqualTo("\u00e9");
        assertThat(recent.get(RecentStrings.headerValue(RecentStrings.SLOTS), b, 2, 11)).isEqualTo("/path?q=1");
        byte[] known = "keep-alive".getBytes(StandardCharsets.ISO_8859_1);
        assertThat(recent.get(RecentStrings.headerValue(1), known, 0, known.length)).isSameAs("keep-alive");
        assertThat(recent.get(RecentStrings.TARGET, known, 0, known.length)).isEqualTo("keep-alive");
        recent.release();
        assertThat(recent.isReleased()).isTrue();
        assertThat(recent.get(RecentStrings.TARGET, b, 2, 11)).isEqualTo("/path?q=1");
        assertThat(recent.isReleased()).isFalse();
    }

    /**
     * Forty connections on one hub send bodies in several pieces at once, so that their reads
     * through the hub's one direct read buffer interleave; every echoed byte is checked.
     */
    @ParameterizedTest
    @MethodSource("dev.greenhub.http.EveryHub#hubs")
    void connectionsOfOneHubNeverSeeEachOthersBytes(String hub) throws Exception {
        int clients = 40;
        int requests = 15;
        try (GreenHttpServer server = TestServers.start(hub, TestServers.ROUTES, HttpLimits.DEFAULTS, 1)) {
            ExecutorService pool = Executors.newFixedThreadPool(clients);
            try {
                List<Future<Integer>> done = new ArrayList<>();
                for (int c = 0; c < clients; c++) {
                    int seed = c;
                    done.add(pool.submit(() -> {
                        Random random = new Random(seed);
                        try (Socket s = TestServers.connect(server)) {
                            OutputStream out = s.getOutputStream();
                            InputStream in = s.getInputStream();
                            for (int i = 0; i < requests; i++) {
                                byte[] body = TestServers.pattern(seed * 1000 + i, 1 + random.nextInt(6000));
                                out.write(("POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: " + body.length
                                        + "\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
                                out.flush();
                                int half = body.length / 2;
                                out.write(body, 0, half);
                                out.flush();
                                Thread.yield();
                                out.write(body, half, body.length - half);
                                out.flush();
                                String r = TestServers.readResponse(in);
                                assertThat(r).startsWith("HTTP/1.1 200 OK\r\n");
                                byte[] echoed = r.substring(r.indexOf("\r\n\r\n") + 4)
                                        .getBytes(StandardCharsets.ISO_8859_1);
                                assertThat(echoed).as("client %d request %d", seed, i).isEqualTo(body);
                            }
                        }
                        return requests;
                    }));
                }
                for (Future<Integer> f : done) {
                    assertThat(f.get()).isEqualTo(requests);
                }
            } finally {
                pool.shutdownNow();
            }
        }
    }

    /**
     * A connection idle for longer than {@link ConnectionTimer#BUFFER_HOLD_NANOS} has given its
     * buffers back; the next (pipelined) requests are read into fresh ones.
     */
    @ParameterizedTest
    @MethodSource("dev.greenhub.http.EveryHub#hubs")
    void aConnectionIdleLongerThanTheBufferHoldStillServes(String hub) throws Exception {
        try (GreenHttpServer server = TestServers.start(hub, TestServers.ROUTES, HttpLimits.DEFAULTS, 1);
             Socket s = TestServers.connect(server)) {
            InputStream in = s.getInputStream();
            send(s, "GET /hello HTTP/1.1\r\nHost: x\r\n\r\n");
            assertThat(TestServers.readResponse(in)).endsWith("hello");
            Thread.sleep(ConnectionTimer.BUFFER_HOLD_NANOS / 1_000_000L + 300); // at least this long
            send(s, "POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\n\r\nfirstGET /hello HTTP/1.1\r\nHost: x\r\n\r\n");
            assertThat(TestServers.readResponse(in)).startsWith("HTTP/1.1 200 OK\r\n").endsWith("\r\n\r\nfirst");
            assertThat(TestServers.readResponse(in)).endsWith("hello");
        }
    }

    /**
     * A client that resets its keep-alive connection between requests (closing with SO_LINGER 0)
     * just ends it: no warning in the log (it was logged as a handler failure, with a stack trace,
     * once per such client).
     */
    @ParameterizedTest
    @MethodSource("dev.greenhub.http.EveryHub#hubs")
    void aClientResettingAnIdleConnectionIsNoServerFailure(String hub) throws Exception {
        Logger greenhub = Logger.getLogger("dev.greenhub");
        List<LogRecord> warnings = new CopyOnWriteArrayList<>();
        Handler watch = new Handler() {
            @Override
            public void publish(LogRecord r) {
                if (r.getLevel().intValue() >= Level.WARNING.intValue()) {
                    warnings.add(r);
                }
            }

            @Override
            public void flush() {
            }

            @Override
            public void close() {
            }
        };
        greenhub.addHandler(watch);
        try (GreenHttpServer server = TestServers.start(hub, TestServers.ROUTES, HttpLimits.DEFAULTS, 1)) {
            Socket s = TestServers.connect(server);
            send(s, "GET /hello HTTP/1.1\r\nHost: x\r\n\r\n");
            assertThat(TestServers.readResponse(s.getInputStream())).endsWith("hello");
            s.setSoLinger(true, 0);
            s.close(); // a reset while the server waits for the next request
            long deadline = System.nanoTime() + TestServers.SOCKET_TIMEOUT_MS * 1_000_000L;
            while (server.connectionCount() > 0 && System.nanoTime() < deadline) {
                Thread.sleep(10);
            }
            assertThat(server.connectionCount()).isZero();
            // the ended connection's green thread logs (or not) before its hub runs another one: this
            // exchange on the one hub comes after whatever it logged
            try (Socket next = TestServers.connect(server)) {
                send(next, "GET /hello HTTP/1.1\r\nHost: x\r\n\r\n");
                assertThat(TestServers.readResponse(next.getInputStream())).endsWith("hello");
            }
            assertThat(warnings).extracting(LogRecord::getMessage).isEmpty();
        } finally {
            greenhub.removeHandler(watch);
        }
    }
}
