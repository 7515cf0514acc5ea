package dev.greenhub.testsuite;

import static org.assertj.core.api.Assertions.assertThat;

import dev.greenhub.Green;
import dev.greenhub.GreenThread;
import dev.greenhub.Scheduler;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class SmokeTest {
    @Test
    void everyInRepoHubIsAvailable() {
        assertThat(EveryHub.names()).contains("epoll", "poll", "select");
    }

    @ParameterizedTest
    @MethodSource("dev.greenhub.testsuite.EveryHub#hubs")
    void spawnGetAndSleep(String hub) {
        try (Scheduler scheduler = Scheduler.open(hub)) {
            assertThat(scheduler.hubName()).isEqualTo(hub);
            GreenThread<Integer> g = Green.spawn(() -> {
                Green.sleep(Duration.ofMillis(20));
                return 42;
            });
            long start = System.nanoTime();
            assertThat(g.get()).isEqualTo(42);
            assertThat(System.nanoTime() - start).isGreaterThanOrEqualTo(20_000_000L);
        }
    }
}
