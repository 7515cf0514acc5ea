package dev.greenhub.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * The bench jar's command, {@code java -jar bench/target/greenhub-bench.jar bench ARGS}: the
 * {@code greenhub bench} command of the CLI, which starts it so. It lives here, not in the CLI,
 * so that the CLI does not ship the benchmarks' Netty and JMH. Exit statuses and error messages
 * are those of {@link Main}.
 */
@Command(name = "greenhub", description = "The greenhub benchmarks: greenhub bench ...",
        subcommands = {BenchCommand.class, CommandLine.HelpCommand.class})
public final class BenchMain implements Runnable {
    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "a command is needed: bench");
    }

    /**
     * The command line, ready to {@code execute}.
     *
     * @return the configured command line
     */
    public static CommandLine commandLine() {
        return Main.withErrorReporting(new CommandLine(new BenchMain()));
    }

    /**
     * Runs the command and exits with its status.
     *
     * @param args the arguments, {@code bench} first
     */
    public static void main(String[] args) {
        int status = commandLine().execute(args);
        System.out.flush();
        System.exit(status);
    }
}
