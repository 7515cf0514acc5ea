package dev.greenhub.tck;

import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

import dev.greenhub.hub.HubProvider;
import dev.greenhub.hub.HubSelection;
import dev.greenhub.hub.HubUnavailableException;
import dev.greenhub.hub.Hubs;
import java.io.PrintStream;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import org.junit.platform.engine.FilterResult;
import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.engine.support.descriptor.MethodSource;
import org.junit.platform.launcher.EngineFilter;
import org.junit.platform.launcher.Launcher;
import org.junit.platform.launcher.LauncherDiscoveryRequest;
import org.junit.platform.launcher.PostDiscoveryFilter;
import org.junit.platform.launcher.TestExecutionListener;
import org.junit.platform.launcher.TestIdentifier;
import org.junit.platform.launcher.core.LauncherDiscoveryRequestBuilder;
import org.junit.platform.launcher.core.LauncherFactory;

/**
 * Runs the kit's rules ({@link HubTck}) against a provider, from code or from the command line.
 *
 * <h2>Command line</h2>
 * <pre>
 * java --enable-native-access=ALL-UNNAMED \
 *      --add-opens java.base/sun.nio.ch=ALL-UNNAMED --add-opens java.base/java.lang=ALL-UNNAMED \
 *      -cp &lt;class path&gt; dev.greenhub.tck.Tck [--hub NAME] [--rule ID]...
 * </pre>
 * The class path holds this kit, its dependencies and the hub under test (registered in
 * {@code META-INF/services/dev.greenhub.hub.HubProvider}). Without {@code --hub}, the hub is the
 * one {@link Hubs#select()} picks, which honours {@code -Dgreenhub.hub=NAME} and
 * {@code GREENHUB_HUB}. The capabilities are read with {@link HubCapabilities#load(HubProvider)}.
 * The output is a first line {@code hub: NAME (provider class)}, one line per rule
 * ({@code PASS R07 ...}, {@code FAIL R12 ...: message}, {@code SKIP R22 ...: reason}) and a last
 * line {@code N passed, N failed, N skipped}. The second line says which capabilities the run used
 * and where they came from ({@code capabilities: ... (from URL)}); a missing capabilities file, or
 * one without {@code fd.limit}, is a {@code warning:} line on the error stream. The exit status is 0
 * when no rule failed (an optional rule runs only for a feature the hub claims, so its failure
 * counts), 1 when a rule failed, 2 for bad arguments or a hub that cannot be had.
 *
 * <h2>From code</h2>
 * {@link #run(HubProvider, HubCapabilities)} returns a {@link TckReport} with each rule's outcome.
 * It uses the JUnit Platform launcher, so JUnit Jupiter must be on the class path (it is a
 * dependency of this module).
 */
public final class Tck {
    /** Exit status: every required rule passed. */
    public static final int EXIT_OK = 0;
    /** Exit status: a required rule failed. */
    public static final int EXIT_FAILED = 1;
    /** Exit status: bad arguments, or the hub could not be found or its capabilities read. */
    public static final int EXIT_USAGE = 2;

    private static final int MAX_MESSAGE = 500;

    private Tck() {
    }

    /**
     * Runs from the command line; see the class documentation.
     *
     * @param args the arguments
     */
    public static void main(String[] args) {
        int status = run(args, System.out, System.err);
        System.out.flush();
        System.exit(status);
    }

