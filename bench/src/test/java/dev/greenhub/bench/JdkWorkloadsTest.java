package dev.greenhub.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class JdkWorkloadsTest {
    private static final Sizes SMALL = new Sizes(500, 500, 300, 200, 200, 50, List.of(1), List.of(0), 1, 0, 64, 7);

    @Test
    void theJdkReferenceRunsTheSameWorkloadsOnVirtualThreadsAndChecksTheirOutcome() {
        Result w1 = JdkWorkloads.run(Workload.W1, SMALL);
        assertThat(w1.system()).isEqualTo("jdk-vt");
        assertThat(w1.metrics()).containsEntry("yields", "1000");
        assertThat(Long.parseLong(w1.metrics().get("yields_per_s"))).isPositive();

        Result w2 = JdkWorkloads.run(Workload.W2, SMALL);
        assertThat(w2.metrics()).containsEntry("round_trips", "500");
        assertThat(Long.parseLong(w2.metrics().get("round_trips_per_s"))).isPositive();

        Result w3 = JdkWorkloads.run(Workload.W3, SMALL);
        assertThat(w3.metrics()).containsEntry("threads", "300").containsKey("peak_rss_mib");

        Result w4 = JdkWorkloads.run(Workload.W4, SMALL);
        assertThat(w4.metrics()).containsEntry("threads", "200").containsKeys("bytes_per_parked_rss", "bytes_per_parked_heap");
        assertThat(Long.parseLong(w4.metrics().get("wake_joined_per_s"))).isPositive();

        Result w5 = JdkWorkloads.run(Workload.W5, SMALL);
        assertThat(w5.metrics()).containsEntry("threads", "200");
        assertThat(Double.parseDouble(w5.metrics().get("total_s"))).isGreaterThan(0.0);
        assertThat(Double.parseDouble(w5.metrics().get("lateness_p50_ms"))).isGreaterThanOrEqualTo(0.0);
    }

    @Test
    void networkWorkloadsAreRefusedWithTheReason() {
        for (Workload w : java.util.List.of(Workload.W6, Workload.W7, Workload.W8)) {
            assertThatThrownBy(() -> JdkWorkloads.run(w, SMALL))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("server references of its own");
        }
    }
}
