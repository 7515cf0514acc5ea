package dev.greenhub.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.greenhub.hub.Hubs;
import dev.greenhub.hub.ProviderStatus;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class MainTest {
    private record Run(int status, String out, String err) {
    }

    private static Run run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cl = Main.commandLine();
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));
        int status = cl.execute(args);
        return new Run(status, out.toString(), err.toString());
    }

    private static Path userHubDir(Path dir) throws IOException {
        Path services = dir.resolve("META-INF/services");
        Files.createDirectories(services);
        Files.writeString(services.resolve("dev.greenhub.hub.HubProvider"), RenamedPollProvider.class.getName() + "\n");
        return dir;
    }

    @Test
    void hubsListsTheThreeHubsAndTheSelectedOne() {
        Run r = run("hubs");
        assertThat(r.status()).isZero();
        List<String> lines = r.out().lines().toList();
        assertThat(lines.get(0)).isEqualTo("hub providers on the class path (highest priority first):");
        assertThat(lines).anyMatch(l -> l.matches("\\s+epoll\\s+priority\\s+300\\s+(available|unavailable)\\s+.*EpollHubProvider"));
        assertThat(lines).anyMatch(l -> l.matches("\\s+poll\\s+priority\\s+200\\s+available\\s+.*PollHubProvider"));
        assertThat(lines).anyMatch(l -> l.matches("\\s+select\\s+priority\\s+100\\s+available\\s+.*SelectHubProvider"));
        String expected = Hubs.providers().stream().filter(ProviderStatus::isAvailable).findFirst().orElseThrow().name();
        assertThat(lines.getLast()).isEqualTo("selected: " + expected + " (highest priority of the available providers)");
        assertThat(r.out()).doesNotContain("userpoll");
    }

    @Test
    void hubsWithANamedHubSaysWhy() {
        Run r = run("hubs", "--hub", "select");
        assertThat(r.status()).isZero();
        assertThat(r.out().lines().toList().getLast()).isEqualTo("selected: select (" + Hubs.select("select").reason() + ")");
    }

    @Test
    void hubsWithAnUnknownHubIsAUsageErrorAndSaysSo() {
        Run r = run("hubs", "--hub", "nosuch");
        assertThat(r.status()).isEqualTo(2);
        assertThat(r.err()).contains("selected: none: no hub named 'nosuch'");
    }

    @Test
    void tckOnPollPrintsTheHubLineTheRulesAndTheSummary() {
        Run r = run("tck", "--hub", "poll", "--rule", "R01", "--rule", "R04");
        assertThat(r.status()).as(r.err()).isZero();
        List<String> lines = r.out().lines().toList();
        assertThat(lines.getFirst()).isEqualTo("hub: poll (dev.greenhub.hub.poll.PollHubProvider)");
        assertThat(lines).filteredOn(l -> l.startsWith("PASS ")).extracting(l -> l.split(" ")[1]).containsExactly("R01", "R04");
        assertThat(lines.getLast()).isEqualTo("2 passed, 0 failed, 0 skipped");
    }

    @Test
    void tckFindsAUserHubThroughClasspath(@TempDir Path dir) throws IOException {
        Path extra = userHubDir(dir);
        Run hubs = run("hubs", "--classpath", extra.toString());
        assertThat(hubs.out()).containsPattern("\\s+userpoll\\s+priority\\s+10\\s+available\\s+dev.greenhub.cli.RenamedPollProvider");
        Run r = run("tck", "--classpath", extra.toString(), "--hub", "userpoll", "--rule", "R01");
        assertThat(r.status()).as(r.err()).isZero();
        assertThat(r.out().lines().toList().getFirst()).isEqualTo("hub: userpoll (dev.greenhub.cli.RenamedPollProvider)");
        assertThat(r.out().lines().toList().getLast()).isEqualTo("1 passed, 0 failed, 0 skipped");
        Run noHub = run("tck", "--classpath", extra.toString(), "--rule", "R01");
        assertThat(noHub.status()).as(noHub.err()).isZero();
        assertThat(noHub.out().lines().toList().getFirst()).as("--classpath without --hub tests the jar's hub")
                .isEqualTo("hub: userpoll (dev.greenhub.cli.RenamedPollProvider)");
        assertThat(noHub.err()).as("RenamedPollProvider has no capabilities file")
                .contains("warning: no capabilities file META-INF/greenhub/tck/userpoll.properties");
        Run without = run("tck", "--hub", "userpoll", "--rule", "R01");
        assertThat(without.status()).isEqualTo(2);
        assertThat(without.err()).contains("no hub named 'userpoll'");
    }

    @Test
    void badOptionsGiveAClearErrorAndStatus2() {
        Run unknownOption = run("hubs", "--bogus");
        assertThat(unknownOption.status()).isEqualTo(2);
        assertThat(unknownOption.err()).contains("Unknown option: '--bogus'");

        Run tckUnknownHub = run("tck", "--hub", "nosuch");
        assertThat(tckUnknownHub.status()).isEqualTo(2);
        assertThat(tckUnknownHub.err()).contains("tck: no hub named 'nosuch'");

        Run missingJar = run("tck", "--classpath", "/nonexistent/hub.jar");
        assertThat(missingJar.status()).isEqualTo(2);
        assertThat(missingJar.err()).contains("--classpath: /nonexistent/hub.jar does not exist");

        Run noCommand = run();
        assertThat(noCommand.status()).isEqualTo(2);
        assertThat(noCommand.err()).contains("a command is needed: demo, hubs, tck, bench or serve-echo");
    }

    /** An unknown hub is a usage error (2) for every command, said without an exception class name. */
    @Test
    void anUnknownHubIsStatus2WithoutAnExceptionNameForEveryCommand() {
        for (String[] args : new String[][] {{"demo", "--hub", "nosuch"}, {"tck", "--hub", "nosuch"},
                {"hubs", "--hub", "nosuch"}, {"serve-echo", "--port", "0", "--hub", "nosuch"}}) {
            Run r = run(args);
            assertThat(r.status()).as(String.join(" ", args) + ": " + r.err()).isEqualTo(2);
            assertThat(r.err()).as(String.join(" ", args)).contains("no hub named 'nosuch'")
                    .doesNotContain("Exception");
        }
        Run demo = run("demo", "--hub", "nosuch");
        assertThat(demo.err()).startsWith("greenhub demo: no hub named 'nosuch'");
    }

    /** A run that fails (here: the port is taken) is status 1, with the reason and no exception class name. */
    @Test
    void aFailedRunIsStatus1WithTheReasonAndNoExceptionName() throws IOException {
        try (java.net.ServerSocket taken = new java.net.ServerSocket(0, 1, java.net.InetAddress.getByName("127.0.0.1"))) {
            Run r = run("serve-echo", "--port", Integer.toString(taken.getLocalPort()), "--hub", "poll");
            assertThat(r.status()).as(r.err()).isEqualTo(1);
            assertThat(r.err()).startsWith("greenhub serve-echo: ").containsIgnoringCase("address already in use")
                    .doesNotContain("Exception");
        }
    }

    @Test
    void anExceptionWithoutAMessageIsDescribedInWords() {
        assertThat(Main.describe(new NullPointerException())).isEqualTo("an unexpected error (null pointer exception)");
        assertThat(Main.describe(new IllegalStateException(new java.io.IOException("disk full"))))
                .isEqualTo("disk full");
        assertThat(Main.describe(new RuntimeException(null, new java.io.IOException("disk full")))).isEqualTo("disk full");
    }

    @Test
    void theVersionComesFromTheBuild() {
        String expected = System.getProperty("greenhub.expected.version");
        assertThat(expected).as("set by the cli POM from ${project.version}").isNotBlank();
        Run r = run("--version");
        assertThat(r.status()).isZero();
        assertThat(r.out().strip()).isEqualTo("greenhub " + expected);
    }
}
