package dev.greenhub.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * {@code greenhub bench} in the CLI: it hands its arguments unchanged to the bench jar. (The
 * bench jar itself is built after this module; {@code ./greenhub bench} runs the two together.)
 */
class BenchJarCommandTest {

    private static BenchJarCommand parsed(String... args) {
        CommandLine.ParseResult result = Main.commandLine().parseArgs(args);
        return (BenchJarCommand) result.subcommand().commandSpec().userObject();
    }

    @Test
    void everyArgumentAfterBenchGoesToTheBenchJarUnchanged() {
        assertThat(parsed("bench", "--quick", "-w", "W1").args).containsExactly("--quick", "-w", "W1");
        assertThat(parsed("bench", "--jmh", "--", "-l").args).containsExactly("--jmh", "--", "-l");
        assertThat(parsed("bench", "--help").args).containsExactly("--help");
        assertThat(parsed("bench", "--", "-l").args).containsExactly("--", "-l");
        assertThat(parsed("bench", "W9", "--hub", "nosuch").args).containsExactly("W9", "--hub", "nosuch");
        assertThat(parsed("bench").args).isEmpty();
    }

    @Test
    void theBenchJarIsLookedForInTheBenchModulesTarget() throws Exception {
        Path jar = BenchJarCommand.benchJar();
        Path cliTarget = Path.of(BenchJarCommand.class.getProtectionDomain().getCodeSource().getLocation().toURI())
                .getParent();
        assertThat(jar.getFileName()).hasToString("greenhub-bench.jar");
        assertThat(jar.getParent()).isEqualTo(cliTarget.getParent().getParent().resolve("bench/target"));
    }

    @Test
    void aMissingBenchJarIsAFailureThatSaysHowToBuildIt(@TempDir Path dir) {
        Path missing = dir.resolve("greenhub-bench.jar");
        assertThatThrownBy(() -> new BenchJarCommand().run(missing)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining(missing.toString())
                .hasMessageContaining("mvn -B -q package -DskipTests -pl bench -am");
    }
}
