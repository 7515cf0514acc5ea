package dev.greenhub.cli;

import java.lang.management.ManagementFactory;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Unmatched;

/**
 * {@code greenhub bench}: runs the benchmark suite, which lives in the bench module's jar (with
 * Netty and JMH, which the CLI does not ship), as {@code java -jar greenhub-bench.jar bench ARGS}
 * in a child JVM with this one's JVM options and standard streams; its exit status is this
 * command's. The arguments, {@code --help} and {@code --} included, go to it unchanged.
 */
@Command(name = "bench", description = {"Runs the benchmark suite W1-W8 or, with --jmh, the JMH microbenchmarks"
        + " (the bench module's jar, started as a child JVM). 'greenhub bench --help' lists its options."})
final class BenchJarCommand implements Callable<Integer> {
    /** Where the bench jar is, relative to the directory of the CLI's jar (or classes). */
    static final String BENCH_JAR = "../../bench/target/greenhub-bench.jar";

    @Unmatched
    List<String> args = new ArrayList<>();

    @Override
    public Integer call() throws Exception {
        return run(benchJar());
    }

    /** Runs {@code jar} with this command's arguments; its exit status, or an exception if it is missing. */
    int run(Path jar) throws java.io.IOException, InterruptedException {
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException("the bench jar " + jar
                    + " is missing; build it with 'mvn -B -q package -DskipTests -pl bench -am' at the repository root"
                    + " (./greenhub builds it when the sources change)");
        }
        List<String> command = new ArrayList<>();
        command.add(javaBinary());
        command.addAll(ManagementFactory.getRuntimeMXBean().getInputArguments());
        command.add("-jar");
        command.add(jar.toString());
        command.add("bench");
        command.addAll(args);
        Process child = new ProcessBuilder(command).inheritIO().start();
        try {
            return child.waitFor();
        } finally {
            child.destroy(); // only when this thread was interrupted before the child ended
        }
    }

    /**
     * The bench jar: {@value #BENCH_JAR} from the directory that holds this class's jar
     * ({@code cli/target/greenhub-cli.jar}) or class directory ({@code cli/target/classes}).
     */
    static Path benchJar() throws URISyntaxException {
        Path location = Path.of(BenchJarCommand.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        return location.getParent().resolve(BENCH_JAR).normalize();
    }

    private static String javaBinary() {
        return ProcessHandle.current().info().command()
                .orElse(System.getProperty("java.home") + "/bin/java");
    }
}
