package dev.greenhub.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse.BodyHandlers;
import org.junit.jupiter.api.Test;

class SmokeTest {
    @Test
    void hello() throws Exception {
        try (GreenHttpServer server = TestServers.start(null, TestServers.ROUTES, HttpLimits.DEFAULTS, 2);
             HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build()) {
            URI uri = URI.create("http://127.0.0.1:" + server.address().getPort() + "/hello");
            for (int i = 0; i < 10; i++) {
                var r = client.send(HttpRequest.newBuilder(uri).build(), BodyHandlers.ofString());
                assertThat(r.statusCode()).isEqualTo(200);
                assertThat(r.body()).isEqualTo("hello");
            }
        }
    }
}
