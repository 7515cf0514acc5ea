package dev.greenhub.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ResultsTest {
    private static Result result(String system, String workload, String... kv) {
        Map<String, String> m = new LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            m.put(kv[i], kv[i + 1]);
        }
        return new Result(system, workload, m);
    }

    @Test
    void resultLinesRoundTripInOrder() {
        Result r = result("greenhub-epoll", "W6", "connections", "100", "requests_per_s", "12345", "p50_us", "80.000");
        assertThat(r.line()).isEqualTo("RESULT greenhub-epoll W6 connections=100 requests_per_s=12345 p50_us=80.000");
        assertThat(Result.parse(r.line())).isEqualTo(r);
        assertThatThrownBy(() -> Result.parse("RESULTS a b c=1")).hasMessageContaining("not a result line");
        assertThatThrownBy(() -> Result.parse("RESULT a b c")).hasMessageContaining("bad metric 'c'");
        assertThatThrownBy(() -> result("s", "W1", "a b", "1")).hasMessageContaining("bad metric name 'a b'");
    }

    @Test
    void aMetricReadsAsANumberAndAMissingOneAsNaN() {
        Result r = result("greenhub-epoll", "W6", "requests_per_s", "12345", "p50_us", "80.500");
        assertThat(r.number("requests_per_s")).isEqualTo(12345.0);
        assertThat(r.number("p50_us")).isEqualTo(80.5);
        assertThat(r.number("p99_us")).isNaN();
    }

    @Test
    void sizesRoundTripThroughArgumentsAndRejectBadValues() {
        Sizes d = Sizes.defaults();
        assertThat(Sizes.fromArgs(d.toArgs())).isEqualTo(d);
        assertThat(Sizes.fromArgs(Sizes.quick().toArgs())).isEqualTo(Sizes.quick());
        assertThat(d.yields()).isEqualTo(1_000_000);
        assertThat(d.connections()).containsExactly(10, 100, 1000);
        assertThat(d.idle()).containsExactly(0, 900, 9000);
        assertThatThrownBy(() -> Sizes.fromArgs(List.of("yields=1"))).hasMessageContaining("expected the keys");
        assertThatThrownBy(() -> new Sizes(0, 1, 1, 1, 1, 1, List.of(1), List.of(0), 1, 0, 64, 1))
                .hasMessage("yields must be at least 1: 0");
        assertThatThrownBy(() -> new Sizes(1, 1, 1, 1, 1, 1, List.of(), List.of(0), 1, 0, 64, 1))
                .hasMessageContaining("connections must be a non-empty list");
    }

    @Test
    void workloadsParseByIdOrNameAndNameTheChoicesOtherwise() {
        assertThat(Workload.parse("w3")).isEqualTo(Workload.W3);
        assertThat(Workload.parse("timers")).isEqualTo(Workload.W5);
        assertThat(Workload.parse("http")).isEqualTo(Workload.W8);
        assertThatThrownBy(() -> Workload.parse("W9")).hasMessageStartingWith(
                "unknown workload 'W9'; the workloads are W1 (yield), W2 (pingpong), W3 (spawn)")
                .hasMessageEndingWith("W8 (http)");
    }

    @Test
    void tableHasOneColumnPerSystemAndOneRowPerHeadlineMetric() {
        List<Result> rs = List.of(
                result("greenhub-epoll", "W1", "yields_per_s", "5000000", "yields", "2000000"),
                result("greenhub-poll", "W1", "yields_per_s", "4500000", "yields", "2000000"),
                result("netty-epoll", "W6", "connections", "100", "requests_per_s", "90000", "p50_us", "1", "p99_us", "2"));
        List<String> lines = Table.render(rs).lines().toList();
        assertThat(lines.get(0)).matches("\\| workload metric +\\| greenhub-epoll \\| greenhub-poll \\| netty-epoll \\|");
        assertThat(lines.get(1)).matches("\\|-+\\|-+:\\|-+:\\|-+:\\|");
        assertThat(lines.get(2)).matches("\\| W1 yields_per_s +\\| +5000000 \\| +4500000 \\| +- \\|");
        assertThat(lines.get(3)).matches("\\| W6 connections=100 requests_per_s +\\| +- \\| +- \\| +90000 \\|");
        assertThat(lines).hasSize(6);
        assertThat(Table.render(List.of())).isEmpty();
    }

    @Test
    void targetsGiveEachRatioToTheReferenceOfTheSameRunAndSayMetOrMissed() {
        List<Result> rs = List.of(
                result("greenhub-epoll", "W1", "yields_per_s", "5000000"),
                result("greenhub-poll", "W1", "yields_per_s", "1000000"),
                result("jdk-vt", "W1", "yields_per_s", "4000000"),
                result("greenhub-epoll", "W4", "bytes_per_parked_rss", "700"),
                result("jdk-vt", "W4", "bytes_per_parked_rss", "1400"),
                result("greenhub-epoll", "W5", "total_s", "1.100", "lateness_p99_ms", "2.000"),
                result("jdk-vt", "W5", "total_s", "1.000", "lateness_p99_ms", "4.000"),
                result("netty-epoll", "W6", "connections", "100", "requests_per_s", "100000", "p99_us", "200"),
                result("netty-epoll", "W6", "connections", "10", "requests_per_s", "1000", "p99_us", "200"),
                result("greenhub-epoll", "W6", "connections", "100", "requests_per_s", "95000", "p99_us", "100"),
                result("netty-epoll", "W6-syscalls", "connections", "100", "syscalls_per_request", "2.000"),
                result("greenhub-epoll", "W6-syscalls", "connections", "100", "syscalls_per_request", "3.000"),
                result("greenhub-epoll", "W7", "idle", "0", "requests_per_s", "10000"),
                result("greenhub-epoll", "W7", "idle", "9000", "requests_per_s", "8000"));
        List<String> lines = Targets.render(rs).lines().toList();
        assertThat(lines).containsExactly(
                "TARGET greenhub-epoll W1 yields_per_s >= 1.0x jdk-vt: met (5,000,000 / 4,000,000 = 1.25x)",
                "TARGET greenhub-poll W1 yields_per_s >= 1.0x jdk-vt: MISSED (1,000,000 / 4,000,000 = 0.25x)",
                "TARGET greenhub-epoll W4 bytes_per_parked_rss <= 1.0x jdk-vt: met (700 / 1,400 = 0.50x)",
                "TARGET greenhub-epoll W5 total_s <= 1.0x jdk-vt: MISSED (1.100 / 1 = 1.10x)",
                "TARGET greenhub-epoll W5 lateness_p99_ms <= 1.0x jdk-vt: met (2 / 4 = 0.50x)",
                "TARGET greenhub-epoll W6 connections=100 requests_per_s >= 1.0x netty-epoll: MISSED (95,000 / 100,000 = 0.95x)",
                "TARGET greenhub-epoll W6 connections=100 p99_us <= 1.0x netty-epoll: met (100 / 200 = 0.50x)",
                "TARGET greenhub-epoll W6-syscalls connections=100 syscalls_per_request <= 1.0x netty-epoll:"
                        + " MISSED (3 / 2 = 1.50x)",
                "TARGET greenhub-epoll W7 idle=9000 requests_per_s with 9000 idle >= 0.9x 0 idle (10,000):"
                        + " MISSED (8,000 = 0.80x)");
    }

    @Test
    void straceSummariesBecomeCallsPerRequest() {
        List<String> strace = List.of(
                "% time     seconds  usecs/call     calls    errors syscall",
                "------ ----------- ----------- --------- --------- ----------------",
                " 50.00    0.100000           1    200000    100000 read",
                " 40.00    0.080000           1    100000           write",
                "  9.00    0.010000           5      2000           epoll_wait",
                "  1.00    0.000100          10        10         2 futex",
                "------ ----------- ----------- --------- --------- ----------------",
                "100.00    0.190100                302010    100002 total");
        assertThat(SyscallCount.perRequest(SyscallCount.parse(strace), 100000)).containsExactly(
                java.util.Map.entry("syscalls_per_request", "3.020"),
                java.util.Map.entry("epoll_wait_per_request", "0.020"),
                java.util.Map.entry("read_per_request", "2.000"),
                java.util.Map.entry("write_per_request", "1.000"),
                java.util.Map.entry("requests", "100000"),
                java.util.Map.entry("syscalls", "302010"));
    }
}
