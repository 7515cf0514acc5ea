package dev.greenhub.http.jdk;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.Filter;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import com.sun.net.httpserver.spi.HttpServerProvider;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * An application written against com.sun.net.httpserver only (below, {@link App}), run with
 * greenhub's provider found by ServiceLoader.
 */
@Timeout(60)
class JdkApplicationTest {

    /** The application: nothing in it knows greenhub. */
    static final class App {
        static HttpServer start() throws IOException {
            HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
            server.createContext("/", exchange -> send(exchange, 200, "root " + exchange.getRequestURI().getPath()));
            server.createContext("/api", exchange -> send(exchange, 200, "api " + exchange.getRequestURI().getPath()));
            server.createContext("/api/v2", exchange -> send(exchange, 200, "v2 " + exchange.getRequestURI().getPath()));
            server.createContext("/chunked", exchange -> {
                exchange.sendResponseHeaders(200, 0);
                try (OutputStream out = exchange.getResponseBody()) {
                    for (int i = 0; i < 3; i++) {
                        out.write(("part" + i + ";").getBytes(StandardCharsets.US_ASCII));
                    }
                }
            });
            server.createContext("/nobody", exchange -> {
                exchange.getResponseHeaders().add("X-Done", "yes");
                exchange.sendResponseHeaders(204, -1);
                exchange.close();
            });
            server.createContext("/upload", exchange -> {
                byte[] body;
                try (InputStream in = exchange.getRequestBody()) {
                    body = in.readAllBytes();
                }
                send(exchange, 201, exchange.getRequestMethod() + " " + body.length + " "
                        + exchange.getRequestHeaders().getFirst("x-app"));
            });
            var filtered = server.createContext("/filtered", exchange -> send(exchange, 200,
                    "seen by " + exchange.getAttribute("filter")));
            filtered.getFilters().add(new Filter() {
                @Override
                public void doFilter(HttpExchange exchange, Chain chain) throws IOException {
                    if (exchange.getRequestHeaders().containsKey("X-Block")) {
                        exchange.sendResponseHeaders(403, -1);
                        exchange.close();
                        return;
                    }
                    exchange.setAttribute("filter", "the filter");
                    exchange.getResponseHeaders().add("X-Filtered", "1");
                    chain.doFilter(exchange);
                }

                @Override
                public String description() {
                    return "test filter";
                }
            });
            server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
            server.start();
            return server;
        }

        static void send(HttpExchange exchange, int status, String text) throws IOException {
            byte[] b = text.getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(status, b.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(b);
            }
        }
    }

    private static HttpResponse<String> get(HttpClient client, HttpServer server, String path) throws Exception {
        return client.send(HttpRequest.newBuilder(uri(server, path)).timeout(Duration.ofSeconds(20)).build(),
                BodyHandlers.ofString());
    }

