package dev.greenhub.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

/** W8-idle's plausibility rule and its TARGET verdict, on readings shaped like measured ones. */
class IdleCostTest {
    private static final long MIB = 1024 * 1024;

    private static SettledRss.Reading settled(long bytes) {
        return new SettledRss.Reading(bytes, true, 7_000);
    }

    /** 2,000 connections, 2,052 fds before: what a server reads like with every connection open. */
    private static IdleCost cost(long heapBefore, long heapAfter, SettledRss.Reading before, SettledRss.Reading after) {
        return new IdleCost(2000, heapBefore, heapAfter, before, after, 52, 2052);
    }

    @Test
    void aPlausibleReadingGivesTheSumOfItsParts() {
        IdleCost c = cost(4_260_912, 20_786_768, settled(600 * MIB), settled(600 * MIB + 14_172 * 1024));
        assertThat(c.unusable()).isEmpty();
        assertThat(c.metrics()).containsExactly(java.util.Map.entry("idle_connections", "2000"),
                java.util.Map.entry("bytes_per_idle_connection", "15518"), java.util.Map.entry("heap_bytes", "8262"),
                java.util.Map.entry("native_rss_bytes", "7256"));
    }

    @Test
    void aPartFallingWithinTheNoiseBoundIsStillAFigure() {
        IdleCost c = cost(4_000_000, 20_000_000, settled(600 * MIB), settled(600 * MIB - IdleCost.NOISE_BYTES));
        assertThat(c.unusable()).isEmpty();
        assertThat(c.metrics()).containsEntry("native_rss_bytes", "-262").containsEntry("bytes_per_idle_connection",
                Long.toString(8000 - 262)).doesNotContainKey("unusable");
    }

    @Test
    void nativeMemoryFallingBeyondTheNoiseBoundIsUnusable() {
        // the 07:43 run: native_rss_bytes=-5668 per connection, the JVM having freed its JIT arena chunks meanwhile
        IdleCost c = cost(4_000_000, 4_000_000 + 2000L * 8130, settled(620 * MIB), settled(620 * MIB - 2000L * 5668));
        assertThat(c.unusable()).hasValueSatisfying(u -> {
            assertThat(u.token()).isEqualTo("native_rss_fell");
            assertThat(u.sentence()).contains("fell by 11,070 KiB while 2000 connections were opened",
                    "512 KiB noise bound", "gave back memory it held at the first reading");
        });
        assertThat(c.metrics()).containsEntry("bytes_per_idle_connection", "unusable").containsEntry("heap_bytes", "8130")
                .containsEntry("native_rss_bytes", "-5668").containsEntry("unusable", "native_rss_fell");
        assertThat(c.nativePerConnection()).isEqualTo(-5668);
    }

    @Test
    void theHeapFallingBeyondTheNoiseBoundIsUnusable() {
        IdleCost c = cost(10 * MIB, 9 * MIB, settled(600 * MIB), settled(610 * MIB));
        assertThat(c.unusable()).hasValueSatisfying(u -> assertThat(u.token()).isEqualTo("heap_fell"));
        assertThat(c.metrics()).containsEntry("bytes_per_idle_connection", "unusable");
    }

    @Test
    void aReadingThatNeverSettledIsUnusable() {
        IdleCost c = cost(4 * MIB, 20 * MIB, settled(600 * MIB),
                new SettledRss.Reading(612 * MIB, false, IdleMemory.AFTER_LIMIT_MILLIS));
        assertThat(c.unusable()).hasValueSatisfying(u -> {
            assertThat(u.token()).isEqualTo("rss_unsettled");
            assertThat(u.sentence()).startsWith("resident memory after the connections still moved by more than 256 KiB"
                    + " within 6500 ms after " + IdleMemory.AFTER_LIMIT_MILLIS + " ms of waiting");
        });
    }

    @Test
    void connectionsTheServerClosedBeforeTheSecondReadingMakeItUnusable() {
        IdleCost closed = new IdleCost(2000, 4 * MIB, 5 * MIB, settled(600 * MIB), settled(601 * MIB), 52, 60);
        assertThat(closed.unusable()).hasValueSatisfying(u -> {
            assertThat(u.token()).isEqualTo("connections_closed");
            assertThat(u.sentence()).contains("held 8 more open files after the idle window, not 2000");
        });
        IdleCost open = new IdleCost(2000, 4 * MIB, 5 * MIB, settled(600 * MIB), settled(601 * MIB), 52,
                52 + 2000 - IdleCost.FD_SLACK);
        assertThat(open.unusable()).isEmpty();
        assertThatThrownBy(() -> new IdleCost(0, 0, 0, settled(0), settled(0), 0, 0))
                .hasMessage("W8-idle needs at least one connection: 0");
    }

    @Test
    void anUnusableFigureIsNeitherMetNorMissedInItsTargetLines() {
        Result jdk = new Result(HttpBench.JDK, HttpBench.IDLE,
                cost(3 * MIB, 3 * MIB + 2000L * 22272, settled(600 * MIB), settled(606 * MIB)).metrics());
        Result netty = new Result(HttpBench.NETTY, HttpBench.IDLE,
                cost(5 * MIB, 5 * MIB + 2000L * 2063, settled(600 * MIB), settled(608 * MIB)).metrics());
        Result green = new Result("greenhub-epoll", HttpBench.IDLE,
                cost(4_000_000, 4_000_000 + 2000L * 8130, settled(620 * MIB), settled(620 * MIB - 2000L * 5668)).metrics());
        String targets = Targets.render(List.of(jdk, netty, green));
        assertThat(targets).isEqualTo("TARGET greenhub-epoll W8-idle idle_connections=2000 bytes_per_idle_connection"
                + " <= 1.0x jdk-httpserver: UNUSABLE (greenhub-epoll's figure is unusable: native_rss_fell, see its NOTE)\n"
                + "TARGET greenhub-epoll W8-idle idle_connections=2000 bytes_per_idle_connection"
                + " <= 1.0x netty-http: UNUSABLE (greenhub-epoll's figure is unusable: native_rss_fell, see its NOTE)\n");
        // a usable figure against an unusable reference is not judged either
        Result usable = new Result("greenhub-epoll", HttpBench.IDLE,
                cost(4 * MIB, 4 * MIB + 2000L * 4000, settled(600 * MIB), settled(601 * MIB)).metrics());
        Result badNetty = new Result(HttpBench.NETTY, HttpBench.IDLE,
                cost(5 * MIB, 5 * MIB, settled(600 * MIB), settled(590 * MIB)).metrics());
        assertThat(Targets.render(List.of(jdk, badNetty, usable))).contains(
                "<= 1.0x jdk-httpserver: met (", "<= 1.0x netty-http: UNUSABLE (netty-http's figure is unusable:"
                        + " native_rss_fell, see its NOTE)");
        assertThat(Result.parse(green.line())).isEqualTo(green);
    }
}
