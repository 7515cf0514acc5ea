package dev.greenhub.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse.BodyHandlers;
import java.time.Duration;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** The JDK's HttpClient against the server, on every hub: keep-alive, chunked, large bodies. */
@Timeout(120)
class HttpClientTest {
    private static final HttpHandler ROUTES = (request, response) -> {
        if (request.path().equals("/port")) {
            response.sendText(200, Integer.toString(request.remoteAddress().getPort()));
        } else {
            TestServers.ROUTES.handle(request, response);
        }
    };

    private static java.net.http.HttpRequest.Builder get(GreenHttpServer server, String target) {
        return java.net.http.HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.address().getPort() + target))
                .timeout(Duration.ofSeconds(30));
    }

    private static HttpClient client() {
        return HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    }

    @ParameterizedTest
    @MethodSource("dev.greenhub.http.EveryHub#hubs")
    void keepAliveReusesOneConnection(String hub) throws Exception {
        try (GreenHttpServer server = TestServers.start(hub, ROUTES, HttpLimits.DEFAULTS, 1);
             HttpClient client = client()) {
            Set<String> ports = new HashSet<>();
            for (int i = 0; i < 20; i++) {
                var r = client.send(get(server, "/port").build(), BodyHandlers.ofString());
                assertThat(r.statusCode()).isEqualTo(200);
                ports.add(r.body());
            }
            assertThat(ports).as("client ports seen by the server").hasSize(1);
        }
    }

    @ParameterizedTest
    @MethodSource("dev.greenhub.http.EveryHub#hubs")
    void largeChunkedUploadArrivesByteForByte(String hub) throws Exception {
        byte[] data = TestServers.pattern(3, 24 * 1024 * 1024 + 17);
        try (GreenHttpServer server = TestServers.start(hub, ROUTES, HttpLimits.DEFAULTS, 2);
             HttpClient client = client()) {
            // ofInputStream has no known length: the client sends it chunked
            var r = client.send(get(server, "/digest").POST(BodyPublishers.ofInputStream(
                    () -> new ByteArrayInputStream(data))).build(), BodyHandlers.ofString());
            assertThat(r.statusCode()).isEqualTo(200);
            assertThat(r.body()).isEqualTo(TestServers.digest(data));
            // and a body the client can hold in its buffers while the server echoes it chunked
            byte[] small = TestServers.pattern(5, 60_000);
            var echo = client.send(get(server, "/echo").POST(BodyPublishers.ofInputStream(
                    () -> new ByteArrayInputStream(small))).build(), BodyHandlers.ofByteArray());
            assertThat(echo.headers().firstValue("transfer-encoding")).hasValue("chunked");
            assertThat(echo.body()).isEqualTo(small);
        }
    }

    @ParameterizedTest
    @MethodSource("dev.greenhub.http.EveryHub#hubs")
    void largeFixedLengthUploadArrivesByteForByte(String hub) throws Exception {
        byte[] data = TestServers.pattern(4, 16 * 1024 * 1024 + 5);
        try (GreenHttpServer server = TestServers.start(hub, ROUTES, HttpLimits.DEFAULTS, 2);
             HttpClient client = client()) {
            var r = client.send(get(server, "/digest").POST(BodyPublishers.ofByteArray(data)).build(),
                    BodyHandlers.ofString());
            assertThat(r.statusCode()).isEqualTo(200);
            assertThat(r.body()).isEqualTo(TestServers.digest(data));
            byte[] small = TestServers.pattern(6, 60_000);
            var echo = client.send(get(server, "/echo").POST(BodyPublishers.ofByteArray(small)).build(),
                    BodyHandlers.ofByteArray());
            assertThat(echo.headers().firstValueAsLong("content-length")).hasValue(small.length);
            assertThat(echo.body()).isEqualTo(small);
        }
    }

    @ParameterizedTest
    @MethodSource("dev.greenhub.http.EveryHub#hubs")
    void largeDownloadHasEveryByte(String hub) throws Exception {
        int n = 40 * 1024 * 1024 + 3;
        byte[] expected = TestServers.pattern(7, n);
        try (GreenHttpServer server = TestServers.start(hub, ROUTES, HttpLimits.DEFAULTS, 1);
             HttpClient client = client()) {
            var r = client.send(get(server, "/big?n=" + n).build(), BodyHandlers.ofInputStream());
            assertThat(r.statusCode()).isEqualTo(200);
            try (InputStream in = r.body()) {
                byte[] buf = new byte[65536];
                int at = 0;
                int got;
                while ((got = in.read(buf)) > 0) {
                    for (int i = 0; i < got; i++) {
                        if (buf[i] != expected[at + i]) {
                            throw new AssertionError("byte " + (at + i) + " differs");
                        }
                    }
                    at += got;
                }
                assertThat(at).isEqualTo(n);
            }
        }
    }

    @ParameterizedTest
    @MethodSource("dev.greenhub.http.EveryHub#hubs")
    void manyConcurrentClientsOnSeveralHubs(String hub) throws Exception {
        try (GreenHttpServer server = TestServers.start(hub, ROUTES, HttpLimits.DEFAULTS, 3);
             HttpClient client = client()) {
            var futures = new java.util.ArrayList<java.util.concurrent.CompletableFuture<java.net.http.HttpResponse<String>>>();
            for (int i = 0; i < 200; i++) {
                futures.add(client.sendAsync(get(server, "/echo").POST(BodyPublishers.ofString("m" + i)).build(),
                        BodyHandlers.ofString()));
            }
            for (int i = 0; i < futures.size(); i++) {
                var r = futures.get(i).get();
                assertThat(r.statusCode()).isEqualTo(200);
                assertThat(r.body()).isEqualTo("m" + i);
            }
            assertThat(server.hubCount()).isEqualTo(3);
        }
    }
}