    private static URI uri(HttpServer server, String path) {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + path);
    }

    @Test
    void theProviderIsFoundByServiceLoader() {
        assertThat(HttpServerProvider.provider()).isInstanceOf(GreenHttpServerProvider.class);
    }

    @Test
    void applicationRunsUnchanged() throws Exception {
        HttpServer server = App.start();
        try (HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build()) {
            assertThat(server.getClass().getName()).startsWith("dev.greenhub.http.jdk.");
            // longest prefix, as the JDK's string prefix rule
            assertThat(get(client, server, "/").body()).isEqualTo("root /");
            assertThat(get(client, server, "/other").body()).isEqualTo("root /other");
            assertThat(get(client, server, "/api/x").body()).isEqualTo("api /api/x");
            assertThat(get(client, server, "/apis").body()).isEqualTo("api /apis");
            assertThat(get(client, server, "/api/v2/y").body()).isEqualTo("v2 /api/v2/y");
            // sendResponseHeaders(200, 0): chunked
            HttpResponse<String> chunked = get(client, server, "/chunked");
            assertThat(chunked.headers().firstValue("transfer-encoding")).hasValue("chunked");
            assertThat(chunked.body()).isEqualTo("part0;part1;part2;");
            // -1: no body
            HttpResponse<String> none = get(client, server, "/nobody");
            assertThat(none.statusCode()).isEqualTo(204);
            assertThat(none.headers().firstValue("x-done")).hasValue("yes");
            assertThat(none.body()).isEmpty();
            // request body, method and headers
            HttpResponse<String> up = client.send(HttpRequest.newBuilder(uri(server, "/upload")).header("X-App", "a1")
                    .PUT(BodyPublishers.ofByteArray(new byte[100_000])).build(), BodyHandlers.ofString());
            assertThat(up.statusCode()).isEqualTo(201);
            assertThat(up.body()).isEqualTo("PUT 100000 a1");
            // filters
            HttpResponse<String> f = get(client, server, "/filtered");
            assertThat(f.body()).isEqualTo("seen by the filter");
            assertThat(f.headers().firstValue("x-filtered")).hasValue("1");
            HttpResponse<String> blocked = client.send(HttpRequest.newBuilder(uri(server, "/filtered"))
                    .header("X-Block", "1").build(), BodyHandlers.ofString());
            assertThat(blocked.statusCode()).isEqualTo(403);
            // contexts can be removed while serving
            server.removeContext("/api/v2");
            assertThat(get(client, server, "/api/v2/y").body()).isEqualTo("api /api/v2/y");
            assertThatThrownBy(() -> server.createContext("/api", e -> { })).isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> server.createContext("nope", e -> { })).isInstanceOf(IllegalArgumentException.class);
        } finally {
            server.stop(0);
        }
    }

    @Test
    void noContextIs404AndStopEndsIdleConnections() throws Exception {
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/only", exchange -> App.send(exchange, 200, "only"));
        server.start();
        try (Socket s = new Socket(InetAddress.getLoopbackAddress(), server.getAddress().getPort())) {
            s.setSoTimeout(20_000);
            s.getOutputStream().write("GET /else HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            byte[] head = s.getInputStream().readNBytes(12);
            assertThat(new String(head, StandardCharsets.US_ASCII)).isEqualTo("HTTP/1.1 404");
            server.stop(5);
            // the idle keep-alive connection was closed by the stop
            s.getInputStream().readAllBytes();
            assertThat(s.getInputStream().read()).isEqualTo(-1);
        }
    }

    @Test
    void stopLetsTheExchangeInFlightFinish() throws Exception {
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        CountDownLatch inHandler = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        server.createContext("/slow", exchange -> {
            inHandler.countDown();
            try {
                release.await(); // parks only this green thread
            } catch (InterruptedException e) {
                throw new IOException(e);
            }
            App.send(exchange, 200, "finished");
        });
        server.start();
        try (HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build()) {
            var pending = client.sendAsync(HttpRequest.newBuilder(uri(server, "/slow")).build(), BodyHandlers.ofString());
            assertThat(inHandler.await(20, TimeUnit.SECONDS)).isTrue();
            Thread stopper = Thread.ofPlatform().start(() -> server.stop(30));
            // the stop has begun once nothing accepts any more (the listeners close after the drain
            // starts): a connect is refused, or reset when the listener closed with it in its backlog
            while (true) {
                try (Socket probe = new Socket(InetAddress.getLoopbackAddress(), server.getAddress().getPort())) {
                    Thread.onSpinWait();
                } catch (java.net.SocketException refusedOrReset) {
                    break;
                }
            }
            // the stop waits for the exchange; releasing it lets it finish with its response
            release.countDown();
            HttpResponse<String> r = pending.get(20, TimeUnit.SECONDS);
            assertThat(r.body()).isEqualTo("finished");
            assertThat(r.headers().firstValue("connection")).hasValue("close");
            stopper.join(Duration.ofSeconds(20));
            assertThat(stopper.isAlive()).isFalse();
        }
        // nothing listens any more
        assertThatThrownBy(() -> new Socket(InetAddress.getLoopbackAddress(), server.getAddress().getPort()).close())
                .isInstanceOf(java.net.ConnectException.class);
    }

    @Test
    void httpsIsRefusedWithTheWayOut() {
        assertThatThrownBy(() -> HttpServerProvider.provider().createHttpsServer(null, 0))
                .isInstanceOf(UnsupportedOperationException.class)
                .hasMessageContaining("sun.net.httpserver.DefaultHttpServerProvider");
    }
}
