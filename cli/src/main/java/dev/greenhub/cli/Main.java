package dev.greenhub.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * The {@code greenhub} command ({@code ./greenhub} at the repository root runs it with the JVM
 * flags greenhub needs). Exit status: 0 success, 1 a failure of what was run (a TCK rule, a
 * benchmark), 2 bad usage.
 */
@Command(name = "greenhub", mixinStandardHelpOptions = true, version = "greenhub 0.1.0-SNAPSHOT",
        description = "Green threads for Java 25 with pluggable select/poll/epoll hubs.",
        subcommands = {DemoCommand.class, HubsCommand.class, TckCommand.class, BenchCommand.class,
                ServeEchoCommand.class, CommandLine.HelpCommand.class},
        footer = {"", "Start with: ./greenhub demo"})
public final class Main implements Runnable {
    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "a command is needed: demo, hubs, tck, bench or serve-echo");
    }

    /**
     * The command line, ready to {@code execute}.
     *
     * @return the configured command line
     */
    public static CommandLine commandLine() {
        CommandLine cl = new CommandLine(new Main());
        cl.setExecutionExceptionHandler((e, line, parsed) -> {
            line.getErr().println("greenhub " + line.getCommandName() + ": " + e);
            if (System.getenv("GREENHUB_DEBUG") != null) {
                e.printStackTrace(line.getErr());
            }
            line.getErr().flush();
            return 1;
        });
        return cl;
    }

    /**
     * Runs the command and exits with its status.
     *
     * @param args the arguments
     */
    public static void main(String[] args) {
        int status = commandLine().execute(args);
        System.out.flush();
        System.exit(status);
    }
}
