package dev.greenhub.example.customhub;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The README's tutorial, run as written: its {@code java ... dev.greenhub.tck.Tck --hub enxio}
 * command, from the root of the repository, with this build's class path in place of the file
 * its {@code mvn ... dependency:build-classpath} step writes, must print what the README says and
 * exit 0. A flag missing from the README, or a rule count it quotes wrongly, fails here.
 */
class TutorialCommandTest {

    @Test
    @Timeout(value = 300, unit = TimeUnit.SECONDS)
    void theReadmeTckCommandPassesAndPrintsTheQuotedSummary() throws IOException, InterruptedException {
        String readme = Files.readString(Path.of("README.md"));
        Matcher block = Pattern.compile("```\\n(mvn [^\\n]*)\\n(java .*?dev\\.greenhub\\.tck\\.Tck --hub enxio)\\n\\s*```",
                Pattern.DOTALL).matcher(readme.replaceAll("\\n {3}", "\n"));
        assertThat(block.find()).as("the README's tutorial block: an mvn line, then the java command").isTrue();
        String classPath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        String java = block.group(2).replaceAll("\\\\\\n\\s*", " ").replace("$(cat /tmp/cp.txt)", classPath);
        Matcher summary = Pattern.compile("`(\\d+ passed, 0 failed, \\d+ skipped)`").matcher(readme);
        assertThat(summary.find()).as("the summary line the README quotes").isTrue();

        List<String> command = new ArrayList<>();
        for (String token : java.strip().split("\\s+")) {
            if (token.equals("java") && command.isEmpty()) {
                command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
            } else {
                command.add(token);
            }
        }
        Path root = Path.of("").toAbsolutePath().getParent().getParent();
        assertThat(root.resolve("examples/custom-hub/README.md")).as("the repository root").exists();
        Process process = new ProcessBuilder(command).directory(root.toFile()).redirectErrorStream(true).start();
        process.getOutputStream().close();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(240, TimeUnit.SECONDS)).as("the command ended").isTrue();
        List<String> lines = output.lines().filter(l -> !l.startsWith("WARNING")).toList();
        assertThat(lines).as("output:%n%s", output).isNotEmpty();
        assertThat(lines.getFirst()).isEqualTo("hub: enxio (dev.greenhub.example.customhub.EnxioHubProvider)");
        assertThat(lines.get(1)).startsWith("capabilities: ").endsWith("META-INF/greenhub/tck/enxio.properties)");
        assertThat(lines).as("warnings of the kit").noneMatch(l -> l.startsWith("warning:"));
        assertThat(lines.getLast()).as("output:%n%s", output).isEqualTo(summary.group(1));
        assertThat(process.exitValue()).as("exit status, output:%n%s", output).isZero();
    }
}
