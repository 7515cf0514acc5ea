package dev.greenhub.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openjdk.jmh.runner.options.CommandLineOptions;

/** {@code greenhub bench --jmh}: the forked benchmark JVMs get greenhub's JVM flags. */
class BenchJmhTest {

    @Test
    void jmhForksAreGivenGreenhubsFlagsBeforeTheUsersOwnOptions() throws Exception {
        CommandLineOptions options = new CommandLineOptions(BenchCommand.jmhArguments(
                List.of("-jvmArgsPrepend", "-Xmx256m", "-f", "1", "SchedulerBenchmarks")));
        assertThat(options.getJvmArgsPrepend().get()).containsSubsequence(
                "--enable-native-access=ALL-UNNAMED", "--add-opens=java.base/java.lang=ALL-UNNAMED",
                "--add-opens=java.base/sun.nio.ch=ALL-UNNAMED").contains("-Xmx256m");
        assertThat(options.getForkCount().get()).isEqualTo(1);
        assertThat(options.getIncludes()).containsExactly("SchedulerBenchmarks");
    }

    /**
     * The command in a JVM started without greenhub's flags (as {@code java -jar} starts it: there
     * the manifest gives them to that JVM only): with {@code -foe true} JMH exits 1 if a fork
     * fails, as it did when the forks could not open a scheduler.
     */
    @Test
    void aBenchmarkRunsInAJmhForkOfAJvmWithoutTheFlags(@TempDir Path dir) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(ProcessHandle.current().info().command().orElseThrow(),
                "-cp", System.getProperty("java.class.path"), BenchMain.class.getName()));
        command.addAll(List.of("bench", "--jmh", "--", "-foe", "true", "-f", "1", "-wi", "0", "-i", "1",
                "-r", "200ms", "-p", "hub=poll", "SchedulerBenchmarks.timerScheduleCancel"));
        Path log = dir.resolve("jmh.log");
        Process p = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        p.getOutputStream().close();
        boolean ended = p.waitFor(5, TimeUnit.MINUTES);
        if (!ended) {
            p.destroyForcibly().waitFor();
        }
        String text = Files.readString(log);
        assertThat(ended).as("JMH run ended within 5 minutes: %s", text).isTrue();
        assertThat(text).doesNotContain("<failure>").contains("SchedulerBenchmarks.timerScheduleCancel");
        assertThat(p.exitValue()).as(text).isZero();
    }
}
