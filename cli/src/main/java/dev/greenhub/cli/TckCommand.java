package dev.greenhub.cli;

import dev.greenhub.hub.HubProvider;
import dev.greenhub.tck.Tck;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.ServiceLoader;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code greenhub tck}: runs the compatibility kit against a hub, ours or a user's. */
@Command(name = "tck", mixinStandardHelpOptions = true,
        description = {"Runs the hub compatibility kit (TCK) against a hub and prints 'hub: NAME (class)', one"
                + " PASS/FAIL/SKIP line per rule and 'N passed, N failed, N skipped'.",
                "With --classpath and no --hub it tests the hub registered in those jars.",
                "Exit status: 0 no rule failed, 1 a rule failed (required, or optional for a feature the hub claims),"
                        + " 2 usage or hub error."})
final class TckCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--hub", paramLabel = "NAME", description = "the hub to test (default: the one registered in"
            + " --classpath, else the one greenhub selects)")
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
        PrintStream out = WriterStream.of(spec.commandLine().getOut());
        PrintStream err = WriterStream.of(spec.commandLine().getErr());
        int status = ExtraClassPath.with(spec.commandLine(), classPath, () -> {
            String name = hub;
            if (name == null && classPath != null && !classPath.isBlank() && !list) {
                List<String> found = hubsOnlyIn(Thread.currentThread().getContextClassLoader());
                if (found.size() != 1) {
                    err.println("tck: " + (found.isEmpty() ? "no hub provider is registered in --classpath " + classPath
                            + " (META-INF/services/" + HubProvider.class.getName() + ")"
                            : "--classpath " + classPath + " registers several hubs " + found + ": choose one with --hub"));
                    return Tck.EXIT_USAGE;
                }
                name = found.getFirst();
            }
            return Tck.run(arguments(name), out, err);
        });
        out.flush();
        err.flush();
        return status;
    }

    /**
     * The names of the providers that {@code loader} registers and its parent does not: the hubs of
     * the --classpath jars, not the built-in ones.
     */
    private static List<String> hubsOnlyIn(ClassLoader loader) {
        Set<String> builtIn = new TreeSet<>();
        ServiceLoader.load(HubProvider.class, loader.getParent()).stream()
                .forEach(p -> builtIn.add(p.type().getName()));
        List<String> names = new ArrayList<>();
        ServiceLoader.load(HubProvider.class, loader).stream()
                .filter(p -> !builtIn.contains(p.type().getName()))
                .forEach(p -> names.add(p.get().name()));
        return names;
    }

    private String[] arguments(String name) {
        List<String> args = new ArrayList<>();
        if (name != null) {
            args.add("--hub");
            args.add(name);
        }
        for (String r : rules) {
            args.add("--rule");
            args.add(r);
        }
        if (list) {
            args.add("--list");
        }
        return args.toArray(String[]::new);
    }
}
