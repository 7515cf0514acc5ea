package dev.greenhub.tck.selftest;

import static org.assertj.core.api.Assertions.assertThat;

import dev.greenhub.tck.Tck;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The command-line runner's output format and exit status. */
class TckCommandLineTest {

    private record Run(int status, List<String> out, String err) {
    }

    private static Run inProcess(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int status = Tck.run(args, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Run(status, out.toString(StandardCharsets.UTF_8).lines().toList(),
                err.toString(StandardCharsets.UTF_8));
    }

    @Test
    void aBrokenHubGetsTheHeaderOneLinePerRuleTheSummaryAndStatusOne() {
        Run run = inProcess("--hub", "poll-ignores-wakeup", "--rule", "R04", "--rule", "R33", "--rule", "R22");
        assertThat(run.out()).as("output").hasSize(6);
        assertThat(run.out().getFirst())
                .isEqualTo("hub: poll-ignores-wakeup (dev.greenhub.tck.selftest.BrokenHubs$IgnoresWakeup)");
        assertThat(run.out().get(1)).startsWith("capabilities: fdLimit=unlimited, ")
                .endsWith("(from defaults: no META-INF/greenhub/tck/poll-ignores-wakeup.properties on the class path)");
        assertThat(run.err()).contains("warning: no capabilities file META-INF/greenhub/tck/poll-ignores-wakeup.properties"
                + " for the hub 'poll-ignores-wakeup'");
        assertThat(run.out().get(2)).startsWith("PASS R04 ").endsWith("[required]");
        assertThat(run.out().get(3)).startsWith("PASS R22 ").endsWith("[optional: HANGUP]");
        assertThat(run.out().get(4)).startsWith("FAIL R33 ").contains("[required]: ")
                .contains(" - if this fails, check ");
        assertThat(run.out().getLast()).isEqualTo("2 passed, 1 failed, 0 skipped");
        assertThat(run.status()).as("exit status").isEqualTo(Tck.EXIT_FAILED);
    }

    @Test
    void aFailingOptionalRuleOfAClaimedFeatureFailsTheRun() {
        // TCP peer close shows READ as well as HANGUP, so only the optional HANGUP rule sees the fault.
        // The hub does not declare HANGUP lacking: it claims it, so the failure fails the run, as in JUnit.
        Run run = inProcess("--hub", "poll-drops-hangup", "--rule", "R25", "--rule", "R26");
        assertThat(run.out()).as("output").hasSize(5);
        assertThat(run.out().get(2)).startsWith("PASS R25 ");
        assertThat(run.out().get(3)).startsWith("FAIL R26 ").contains("[optional: HANGUP]: ");
        assertThat(run.out().getLast()).isEqualTo("1 passed, 1 failed, 0 skipped");
        assertThat(run.status()).as("exit status with an optional rule of a claimed feature failing")
                .isEqualTo(Tck.EXIT_FAILED);
        Run required = inProcess("--hub", "poll-write-as-read", "--rule", "R05");
        assertThat(required.out().get(2)).startsWith("FAIL R05 ");
        assertThat(required.status()).isEqualTo(Tck.EXIT_FAILED);
    }

    @Test
    void theRealPollHubExitsZero() {
        Run run = inProcess("--hub", "poll", "--rule", "R04", "--rule", "R30");
        assertThat(run.out()).containsExactly("hub: poll (dev.greenhub.hub.poll.PollHubProvider)",
                run.out().get(1), run.out().get(2), run.out().get(3), "2 passed, 0 failed, 0 skipped");
        assertThat(run.out().get(1)).startsWith("capabilities: fdLimit=unlimited, ")
                .endsWith("META-INF/greenhub/tck/poll.properties)");
        assertThat(run.err()).as("warnings for a complete declaration").isEmpty();
        assertThat(run.status()).isEqualTo(Tck.EXIT_OK);
    }

    @Test
    void badArgumentsAndUnknownHubsExitTwoWithAMessage() {
        Run unknownHub = inProcess("--hub", "no-such-hub");
        assertThat(unknownHub.status()).isEqualTo(Tck.EXIT_USAGE);
        assertThat(unknownHub.err()).contains("no-such-hub").contains("poll");
        assertThat(unknownHub.out()).isEmpty();
        Run unknownRule = inProcess("--rule", "R999");
        assertThat(unknownRule.status()).isEqualTo(Tck.EXIT_USAGE);
        assertThat(unknownRule.err()).contains("R999");
        Run unknownArgument = inProcess("--frobnicate");
        assertThat(unknownArgument.status()).isEqualTo(Tck.EXIT_USAGE);
        assertThat(unknownArgument.err()).contains("--frobnicate").contains("usage:");
        Run missingValue = inProcess("--hub");
        assertThat(missingValue.status()).isEqualTo(Tck.EXIT_USAGE);
        assertThat(missingValue.err()).contains("--hub needs a value");
    }

    @Test
    void helpAndListPrintAndExitZero() {
        Run help = inProcess("--help");
        assertThat(help.status()).isEqualTo(Tck.EXIT_OK);
        assertThat(help.out().getFirst()).startsWith("usage: java -cp <class path> dev.greenhub.tck.Tck [--hub NAME]");
        Run list = inProcess("--list");
        assertThat(list.status()).isEqualTo(Tck.EXIT_OK);
        assertThat(list.out()).hasSizeGreaterThanOrEqualTo(30).allMatch(l -> l.matches("R\\d\\d .*\\]"));
    }

    @Test
    void theMainMethodExitsNonZeroForABrokenHub() throws IOException, InterruptedException {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        for (String arg : ManagementFactory.getRuntimeMXBean().getInputArguments()) {
            if (arg.startsWith("--enable-native-access") || arg.startsWith("--add-opens")
                    || arg.startsWith("--sun-misc-unsafe-memory-access")) {
                command.add(arg);
            }
        }
        String classPath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        command.addAll(List.of("-cp", classPath, Tck.class.getName(), "--hub", "poll-drops-events",
                "--rule", "R20", "--rule", "R04"));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        process.getOutputStream().close();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).as("the runner ended").isTrue();
        List<String> lines = output.lines().filter(l -> !l.startsWith("WARNING") && !l.startsWith("warning:")).toList();
        assertThat(lines).as("output:%n%s", output).hasSize(5);
        assertThat(lines.getFirst()).isEqualTo("hub: poll-drops-events (dev.greenhub.tck.selftest.BrokenHubs$DropsEvents)");
        assertThat(lines.get(1)).startsWith("capabilities: ");
        assertThat(lines.get(2)).startsWith("PASS R04 ");
        assertThat(lines.get(3)).startsWith("FAIL R20 ");
        assertThat(lines.getLast()).isEqualTo("1 passed, 1 failed, 0 skipped");
        assertThat(process.exitValue()).as("exit status, output:%n%s", output).isEqualTo(Tck.EXIT_FAILED);
    }
}
