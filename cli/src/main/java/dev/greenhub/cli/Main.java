package dev.greenhub.cli;

import dev.greenhub.hub.HubUnavailableException;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * The {@code greenhub} command ({@code ./greenhub} at the repository root runs it; its jar's manifest
 * carries the JVM flags greenhub needs). Exit status: 0 success, 1 a failure of what was run (a TCK
 * rule, a benchmark, a server that could not start), 2 bad usage (an unknown option or command, a
 * hub that is not on the class path or not available here). Errors are printed as
 * {@code greenhub COMMAND: message}, without exception class names; {@code GREENHUB_DEBUG=1} adds
 * the stack trace.
 */
@Command(name = "greenhub", mixinStandardHelpOptions = true, versionProvider = Main.Version.class,
        description = "Green threads for Java 25 with pluggable select/poll/epoll hubs.",
        subcommands = {DemoCommand.class, HubsCommand.class, TckCommand.class, BenchJarCommand.class,
                ServeEchoCommand.class, ServeHttpCommand.class, CommandLine.HelpCommand.class},
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
        CommandLine cl = withErrorReporting(new CommandLine(new Main()));
        // everything after 'bench' goes as it is to the bench jar, --help and '--' included: the
        // first argument stops the parsing, and no argument is the end-of-options delimiter (a
        // command-line argument cannot hold a NUL character)
        cl.getSubcommands().get("bench").setStopAtUnmatched(true).setEndOfOptionsDelimiter("\0");
        return cl;
    }

    /**
     * Makes a command line report a failure as {@code greenhub COMMAND: message} with the exit
     * status of {@link #FAILURE} (or {@link #USAGE} for an unavailable hub); the bench jar's
     * {@code BenchMain} reports its failures so too.
     */
    static CommandLine withErrorReporting(CommandLine cl) {
        cl.setExecutionExceptionHandler((e, line, parsed) -> {
            line.getErr().println("greenhub " + line.getCommandName() + ": " + describe(e));
            if (System.getenv("GREENHUB_DEBUG") != null) {
                e.printStackTrace(line.getErr());
            } else {
                line.getErr().println("(GREENHUB_DEBUG=1 prints the stack trace)");
            }
            line.getErr().flush();
            return e instanceof HubUnavailableException ? USAGE : FAILURE;
        });
        return cl;
    }

    /**
     * The JVM options for a child JVM that runs greenhub code from this class path: this JVM's own
     * options, plus greenhub's flags, which {@code java -jar} takes from the CLI's or bench's jar's
     * manifest and which a child started with {@code -cp} would otherwise lack.
     *
     * @return the options, in order
     */
    static java.util.List<String> childJvmArguments() {
        java.util.List<String> args = new java.util.ArrayList<>(
                java.lang.management.ManagementFactory.getRuntimeMXBean().getInputArguments());
        args.addAll(greenhubJvmFlags());
        return args;
    }

    /**
     * greenhub's own JVM flags (the root pom's {@code greenhub.jvm.flags}, which this jar's
     * manifest gives to {@code java -jar}), for a child JVM started with {@code -cp}.
     *
     * @return the flags, one option a string
     */
    static java.util.List<String> greenhubJvmFlags() {
        return java.util.List.of("--enable-native-access=ALL-UNNAMED", "--add-opens=java.base/java.lang=ALL-UNNAMED",
                "--add-opens=java.base/sun.nio.ch=ALL-UNNAMED");
    }

    /** Exit status of a run that failed. */
    static final int FAILURE = 1;
    /** Exit status of bad usage, as picocli's for an unknown option. */
    static final int USAGE = 2;

    /**
     * What went wrong, for a person: the first message along the cause chain, without exception
     * class names (an exception without any message is named by what it is, in words).
     */
    static String describe(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            String message = t.getMessage();
            boolean wrapsCause = t.getCause() != null && t.getCause().toString().equals(message);
            if (message != null && !message.isBlank() && !wrapsCause) {
                return message;
            }
        }
        return "an unexpected error (" + e.getClass().getSimpleName().replaceAll("([a-z])([A-Z])", "$1 $2")
                .toLowerCase(java.util.Locale.ROOT) + ")";
    }

    /** The version, from the build (the filtered resource {@code greenhub-version.properties}). */
    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            return new String[] {"greenhub " + version()};
        }

        static String version() {
            java.util.Properties p = new java.util.Properties();
            try (java.io.InputStream in = Main.class.getResourceAsStream("/dev/greenhub/cli/greenhub-version.properties")) {
                if (in != null) {
                    p.load(in);
                }
            } catch (java.io.IOException e) {
                return "(unknown version: " + e.getMessage() + ")";
            }
            return p.getProperty("version", "(unknown version)");
        }
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
