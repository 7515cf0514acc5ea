package dev.greenhub.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** W8 run briefly through the suite: every server answers wrk, and the memory figure is had. */
class HttpBenchTest {
    @Test
    @Timeout(600)
    void w8MeasuresEveryServerWithWrkAndTheirIdleMemory() {
        assumeTrue(NativeTools.onPath(List.of("wrk")) != null,
                "wrk is not installed (Debian/Ubuntu: sudo apt-get install wrk); W8 needs it");
        Sizes sizes = new Sizes(10, 10, 10, 10, 10, 10, List.of(1), List.of(0), 0.3, 0, 64, 1);
        Suite.Options options = new Suite.Options(List.of("epoll"), List.of(Workload.W8), sizes, true,
                ProcessHandle.current().info().command().orElseThrow(),
                ManagementFactory.getRuntimeMXBean().getInputArguments(), System.getProperty("java.class.path"), 120,
                false, new HttpSizes(List.of(8), 40, 2));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream progress = new ByteArrayOutputStream();
        Suite.Report report = Suite.run(options, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(progress, true, StandardCharsets.UTF_8));
        String text = out.toString(StandardCharsets.UTF_8);
        assertThat(report.errors()).as(text + progress).isEmpty();
        assertThat(report.results()).extracting(r -> r.system() + " " + r.workload())
                .containsExactly("jdk-httpserver W8", "netty-http W8", "greenhub-epoll W8", "greenhub-epoll-2hubs W8",
                        "jdk-httpserver W8-idle", "netty-http W8-idle", "greenhub-epoll W8-idle");
        for (Result r : report.results()) {
            if (r.workload().equals("W8")) {
                assertThat(r.metrics()).containsEntry("connections", "8");
                assertThat(Long.parseLong(r.metrics().get("requests_per_s"))).as(r.line()).isPositive();
                assertThat(Double.parseDouble(r.metrics().get("p99_us"))).as(r.line()).isPositive();
                assertThat(Double.parseDouble(r.metrics().get("p99_us")))
                        .isGreaterThanOrEqualTo(Double.parseDouble(r.metrics().get("p50_us")));
            } else {
                assertThat(r.metrics()).containsEntry("idle_connections", "40").containsKey("heap_bytes")
                        .containsKey("native_rss_bytes");
                long parts = Long.parseLong(r.metrics().get("heap_bytes")) + Long.parseLong(r.metrics().get("native_rss_bytes"));
                if (r.metrics().containsKey("unusable")) { // a figure the rule rejected says why, and is no number
                    assertThat(r.metrics()).containsEntry("bytes_per_idle_connection", IdleCost.UNUSABLE);
                    assertThat(text).contains("NOTE W8-idle on " + r.system() + " is unusable (" + r.metrics().get("unusable")
                            + "): ");
                } else {
                    assertThat(r.metrics()).containsEntry("bytes_per_idle_connection", Long.toString(parts));
                }
            }
            assertThat(text).contains(r.line());
        }
        assertThat(text).contains("TARGET greenhub-epoll W8 connections=8 requests_per_s >= 2.0x jdk-httpserver: ",
                "TARGET greenhub-epoll W8 connections=8 requests_per_s >= 1.0x netty-http: ",
                "TARGET greenhub-epoll-2hubs W8 connections=8 requests_per_s >= 1.0x netty-http: ",
                "TARGET greenhub-epoll W8-idle idle_connections=40 bytes_per_idle_connection <= 1.0x netty-http: ",
                "| W8 connections=8 requests_per_s", "NOTE W8 load generator: wrk ", "NOTE W8 pinning: ",
                "NOTE W8 memory: 40 idle keep-alive connections", "each side's RSS read once it stayed within 256 KiB");
        assertThat(text).contains("NOTE W8 rounds: each server measured " + Rounds.ROUNDS + " times");
        assertThat(progress.toString(StandardCharsets.UTF_8)).contains(
                "bench: [1/15] W8 http on jdk-httpserver, 8 connections (1 s, round 1 of 3)",
                "bench: [12/15] W8 http on greenhub-epoll-2hubs, 8 connections (1 s, round 3 of 3)",
                "bench: [15/15] W8 memory on greenhub-epoll: 40 idle keep-alive connections");
    }

    @Test
    void eachMetricIsTheMedianOfItsRoundsAndSocketErrorsTheirSum() {
        List<java.util.Map<String, String>> rounds = List.of(
                java.util.Map.of("connections", "50", "requests_per_s", "70000", "p99_us", "900.0", "socket_errors", "1",
                        "cpu_us_per_request", "12.50"),
                java.util.Map.of("connections", "50", "requests_per_s", "9000", "p99_us", "85000.0", "socket_errors", "0",
                        "cpu_us_per_request", "30.00"),
                java.util.Map.of("connections", "50", "requests_per_s", "65000", "p99_us", "1200.0", "socket_errors", "2"));
        java.util.Map<String, String> m = Rounds.medians(rounds);
        assertThat(m).containsEntry("connections", "50").containsEntry("requests_per_s", "65000")
                .containsEntry("p99_us", "1200.0").containsEntry("socket_errors", "3")
                .doesNotContainKey("cpu_us_per_request"); // missing from one round: not a median of all
        assertThat(Rounds.medians(List.of(java.util.Map.of("p50_us", "2.0"), java.util.Map.of("p50_us", "1.0"))))
                .containsEntry("p50_us", "1.0"); // even count: the lower middle, a measured value
    }
}
