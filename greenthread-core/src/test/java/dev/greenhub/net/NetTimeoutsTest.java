package dev.greenhub.net;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The green channels' timeout settings and deadlines, without a scheduler. */
class NetTimeoutsTest {

    @Test
    void noneZeroAndHugeTimeoutsMeanNoLimit() {
        assertThat(NetTimeouts.nanos(null, "read timeout")).isZero();
        assertThat(NetTimeouts.nanos(Duration.ZERO, "read timeout")).isZero();
        assertThat(NetTimeouts.nanos(Duration.ofDays(365L * 101), "read timeout")).isZero();
        assertThat(NetTimeouts.nanos(Duration.ofSeconds(Long.MAX_VALUE), "read timeout")).isZero();
        assertThat(NetTimeouts.deadline(0)).isEqualTo(Long.MAX_VALUE);
        assertThat(NetTimeouts.duration(0)).isNull();
    }

    @Test
    void aTimeoutRoundTripsAndItsDeadlineLiesAhead() {
        long nanos = NetTimeouts.nanos(Duration.ofMillis(1500), "write timeout");
        assertThat(nanos).isEqualTo(1_500_000_000L);
        assertThat(NetTimeouts.duration(nanos)).isEqualTo(Duration.ofMillis(1500));
        long before = System.nanoTime();
        long deadline = NetTimeouts.deadline(nanos);
        assertThat(deadline - before).isGreaterThanOrEqualTo(nanos);
    }

    @Test
    void aNegativeTimeoutIsRefusedNamingTheSetting() {
        assertThatThrownBy(() -> NetTimeouts.nanos(Duration.ofMillis(-1), "pipe timeout"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("pipe timeout must not be negative");
    }
}
