package dev.greenhub.bench;

import java.io.IOException;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Runs the benchmark suite: the chosen workloads on the chosen hubs and their references, printing
 * each {@link Result} line as soon as it is known, progress on a second stream, and at the end a
 * table and the {@link Targets} lines (greenhub's ratio to each reference).
 *
 * <p>W1-W5 run each in a JVM of its own (so memory figures are their own) unless
 * {@link Options#fork()} is false, once per hub and once on JDK virtual threads with one carrier
 * ({@link JdkWorkloads}). W6/W7 always use separate processes: the echo server (greenhub's on one
 * hub thread, the Netty reference with one event-loop thread, the C reference when a C compiler is
 * present) and the load generator (the C {@code echo_load} when it could be built, else
 * {@link EchoLoad}), all on 127.0.0.1; with two or more cores and {@code taskset}, servers run on
 * cpu 0 and the load generator on cpu 1. Every child process is bounded in time and killed if it
 * overruns; servers also stop when their standard input (a pipe from this process) ends.
 */
public final class Suite {
    /** What the Netty reference's results are called. */
    public static final String NETTY = "netty-epoll";
    /** What the C reference server's results are called. */
    public static final String C_SERVER = "c-epoll";
    /** The workload name of the syscall counts of W6. */
    public static final String SYSCALLS = "W6-syscalls";

    /**
     * What to run.
     *
     * @param hubs the hub provider names, in order
     * @param workloads the workloads, in order
     * @param sizes the sizes
     * @param fork whether W1-W5 run in child JVMs
     * @param java the java binary for child processes
     * @param jvmFlags the JVM flags for child processes (the greenhub flags at least)
     * @param classPath the class path for child processes
     * @param childTimeoutSeconds the longest a child process may run
     * @param syscalls whether W6 also counts each server's system calls per request with strace
     * @param http the sizes of W8
     */
    public record Options(List<String> hubs, List<Workload> workloads, Sizes sizes, boolean fork, String java,
                          List<String> jvmFlags, String classPath, long childTimeoutSeconds, boolean syscalls,
                          HttpSizes http) {
        /** Checks and copies. */
        public Options {
            Objects.requireNonNull(http, "http");
            hubs = List.copyOf(hubs);
            workloads = List.copyOf(workloads);
            jvmFlags = List.copyOf(jvmFlags);
            Objects.requireNonNull(sizes, "sizes");
            Objects.requireNonNull(java, "java");
            Objects.requireNonNull(classPath, "classPath");
            if (hubs.isEmpty() || workloads.isEmpty()) {
                throw new IllegalArgumentException("at least one hub and one workload are needed");
            }
            if (childTimeoutSeconds < 1) {
                throw new IllegalArgumentException("child timeout must be at least 1 s: " + childTimeoutSeconds);
            }
        }

        /**
         * Options with W8's default sizes.
         *
         * @param hubs the hub provider names, in order
         * @param workloads the workloads, in order
         * @param sizes the sizes
         * @param fork whether W1-W5 run in child JVMs
         * @param java the java binary for child processes
         * @param jvmFlags the JVM flags for child processes (the greenhub flags at least)
         * @param classPath the class path for child processes
         * @param childTimeoutSeconds the longest a child process may run
         * @param syscalls whether W6 also counts each server's system calls per request with strace
         */
        public Options(List<String> hubs, List<Workload> workloads, Sizes sizes, boolean fork, String java,
                       List<String> jvmFlags, String classPath, long childTimeoutSeconds, boolean syscalls) {
            this(hubs, workloads, sizes, fork, java, jvmFlags, classPath, childTimeoutSeconds, syscalls,
                    HttpSizes.defaults());
        }

        /**
         * Options without the syscall count.
         *
         * @param hubs the hub provider names, in order
         * @param workloads the workloads, in order
         * @param sizes the sizes
         * @param fork whether W1-W5 run in child JVMs
         * @param java the java binary for child processes
         * @param jvmFlags the JVM flags for child processes (the greenhub flags at least)
         * @param classPath the class path for child processes
         * @param childTimeoutSeconds the longest a child process may run
         */
        public Options(List<String> hubs, List<Workload> workloads, Sizes sizes, boolean fork, String java,
                       List<String> jvmFlags, String classPath, long childTimeoutSeconds) {
            this(hubs, workloads, sizes, fork, java, jvmFlags, classPath, childTimeoutSeconds, false);
        }
    }

    /**
     * The outcome.
     *
     * @param results the results
     * @param skipped the runs left out because a hub cannot take that many fds (select), one line each
     * @param errors the problems that kept results from being had, one line each
     */
    public record Report(List<Result> results, List<String> skipped, List<String> errors) {
        /** Copies. */
        public Report {
            results = List.copyOf(results);
            skipped = List.copyOf(skipped);
            errors = List.copyOf(errors);
        }
    }

    private final Options options;
    private final PrintStream out;
    private final PrintStream progress;
    private final List<Result> results = new ArrayList<>();
    private final List<String> errors = new ArrayList<>();
    private final List<String> skips = new ArrayList<>();
    private final List<String> notes = new ArrayList<>();
    private int step;
    private int steps;
    private final Children children;
    private NativeTools.Build nativeTools;
    private List<String> serverCpu = List.of();
    private List<String> loadCpu = List.of();

    private Suite(Options options, PrintStream out, PrintStream progress) {
        this.options = options;
        this.out = out;
        this.progress = progress;
        this.children = new Children(options.java(), options.jvmFlags(), options.classPath(), options.childTimeoutSeconds());
    }

    /**
     * Runs the suite.
     *
     * @param options what to run
     * @param out where result lines and the table go
     * @param progress where progress and errors go
     * @return the results and errors
     */
    public static Report run(Options options, PrintStream out, PrintStream progress) {
        Suite suite = new Suite(options, out, progress);
        if (options.workloads().stream().anyMatch(Workload::isNetwork)) {
            suite.prepareNetwork();
        }
        suite.steps = suite.countSteps();
        for (Workload w : options.workloads()) {
            switch (w) {
                case W6 -> suite.echo();
                case W7 -> suite.idle();
                case W8 -> new HttpBench(suite.children, options, suite.httpReporter()).run();
                default -> suite.coreRounds(w);
            }
        }
        out.println();
        out.print(Table.render(suite.results));
        String targets = Targets.render(suite.results);
        if (!targets.isEmpty()) {
            out.println();
            out.print(targets);
        }
        for (String note : suite.notes) {
            out.println(note);
        }
        for (String skipped : suite.skips) {
            out.println("SKIP " + skipped);
        }
        for (String e : suite.errors) {
            out.println("ERROR " + e);
        }
        out.flush();
        return new Report(suite.results, suite.skips, suite.errors);
    }

    private void progress(String what) {
        step++;
        progress.println("bench: [" + step + "/" + steps + "] " + what);
        progress.flush();
    }

    private void record(Result r) {
        results.add(r);
        out.println(r.line());
        out.flush();
    }

    private void fail(String what) {
        errors.add(what);
        progress.println("bench: ERROR " + what);
        progress.flush();
    }

    /** W1-W5 rounds: {@link Rounds#ROUNDS} in JVMs of their own, one in this JVM (--no-fork). */
    private int coreRounds() {
        return options.fork() ? Rounds.ROUNDS : 1;
    }

    /**
     * A core workload on each hub and on the JDK reference, the systems taking turns round by
     * round; each metric is the median of its rounds (see {@link Rounds}).
     */
    private void coreRounds(Workload w) {
        List<String> systems = new ArrayList<>(options.hubs());
        systems.add(WorkloadMain.JDK);
        java.util.Map<String, List<Result>> measured = new java.util.LinkedHashMap<>();
        int rounds = coreRounds();
        for (int round = 1; round <= rounds; round++) {
            for (String hub : systems) {
                Result r = core(w, hub, rounds == 1 ? "" : ", round " + round + " of " + rounds);
                if (r != null) {
                    measured.computeIfAbsent(hub, k -> new ArrayList<>()).add(r);
                }
            }
        }
        measured.forEach((hub, rs) -> record(new Result(rs.get(0).system(), rs.get(0).workload(),
                Rounds.medians(rs.stream().map(Result::metrics).toList()))));
    }

    /** One run of a core workload; null if it failed or was skipped (said). */
    private Result core(Workload w, String hub, String round) {
        progress(w + " " + w.shortName() + " on " + (hub.equals(WorkloadMain.JDK) ? JdkWorkloads.SYSTEM + " (reference)" : hub)
                + round);
        if (!options.fork()) {
            if (hub.equals(WorkloadMain.JDK)) {
                skip(w + " on " + JdkWorkloads.SYSTEM + ": the JDK reference needs a JVM of its own (without --no-fork)");
                return null;
            }
            try {
                return CoreWorkloads.run(w, hub, options.sizes());
            } catch (RuntimeException | Error e) {
                fail(w + " on " + hub + ": " + e);
                return null;
            }
        }
        List<String> args = new ArrayList<>(List.of(hub, w.name()));
        args.addAll(options.sizes().toArgs());
        try {
            List<String> command = children.javaCommand(hub.equals(WorkloadMain.JDK) ? JdkWorkloads.JVM_FLAGS : List.of(),
                    WorkloadMain.class.getName());
            command.addAll(args);
            Children.Output o = children.run(command, "workload " + w);
            Result r = o.find(Result.PREFIX + " ").map(Result::parse).orElse(null);
            if (o.exitStatus() != 0 || r == null) {
                fail(w + " on " + hub + ": the child JVM exited with status " + o.exitStatus() + o.tail());
                return null;
            }
            return r;
        } catch (IOException e) {
            fail(w + " on " + hub + ": " + e);
            return null;
        }
    }

    private int countSteps() {
        int servers = options.hubs().size() + 1 + (nativeTools != null && nativeTools.tools().isPresent() ? 1 : 0);
        int n = 0;
        for (Workload w : options.workloads()) {
            n += switch (w) {
                case W6 -> servers * (options.sizes().connections().size() * Rounds.ECHO_ROUNDS + (options.syscalls() ? 1 : 0));
                case W7 -> options.hubs().size() * options.sizes().idle().size();
                case W8 -> HttpBench.steps(options);
                default -> (options.hubs().size() + 1) * coreRounds();
            };
        }
        return n;
    }

    /** Builds the C programs and decides the cpu pinning of W6/W7, saying both. */
    private void prepareNetwork() {
        nativeTools = NativeTools.build();
        note("W6 C programs: " + nativeTools.note());
        note("W6 load generator: " + (nativeTools.tools().isPresent() ? "echo_load (C, one thread, epoll)"
                : "EchoLoad (Java, one thread, JDK selector)") + "; every server is driven by this same one");
        int cores = Runtime.getRuntime().availableProcessors();
        String taskset = NativeTools.onPath(List.of("taskset"));
        if (cores >= 2 && taskset != null) {
            serverCpu = List.of(taskset, "-c", "0");
            loadCpu = List.of(taskset, "-c", "1");
            note("W6 pinning: servers on cpu 0, the load generator on cpu 1 (taskset; " + cores + " cores)");
        } else {
            note("W6 pinning: none (" + (cores < 2 ? "one core" : "no taskset on the PATH")
                    + "): server and load generator share the cores");
        }
    }

    /** How W8 reports into this run. */
    private HttpBench.Reporter httpReporter() {
        return new HttpBench.Reporter() {
            @Override
            public void progress(String what) {
                if (what.startsWith("W8 ")) {
                    Suite.this.progress(what);
                } else {
                    progress.println("bench: " + what);
                    progress.flush();
                }
            }

            @Override
            public void record(Result result) {
                Suite.this.record(result);
            }

            @Override
            public void fail(String what) {
                Suite.this.fail(what);
            }

            @Override
            public void skip(String what) {
                Suite.this.skip(what);
            }

            @Override
            public void note(String line) {
                Suite.this.note(line);
            }
        };
    }

    private void note(String line) {
        notes.add("NOTE " + line);
        progress.println("bench: " + line);
        progress.flush();
    }

    /** The W6 systems in order: the references first, then greenhub on each hub. */
    private List<String> echoSystems() {
        List<String> systems = new ArrayList<>();
        systems.add(NETTY);
        if (nativeTools.tools().isPresent()) {
            systems.add(C_SERVER);
        }
        options.hubs().forEach(h -> systems.add("greenhub-" + h));
        return systems;
    }

    /**
     * W6: every server (the references' and one per hub) is started first, then each connection
     * count is run against each server in turn, so the runs compared with each other are close in
     * time. Then, per connection count, {@link EchoNotes} says whether the same load generator drove
     * a reference faster than greenhub (else greenhub's number may be the load generator's limit)
     * and which servers left connections unanswered; with {@link Options#syscalls()}, each server's system calls per request are counted.
     */
    private void echo() {
        Sizes s = options.sizes();
        List<String> systems = echoSystems();
        java.util.Map<String, Children.Server> servers = new java.util.LinkedHashMap<>();
        try {
            for (String system : systems) {
                try {
                    servers.put(system, startServer(system));
                } catch (IOException e) {
                    fail("W6 on " + system + ": " + e);
                    servers.put(system, null);
                }
            }
            note("W6 rounds: each server measured " + Rounds.ECHO_ROUNDS + " times at each connection count, the"
                    + " servers taking turns; each metric is the median of its rounds");
            for (int connections : s.connections()) {
                java.util.Map<String, List<java.util.Map<String, String>>> rounds = new java.util.LinkedHashMap<>();
                for (int round = 1; round <= Rounds.ECHO_ROUNDS; round++) {
                    for (String system : systems) {
                        progress("W6 echo on " + system + ", " + connections + " connections (" + s.seconds()
                                + " s, round " + round + " of " + Rounds.ECHO_ROUNDS + ")");
                        Children.Server server = servers.get(system);
                        if (server == null) {
                            continue;
                        }
                        if (tooManyFds(server, connections)) {
                            if (round == 1) {
                                skip("W6 connections=" + connections + " on " + system + ": the hub takes fds below "
                                        + server.fdLimit() + " only");
                            }
                            continue;
                        }
                        java.util.Map<String, String> m = measure(server, system, "W6", "connections", connections,
                                connections, 0, s.warmupSeconds(), s.seconds());
                        if (m != null) {
                            rounds.computeIfAbsent(system, k -> new ArrayList<>()).add(m);
                        }
                    }
                }
                rounds.forEach((system, measured) -> record(new Result(system, "W6", Rounds.medians(measured))));
                EchoNotes.at(results, connections).forEach(this::note);
            }
            if (options.syscalls()) {
                countSyscalls(systems, servers);
            }
        } finally {
            servers.values().stream().filter(Objects::nonNull).forEach(Children.Server::close);
        }
    }

    /** strace -c -f on each server while a short load runs; the count per request is the result. */
    private void countSyscalls(List<String> systems, java.util.Map<String, Children.Server> servers) {
        Sizes s = options.sizes();
        int connections = s.connections().contains(100) ? 100 : s.connections().get(0);
        double seconds = Math.min(2, s.seconds());
        String strace = SyscallCount.strace();
        for (String system : systems) {
            progress("W6 syscalls on " + system + ", " + connections + " connections (" + seconds + " s under strace)");
            Children.Server server = servers.get(system);
            if (server == null) {
                continue;
            }
            if (strace == null) {
                skip(SYSCALLS + " on " + system + ": strace is not installed");
                continue;
            }
            try (SyscallCount count = SyscallCount.attach(strace, server.process().pid())) {
                Result load = runLoad(server, connections, 0, 0, seconds);
                if (load == null) {
                    fail(SYSCALLS + " on " + system + ": the load generator failed");
                    continue;
                }
                java.util.Map<String, Long> calls = count.finish();
                long requests = Long.parseLong(load.metrics().getOrDefault("total_requests",
                        load.metrics().get("requests")));
                java.util.Map<String, String> metrics = new java.util.LinkedHashMap<>();
                metrics.put("connections", Integer.toString(connections));
                metrics.putAll(SyscallCount.perRequest(calls, requests));
                record(new Result(system, SYSCALLS, metrics));
            } catch (IOException | RuntimeException e) {
                fail(SYSCALLS + " on " + system + ": " + e);
            }
        }
    }

    private void idle() {
        Sizes s = options.sizes();
        for (String hub : options.hubs()) {
            String system = "greenhub-" + hub;
            try (Children.Server server = startServer(system)) {
                for (int idle : s.idle()) {
                    progress("W7 idle on " + system + ", " + idle + " idle connections + 1 active (" + s.seconds() + " s)");
                    if (tooManyFds(server, idle + 1)) {
                        skip("W7 idle=" + idle + " on " + system + ": the hub takes fds below " + server.fdLimit() + " only");
                        continue;
                    }
                    load(server, system, "W7", "idle", idle, 1, idle, s.warmupSeconds(), s.seconds());
                }
            } catch (IOException e) {
                fail("W7 on " + system + ": " + e);
            }
        }
    }

    /** Whether {@code connections} more fds would not fit below the server hub's limit (the JVM holds about 60). */
    private static boolean tooManyFds(Children.Server server, int connections) {
        return server.fdLimit() > 0 && connections + 64 >= server.fdLimit();
    }

    private void skip(String what) {
        skips.add(what);
        progress.println("bench: SKIP " + what);
        progress.flush();
    }

    private void load(Children.Server server, String system, String workload, String parameter, int value, int active, int idle,
                      double warmup, double seconds) {
        java.util.Map<String, String> metrics = measure(server, system, workload, parameter, value, active, idle, warmup, seconds);
        if (metrics != null) {
            record(new Result(system, workload, metrics));
        }
    }

    /** One load run's metrics, with {@code parameter=value} first; null (and a failure said) if it failed. */
    private java.util.Map<String, String> measure(Children.Server server, String system, String workload, String parameter,
                                                  int value, int active, int idle, double warmup, double seconds) {
        try {
            Result load = runLoad(server, active, idle, warmup, seconds);
            if (load == null) {
                fail(workload + " " + parameter + "=" + value + " on " + system + ": " + lastLoadFailure);
                return null;
            }
            java.util.Map<String, String> metrics = new java.util.LinkedHashMap<>();
            metrics.put(parameter, Integer.toString(value));
            metrics.putAll(load.metrics());
            metrics.remove("total_requests");
            return metrics;
        } catch (IOException e) {
            fail(workload + " " + parameter + "=" + value + " on " + system + ": " + e);
            return null;
        }
    }

    private String lastLoadFailure = "";

    /** One run of the load generator; its metrics, or null (with {@link #lastLoadFailure} set). */
    private Result runLoad(Children.Server server, int active, int idle, double warmup, double seconds) throws IOException {
        Sizes s = options.sizes();
        List<String> args = List.of(Integer.toString(server.port()), Integer.toString(active), Integer.toString(idle),
                Integer.toString(s.payload()), Double.toString(warmup), Double.toString(seconds));
        List<String> command = new ArrayList<>(loadCpu);
        if (nativeTools != null && nativeTools.tools().isPresent()) {
            command.add(nativeTools.tools().get().echoLoad().toString());
        } else {
            command.addAll(children.javaCommand(List.of(), EchoLoad.class.getName()));
        }
        command.addAll(args);
        Children.Output o = children.run(command, "the load generator");
        String line = o.find("LOAD ").orElse(null);
        if (o.exitStatus() != 0 || line == null) {
            lastLoadFailure = "the load generator exited with status " + o.exitStatus() + o.tail();
            return null;
        }
        return Result.parse(Result.PREFIX + " x y" + line.substring("LOAD".length()));
    }

    /** Starts the server of {@code system} (pinned like every server), saying what it prints meanwhile. */
    private Children.Server startServer(String system) throws IOException {
        List<String> command = new ArrayList<>(serverCpu);
        if (system.equals(NETTY)) {
            command.addAll(children.javaCommand(List.of(), NettyEchoServer.class.getName()));
        } else if (system.equals(C_SERVER)) {
            command.add(nativeTools.tools().orElseThrow().echoServer().toString());
        } else {
            command.addAll(children.javaCommand(List.of(), GreenEchoProcess.class.getName()));
            command.add(system.substring("greenhub-".length()));
        }
        command.add("0");
        return children.startServer(command, system, line -> {
            progress.println("bench: server: " + line);
            progress.flush();
        });
    }
}
