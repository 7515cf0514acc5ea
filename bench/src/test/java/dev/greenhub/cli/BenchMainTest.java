package dev.greenhub.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** The bench jar's command, {@code greenhub bench}, run in this JVM. */
class BenchMainTest {
    private record Run(int status, String out, String err) {
    }

    private static Run run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cl = BenchMain.commandLine();
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));
        int status = cl.execute(args);
        return new Run(status, out.toString(), err.toString());
    }

    @Test
    void benchQuickW1PrintsAResultLineWithAPositiveRate() {
        Run r = run("bench", "--quick", "--no-fork", "--hub", "poll", "--workload", "W1", "--yields", "2000");
        assertThat(r.status()).as(r.err()).isZero();
        Matcher m = Pattern.compile("(?m)^RESULT greenhub-poll W1 yields_per_s=(\\d+) yields=4000 ").matcher(r.out());
        assertThat(m.find()).as(r.out()).isTrue();
        assertThat(Long.parseLong(m.group(1))).isPositive();
        assertThat(r.out()).contains("| W1 yields_per_s")
                .contains("SKIP W1 on jdk-vt: the JDK reference needs a JVM of its own (without --no-fork)");
        assertThat(r.err()).contains("bench: [1/2] W1 yield on poll");
    }

    @Test
    void benchW3ChecksTheSumAndReportsPeakRss() {
        Run r = run("bench", "--no-fork", "--hub", "select", "-w", "spawn", "--spawns", "500");
        assertThat(r.status()).as(r.err()).isZero();
        assertThat(r.out()).containsPattern("(?m)^RESULT greenhub-select W3 spawned_joined_per_s=[1-9]\\d* peak_rss_mib=[0-9.]+ threads=500 ");
    }

    @Test
    void badOptionsGiveAClearErrorAndStatus2() {
        Run unknownWorkload = run("bench", "--workload", "W9");
        assertThat(unknownWorkload.status()).isEqualTo(2);
        assertThat(unknownWorkload.err()).contains("--workload: unknown workload 'W9'; the workloads are W1 (yield)");

        Run unknownHub = run("bench", "--hub", "nosuch", "-w", "W1");
        assertThat(unknownHub.status()).isEqualTo(2);
        assertThat(unknownHub.err()).contains("--hub: no hub named 'nosuch' on the class path");

        Run badSize = run("bench", "--spawns", "0", "-w", "W3");
        assertThat(badSize.status()).isEqualTo(2);
        assertThat(badSize.err()).contains("spawns must be at least 1: 0");

        Run notANumber = run("bench", "--spawns", "many");
        assertThat(notANumber.status()).isEqualTo(2);
        assertThat(notANumber.err()).contains("Invalid value for option '--spawns': 'many' is not an int");

        Run unknownHubW1 = run("bench", "--hub", "nosuch", "-w", "W1");
        assertThat(unknownHubW1.err()).doesNotContain("Exception");

        Run noCommand = run();
        assertThat(noCommand.status()).isEqualTo(2);
        assertThat(noCommand.err()).contains("a command is needed: bench");
    }
}
