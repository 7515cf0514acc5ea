package dev.greenhub.cli;

import dev.greenhub.hub.HubSelection;
import dev.greenhub.hub.HubUnavailableException;
import dev.greenhub.hub.Hubs;
import dev.greenhub.hub.ProviderStatus;
import java.io.PrintWriter;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code greenhub hubs}: the providers on the class path and which one would be selected. */
@Command(name = "hubs", mixinStandardHelpOptions = true,
        description = {"Lists the hub providers on the class path (highest priority first), which one would be"
                + " selected and why, and for each unavailable one the reason.",
                "Selection honours -Dgreenhub.hub=NAME and GREENHUB_HUB=NAME."})
final class HubsCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--hub", paramLabel = "NAME", description = "show the selection of this hub instead of the default")
    String hub;

    @Option(names = "--classpath", paramLabel = "JARS", description = "extra jars or directories (':'-separated) with hubs of your own")
    String classPath;

    @Override
    public Integer call() throws Exception {
        return ExtraClassPath.with(spec.commandLine(), classPath, this::list);
    }

    private int list() {
        PrintWriter out = spec.commandLine().getOut();
        List<ProviderStatus> table = Hubs.providers();
        out.println("hub providers on the class path (highest priority first):");
        if (table.isEmpty()) {
            out.println("  none");
        }
        int width = table.stream().mapToInt(r -> r.name().length()).max().orElse(4);
        for (ProviderStatus row : table) {
            String priority = row.priority() == Integer.MIN_VALUE ? "?" : Integer.toString(row.priority());
            out.printf("  %-" + width + "s  priority %4s  %-11s  %s%n", row.name(), priority,
                    row.isAvailable() ? "available" : "unavailable", row.providerClass());
            if (!row.isAvailable()) {
                out.println("  " + " ".repeat(width) + "  reason: " + row.availability().reason());
            }
        }
        try {
            HubSelection selection = hub == null ? Hubs.select() : Hubs.select(hub);
            out.println("selected: " + selection.provider().name() + " (" + selection.reason() + ")");
            out.flush();
            return 0;
        } catch (HubUnavailableException e) {
            out.flush();
            spec.commandLine().getErr().println("selected: none: " + e.getMessage().lines().findFirst().orElse(""));
            spec.commandLine().getErr().flush();
            return hub == null ? 1 : 2; // no usable hub at all is a failure; a bad --hub, a usage error
        }
    }
}
