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
        assertThatThrownBy(() -> Workload.parse("W8")).hasMessageStartingWith(
                "unknown workload 'W8'; the workloads are W1 (yield), W2 (pingpong), W3 (spawn)");
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
    void floorsSayMetOrMissedAndByHowMuch() {
        List<Result> rs = List.of(
                result("greenhub-epoll", "W1", "yields_per_s", "5000000"),
                result("greenhub-poll", "W1", "yields_per_s", "1000000"),
                result("greenhub-epoll", "W4", "bytes_per_parked_rss", "700"),
                result("greenhub-epoll", "W5", "total_s", "1.100", "lateness_p99_ms", "2.000"),
                result("netty-epoll", "W6", "connections", "100", "requests_per_s", "100000"),
                result("greenhub-epoll", "W6", "connections", "100", "requests_per_s", "95000"),
                result("greenhub-epoll", "W7", "idle", "0", "requests_per_s", "10000"),
                result("greenhub-epoll", "W7", "idle", "9000", "requests_per_s", "8000"));
        List<String> lines = Floors.render(rs).lines().toList();
        assertThat(lines).containsExactly(
                "FLOOR greenhub-epoll W1 yields_per_s >= 4,000,000: met (5,000,000 = 125% of the floor)",
                "FLOOR greenhub-poll W1 yields_per_s >= 4,000,000: MISSED (1,000,000 = 25% of the floor)",
                "FLOOR greenhub-epoll W4 bytes_per_parked_rss <= 1,536: met (700 = 46% of the limit)",
                "FLOOR greenhub-epoll W5 total_s <= 1.020: MISSED (1.100 = 108% of the limit)",
                "FLOOR greenhub-epoll W5 lateness_p99_ms <= 5: met (2 = 40% of the limit)",
                "FLOOR greenhub-epoll W6 connections=100 requests_per_s at 100 connections >= 0.9 x netty-epoll (90,000):"
                        + " met (95,000 = 95% of netty)",
                "FLOOR greenhub-epoll W7 idle=9000 requests_per_s with 9000 idle within 10% of 0 idle (10,000):"
                        + " MISSED (8,000 = 80% of 0 idle)");
    }
}
