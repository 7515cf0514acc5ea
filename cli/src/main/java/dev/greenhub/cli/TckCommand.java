package dev.greenhub.cli;

import dev.greenhub.tck.Tck;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code greenhub tck}: runs the compatibility kit against a hub, ours or a user's. */
@Command(name = "tck", mixinStandardHelpOptions = true,
        description = {"Runs the hub compatibility kit (TCK) against a hub and prints 'hub: NAME (class)', one"
                + " PASS/FAIL/SKIP line per rule and 'N passed, N failed, N skipped'.",
                "Exit status: 0 every required rule passed, 1 a required rule failed, 2 usage or hub error."})
final class TckCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--hub", paramLabel = "NAME", description = "the hub to test (default: the one greenhub selects)")
    String hub;

    @Option(names = "--classpath", paramLabel = "JARS",
            description = "jars or directories (':'-separated) holding your hub, registered in"
                    + " META-INF/services/dev.greenhub.hub.HubProvider")
    String classPath;

    @Option(names = "--rule", paramLabel = "ID", description = "run only this rule, such as R07 (repeatable)")
    List<String> rules = new ArrayList<>();

    @Option(names = "--list", description = "list the rules and exit")
    boolean list;

    @Override
    public Integer call() throws Exception {
        List<String> args = new ArrayList<>();
        if (hub != null) {
            args.add("--hub");
            args.add(hub);
        }
        for (String r : rules) {
            args.add("--rule");
            args.add(r);
        }
        if (list) {
            args.add("--list");
        }
        PrintStream out = WriterStream.of(spec.commandLine().getOut());
        PrintStream err = WriterStream.of(spec.commandLine().getErr());
        int status = ExtraClassPath.with(spec.commandLine(), classPath,
                () -> Tck.run(args.toArray(String[]::new), out, err));
        out.flush();
        err.flush();
        return status;
    }
}
