package dev.greenhub.cli;

import dev.greenhub.bench.Sizes;
import dev.greenhub.bench.Suite;
import dev.greenhub.bench.Workload;
import dev.greenhub.hub.Hubs;
import dev.greenhub.hub.ProviderStatus;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code greenhub bench}: the benchmark suite W1-W8, or the JMH microbenchmarks with {@code --jmh}. */
@Command(name = "bench", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Runs the benchmark suite and prints one line per result,"
                + " 'RESULT greenhub-<hub> <workload> <metric>=<value> ...', then a table and the TARGET ratios.",
                "Workloads: W1 yield, W2 pingpong, W3 spawn, W4 park, W5 timers (each also on JDK virtual threads"
                        + " with parallelism 1, the reference), W6 echo (with Netty epoll and C epoll references), W7 idle,"
                        + " W8 http (wrk against the JDK HttpServer, Netty and greenhub with 1 and N hubs).",
                "TARGET lines give greenhub's ratio to the reference measured in the same run.",
                "With --jmh, runs the JMH microbenchmarks instead; JMH options follow '--' (e.g. -- -l, -- HubPoll)."})
final class BenchCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--hub", paramLabel = "NAME|all", split = ",",
            description = "hubs to measure, or 'all' for every available one (default: the one greenhub selects)")
    List<String> hubs = new ArrayList<>();

    @Option(names = {"--workload", "-w"}, paramLabel = "ID", split = ",", arity = "1..*",
            description = "workloads to run, by id (W1..W8) or name (default: all)")
    List<String> workloads = new ArrayList<>();

    @Option(names = "--quick", description = "small sizes and 1-second network runs: the whole suite, references included, in a few minutes")
    boolean quick;

    @Option(names = "--yields", paramLabel = "N", description = "W1: sleep(0) calls per green thread (1000000; quick 100000)")
    Integer yields;
    @Option(names = "--round-trips", paramLabel = "N", description = "W2: token round trips (1000000; quick 100000)")
    Integer roundTrips;
    @Option(names = "--spawns", paramLabel = "N", description = "W3: green threads spawned and joined (200000; quick 20000)")
    Integer spawns;
    @Option(names = "--parked", paramLabel = "N", description = "W4: green threads parked on one Event (100000; quick 10000)")
    Integer parked;
    @Option(names = "--timers", paramLabel = "N", description = "W5: sleeping green threads (100000; quick 10000)")
    Integer timers;
    @Option(names = "--connections", paramLabel = "N", split = ",", description = "W6: connection counts (10,100,1000)")
    List<Integer> connections;
    @Option(names = "--idle", paramLabel = "N", split = ",", description = "W7: idle connection counts (0,900,9000)")
    List<Integer> idle;
    @Option(names = "--seconds", paramLabel = "S", description = "W6/W7: measured seconds per run (3; quick 1)")
    Double seconds;
    @Option(names = "--warmup", paramLabel = "S", description = "W6/W7: warm-up seconds per run (1; quick 0.3)")
    Double warmup;
    @Option(names = "--seed", paramLabel = "N", description = "W5: seed of the sleep times (42)")
    Long seed;

    @Option(names = "--syscalls", negatable = true, defaultValue = "true", fallbackValue = "true",
            description = "W6: also count each server's system calls per request (strace -c -f on a short run at"
                    + " 100 connections; on by default, skipped with a SKIP line when strace is missing)")
    boolean syscalls = true;

    @Option(names = "--no-fork", description = "run W1-W5 in this JVM instead of one JVM each (memory figures then include the CLI's)")
    boolean noFork;

    @Option(names = "--timeout", paramLabel = "S", description = "the longest one child process may run, in seconds (600)")
    long timeoutSeconds = 600;

    @Option(names = "--jmh", description = "run the JMH microbenchmarks (org.openjdk.jmh.Main, about 2 min) with the arguments after --")
    boolean jmh;

    @Parameters(paramLabel = "JMH_ARG", description = "with --jmh: arguments for JMH")
    List<String> jmhArgs = new ArrayList<>();

    @Override
    public Integer call() throws Exception {
        CommandLine cl = spec.commandLine();
        if (jmh) {
            org.openjdk.jmh.Main.main(jmhArguments(jmhArgs));
            return 0;
        }
        if (!jmhArgs.isEmpty()) {
            throw new CommandLine.ParameterException(cl, "unexpected argument(s) " + jmhArgs
                    + " (only --jmh takes positional arguments)");
        }
        List<Workload> chosen = new ArrayList<>();
        try {
            for (String w : workloads) {
                Workload parsed = Workload.parse(w);
                if (!chosen.contains(parsed)) {
                    chosen.add(parsed);
                }
            }
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(cl, "--workload: " + e.getMessage());
        }
        if (chosen.isEmpty()) {
            chosen.addAll(Arrays.asList(Workload.values()));
        }
        Sizes sizes;
        try {
            sizes = sizes();
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(cl, e.getMessage());
        }
        if (timeoutSeconds < 1) {
            throw new CommandLine.ParameterException(cl, "--timeout must be at least 1 second: " + timeoutSeconds);
        }
        Suite.Options options = new Suite.Options(hubNames(cl), chosen, sizes, !noFork, javaBinary(),
                Main.childJvmArguments(), System.getProperty("java.class.path"),
                timeoutSeconds, syscalls);
        PrintStream out = WriterStream.of(cl.getOut());
        PrintStream progress = WriterStream.of(cl.getErr());
        Suite.Report report = Suite.run(options, out, progress);
        out.flush();
        return report.errors().isEmpty() ? 0 : 1;
    }

    private Sizes sizes() {
        Sizes base = quick ? Sizes.quick() : Sizes.defaults();
        return new Sizes(or(yields, base.yields()), or(roundTrips, base.roundTrips()), or(spawns, base.spawns()),
                or(parked, base.parked()), or(timers, base.timers()), base.timerSpanMillis(),
                connections != null ? connections : base.connections(), idle != null ? idle : base.idle(),
                seconds != null ? seconds : base.seconds(), warmup != null ? warmup : base.warmupSeconds(),
                base.payload(), seed != null ? seed : base.seed());
    }

    private static int or(Integer value, int otherwise) {
        return value != null ? value : otherwise;
    }

    private List<String> hubNames(CommandLine cl) {
        List<ProviderStatus> table = Hubs.providers();
        if (hubs.isEmpty()) {
            return List.of(Hubs.select().provider().name());
        }
        Set<String> names = new LinkedHashSet<>();
        for (String h : hubs) {
            if (h.equalsIgnoreCase("all")) {
                table.stream().filter(ProviderStatus::isAvailable).forEach(r -> names.add(r.name()));
                continue;
            }
            ProviderStatus row = table.stream().filter(r -> r.name().equals(h)).findFirst().orElse(null);
            if (row == null) {
                throw new CommandLine.ParameterException(cl, "--hub: no hub named '" + h + "' on the class path; "
                        + "the hubs are " + table.stream().map(ProviderStatus::name).toList() + " or 'all'");
            }
            if (!row.isAvailable()) {
                throw new CommandLine.ParameterException(cl, "--hub: hub '" + h + "' is unavailable: "
                        + row.availability().reason());
            }
            names.add(h);
        }
        if (names.isEmpty()) {
            throw new CommandLine.ParameterException(cl, "--hub all: no available hub on the class path");
        }
        return List.copyOf(names);
    }

    /**
     * JMH's arguments: greenhub's JVM flags for the forked benchmark JVMs, then the user's. JMH
     * starts its forks with {@code -cp} and this JVM's command-line options, which lack the flags
     * that {@code java -jar} takes from this jar's manifest; without them a fork cannot open a
     * scheduler. {@code -jvmArgsPrepend} leaves the user's own {@code -jvmArgs...} options as
     * they are.
     */
    static String[] jmhArguments(List<String> userArguments) {
        List<String> args = new ArrayList<>();
        for (String flag : Main.greenhubJvmFlags()) {
            args.add("-jvmArgsPrepend"); // JMH keeps each value as one JVM argument
            args.add(flag);
        }
        args.addAll(userArguments);
        return args.toArray(String[]::new);
    }

    private static String javaBinary() {
        return ProcessHandle.current().info().command()
                .orElse(System.getProperty("java.home") + "/bin/java");
    }
}
