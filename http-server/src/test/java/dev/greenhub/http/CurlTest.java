package dev.greenhub.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** curl, when installed, against the server on every hub: keep-alive over several URLs, chunked upload. */
@Timeout(60)
class CurlTest {
    private static String curl(String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of("curl", "--silent", "--show-error", "--max-time", "30"));
        command.addAll(List.of(args));
        Process p;
        try {
            p = new ProcessBuilder(command).redirectErrorStream(true).start();
        } catch (java.io.IOException notInstalled) {
            Assumptions.abort("curl is not installed (" + notInstalled.getMessage() + "); install it to run this test");
            return null;
        }
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.ISO_8859_1);
        assertThat(p.waitFor(40, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as("curl exit status; output: %s", out).isZero();
        return out;
    }

    @ParameterizedTest
    @MethodSource("dev.greenhub.http.EveryHub#hubs")
    void curlKeepsTheConnectionAndUploadsChunked(String hub, @TempDir Path dir) throws Exception {
        try (GreenHttpServer server = TestServers.start(hub, TestServers.ROUTES, HttpLimits.DEFAULTS, 2)) {
            String base = "http://127.0.0.1:" + server.address().getPort();
            // three URLs in one curl run go over one connection; -v reports the reuse
            String verbose = curl("-v", base + "/hello", base + "/hello", base + "/hello");
            assertThat(verbose).contains("hellohellohello".substring(0, 5));
            assertThat(verbose.split("Connected to", -1)).hasSize(2); // connected once
            byte[] data = TestServers.pattern(9, 3_000_000);
            Path file = dir.resolve("upload.bin");
            Files.write(file, data);
            String digest = curl("-H", "Transfer-Encoding: chunked", "--data-binary", "@" + file, base + "/digest");
            assertThat(digest).isEqualTo(TestServers.digest(data));
            String head = curl("-I", base + "/hello");
            assertThat(head).startsWith("HTTP/1.1 200 OK").contains("Content-Length: 5");
        }
    }
}