    /**
     * The command line without {@link System#exit}: parses {@code args}, runs the rules and
     * prints the report.
     *
     * @param args the arguments
     * @param out where the report goes
     * @param err where errors and usage go
     * @return the exit status
     */
    public static int run(String[] args, PrintStream out, PrintStream err) {
        String hub = null;
        Set<String> ruleIds = new LinkedHashSet<>();
        boolean list = false;
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            switch (arg) {
                case "--help", "-h" -> {
                    out.println(usage());
                    return EXIT_OK;
                }
                case "--list" -> list = true;
                case "--hub", "--rule" -> {
                    if (i + 1 >= args.length || args[i + 1].startsWith("--")) {
                        err.println("tck: " + arg + " needs a value");
                        err.println(usage());
                        return EXIT_USAGE;
                    }
                    String value = args[++i];
                    if (arg.equals("--hub")) {
                        hub = value;
                    } else {
                        ruleIds.add(value);
                    }
                }
                default -> {
                    if (arg.startsWith("--hub=")) {
                        hub = arg.substring("--hub=".length());
                    } else if (arg.startsWith("--rule=")) {
                        ruleIds.add(arg.substring("--rule=".length()));
                    } else {
                        err.println("tck: unknown argument '" + arg + "'");
                        err.println(usage());
                        return EXIT_USAGE;
                    }
                }
            }
        }
        if (list) {
            TckRule.all().forEach(r -> out.println(r.displayName()));
            return EXIT_OK;
        }
        Set<String> known = new TreeSet<>();
        TckRule.all().forEach(r -> known.add(r.id()));
        for (String id : ruleIds) {
            if (!known.contains(id)) {
                err.println("tck: no rule " + id + "; the rules are " + known.iterator().next() + " to "
                        + ((TreeSet<String>) known).last() + " (--list shows them)");
                return EXIT_USAGE;
            }
        }
        HubProvider provider;
        HubCapabilities capabilities;
        try {
            HubSelection selection = hub == null ? Hubs.select() : Hubs.select(hub);
            provider = selection.provider();
            capabilities = HubCapabilities.load(provider);
        } catch (HubUnavailableException | IllegalArgumentException | java.io.UncheckedIOException e) {
            err.println("tck: " + e.getMessage());
            return EXIT_USAGE;
        }
        out.println("hub: " + provider.name() + " (" + provider.getClass().getName() + ")");
        out.println(capabilities.describe());
        capabilities.warnings().forEach(w -> err.println("warning: " + w));
        TckReport report = run(provider, capabilities, ruleIds, o -> {
            out.println(o.line());
            out.flush();
        });
        out.println(report.summaryLine());
        return report.conforms() ? EXIT_OK : EXIT_FAILED;
    }

    /**
     * The usage text of the command line.
     *
     * @return the text
     */
    public static String usage() {
        return """
                usage: java -cp <class path> dev.greenhub.tck.Tck [--hub NAME] [--rule ID]... [--list] [--help]
                  Runs the greenhub hub compatibility kit against a hub on the class path.
                  --hub NAME   the provider to test (default: the one -Dgreenhub.hub / GREENHUB_HUB names,
                               else the available provider with the highest priority)
                  --rule ID    run only this rule (repeatable), such as R07
                  --list       print the rules and exit
                  --help       print this text and exit
                  JVM flags needed: --enable-native-access=ALL-UNNAMED
                                    --add-opens java.base/sun.nio.ch=ALL-UNNAMED --add-opens java.base/java.lang=ALL-UNNAMED
                  Output: 'hub: NAME (provider class)', 'capabilities: ... (from WHERE)', one PASS/FAIL/SKIP
                          line per rule, 'N passed, N failed, N skipped'; warnings on the error stream.
                  Exit status: 0 no rule failed, 1 a rule failed (required, or optional for a feature
                               the hub claims), 2 usage or hub error.""";
    }

    /**
     * Runs every rule against {@code provider}.
     *
     * @param provider the provider under test
     * @param capabilities what to expect of it
     * @return the report
     */
    public static TckReport run(HubProvider provider, HubCapabilities capabilities) {
        return run(provider, capabilities, List.of(), o -> { });
    }

    /**
     * Runs the rules {@code ruleIds} (all of them when empty) against {@code provider}, passing each
     * outcome to {@code progress} as soon as it is known. Runs on the calling thread; concurrent
     * runs are independent.
     *
     * @param provider the provider under test
     * @param capabilities what to expect of it
     * @param ruleIds rule ids such as {@code "R07"}; empty for all
     * @param progress receives each outcome in order
     * @return the report
     */
    public static TckReport run(HubProvider provider, HubCapabilities capabilities, Collection<String> ruleIds,
                                Consumer<TckReport.Outcome> progress) {
        Objects.requireNonNull(provider, "provider");
        Objects.requireNonNull(capabilities, "capabilities");
        Objects.requireNonNull(progress, "progress");
        Set<String> only = Set.copyOf(ruleIds);
        String key = UUID.randomUUID().toString();
        RunnerHubTck.TARGETS.put(key, new RunnerHubTck.Target(provider, capabilities));
        try {
            PostDiscoveryFilter byId = descriptor -> {
                if (only.isEmpty() || !descriptor.isTest()) {
                    return FilterResult.included("all rules");
                }
                String id = descriptor.getDisplayName().split(" ", 2)[0];
                return FilterResult.includedIf(only.contains(id), () -> "rule " + id + " selected",
                        () -> "rule " + id + " not selected");
            };
            LauncherDiscoveryRequest request = LauncherDiscoveryRequestBuilder.request()
                    .selectors(selectClass(RunnerHubTck.class))
                    .filters(EngineFilter.includeEngines("junit-jupiter"), byId)
                    .configurationParameter(RunnerHubTck.TARGET_PARAMETER, key)
                    .configurationParameter("junit.jupiter.extensions.autodetection.enabled", "false")
                    .configurationParameter("junit.jupiter.execution.parallel.enabled", "false")
                    .build();
            Collector collector = new Collector(progress);
            Launcher launcher = LauncherFactory.create();
            launcher.execute(request, collector);
            return new TckReport(provider.name(), provider.getClass().getName(), capabilities, collector.outcomes);
        } finally {
            RunnerHubTck.TARGETS.remove(key);
        }
    }

    /** Turns JUnit's events into outcomes. */
    private static final class Collector implements TestExecutionListener {
        private final Consumer<TckReport.Outcome> progress;
        private final List<TckReport.Outcome> outcomes = new ArrayList<>();
        private final Set<String> seen = ConcurrentHashMap.newKeySet();

        Collector(Consumer<TckReport.Outcome> progress) {
            this.progress = progress;
        }

        @Override
        public void executionSkipped(TestIdentifier id, String reason) {
            TckRule rule = ruleOf(id);
            if (rule != null) {
                add(new TckReport.Outcome(rule, TckReport.Status.SKIPPED, oneLine(reason), null));
            }
        }

        @Override
        public void executionFinished(TestIdentifier id, TestExecutionResult result) {
            TckRule rule = ruleOf(id);
            Throwable thrown = result.getThrowable().orElse(null);
            if (rule == null) {
                if (result.getStatus() != TestExecutionResult.Status.SUCCESSFUL) {
                    // The kit itself could not run (the class could not be set up): report it as a failure.
                    add(new TckReport.Outcome(new TckRule("R00", "kit setup for " + id.getDisplayName()
                            + " [required]", true, null), TckReport.Status.FAILED, message(thrown), thrown));
                }
                return;
            }
            TckReport.Outcome outcome = switch (result.getStatus()) {
                case SUCCESSFUL -> new TckReport.Outcome(rule, TckReport.Status.PASSED, "", null);
                case ABORTED -> new TckReport.Outcome(rule, TckReport.Status.SKIPPED, message(thrown), null);
                case FAILED -> new TckReport.Outcome(rule, TckReport.Status.FAILED, message(thrown), thrown);
            };
            add(outcome);
        }

        private void add(TckReport.Outcome outcome) {
            if (seen.add(outcome.rule().id())) {
                outcomes.add(outcome);
                progress.accept(outcome);
            }
        }

        private static TckRule ruleOf(TestIdentifier id) {
            if (!id.isTest() || !(id.getSource().orElse(null) instanceof MethodSource source)) {
                return null;
            }
            Method method = source.getJavaMethod();
            return TckRule.of(method);
        }

        private static String message(Throwable t) {
            if (t == null) {
                return "(no exception)";
            }
            String m = t.getMessage();
            String text = m == null || m.isBlank() ? t.getClass().getName() : oneLine(m);
            if (t.getCause() != null && t.getCause() != t && !(t instanceof AssertionError)) {
                text = text + " (caused by " + t.getCause() + ")";
            }
            if (!(t instanceof AssertionError)) {
                text = t.getClass().getSimpleName() + ": " + text;
            }
            return text.length() > MAX_MESSAGE ? text.substring(0, MAX_MESSAGE) + "..." : text;
        }

        private static String oneLine(String s) {
            return s.strip().replaceAll("\\s*\\R\\s*", " ");
        }
    }
}
