package dev.greenhub.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class SuiteTest {
    @Test
    void echoAndIdleRunServersAndTheLoadGeneratorAsProcessesAndReportEachRun() {
        Sizes sizes = new Sizes(10, 10, 10, 10, 10, 10, List.of(1, 2), List.of(0, 3), 0.3, 0.1, 64, 1);
        Suite.Options options = new Suite.Options(List.of("poll"), List.of(Workload.W1, Workload.W6, Workload.W7), sizes,
                true, ProcessHandle.current().info().command().orElseThrow(),
                ManagementFactory.getRuntimeMXBean().getInputArguments(), System.getProperty("java.class.path"), 120);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream progress = new ByteArrayOutputStream();
        Suite.Report report = Suite.run(options, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(progress, true, StandardCharsets.UTF_8));
        String text = out.toString(StandardCharsets.UTF_8);
        assertThat(report.errors()).as(text + progress).isEmpty();
        boolean c = NativeTools.onPath(List.of("gcc", "cc")) != null;
        List<String> expected = new java.util.ArrayList<>(List.of("greenhub-poll W1 -", "jdk-vt W1 -"));
        for (String connections : List.of("1", "2")) {
            expected.add("netty-epoll W6 " + connections);
            if (c) {
                expected.add("c-epoll W6 " + connections);
            }
            expected.add("greenhub-poll W6 " + connections);
        }
        expected.addAll(List.of("greenhub-poll W7 0", "greenhub-poll W7 3"));
        assertThat(report.results()).extracting(r -> r.system() + " " + r.workload() + " "
                        + r.metrics().getOrDefault("connections", r.metrics().getOrDefault("idle", "-")))
                .containsExactlyElementsOf(expected);
        for (Result r : report.results()) {
            String rate = r.metrics().getOrDefault("requests_per_s", r.metrics().get("yields_per_s"));
            assertThat(Long.parseLong(rate)).as(r.line()).isPositive();
            assertThat(text).contains(r.line());
        }
        int steps = 2 * Rounds.ROUNDS + (c ? 3 : 2) * 2 * Rounds.ECHO_ROUNDS + 2; // W1 and W6 per system and round, W7 twice
        assertThat(progress.toString(StandardCharsets.UTF_8)).contains("bench: [1/" + steps + "] W1 yield on poll, round 1 of " + Rounds.ROUNDS,
                "bench: [2/" + steps + "] W1 yield on jdk-vt (reference), round 1 of " + Rounds.ROUNDS,
                "W6 echo on greenhub-poll, 2 connections (0.3 s, round " + Rounds.ECHO_ROUNDS + " of " + Rounds.ECHO_ROUNDS + ")",
                "bench: [" + steps + "/" + steps + "] W7 idle on greenhub-poll, 3 idle connections + 1 active");
        assertThat(text).contains("NOTE W6 rounds: each server measured " + Rounds.ECHO_ROUNDS + " times");
        assertThat(text).contains("| W6 connections=2 requests_per_s", "TARGET greenhub-poll W1 yields_per_s >= 1.0x jdk-vt",
                "NOTE W6 load generator: " + (c ? "echo_load (C" : "EchoLoad (Java"));
    }

    @Test
    void runsBeyondSelectsFdLimitAreSkippedWithTheReasonNotFailed() {
        Sizes sizes = new Sizes(10, 10, 10, 10, 10, 10, List.of(2), List.of(2000), 0.3, 0.1, 64, 1);
        Suite.Options options = new Suite.Options(List.of("select"), List.of(Workload.W7), sizes,
                true, ProcessHandle.current().info().command().orElseThrow(),
                ManagementFactory.getRuntimeMXBean().getInputArguments(), System.getProperty("java.class.path"), 120);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        Suite.Report report = Suite.run(options, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8));
        assertThat(report.errors()).isEmpty();
        assertThat(report.results()).isEmpty();
        assertThat(report.skipped()).containsExactly("W7 idle=2000 on greenhub-select: the hub takes fds below 1024 only");
        assertThat(out.toString(StandardCharsets.UTF_8)).contains("SKIP W7 idle=2000 on greenhub-select: the hub takes fds below 1024 only");
    }
}
