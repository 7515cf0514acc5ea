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
 * ({@link JdkWorkloads}). W6/W7 ({@link EchoBench}) always use separate processes: the echo server (greenhub's on one
 * hub thread, the Netty reference with one event-loop thread, the C reference when a C compiler is
 * present) and the load generator (the C {@code echo_load} when it could be built, else
 * {@link EchoLoad}), all on 127.0.0.1; with two or more cores and {@code taskset}, servers run on
 * cpu 0 and the load generator on cpu 1. Every child process is bounded in time and killed if it
 * overruns; servers also stop when their standard input (a pipe from this process) ends. W8 is
 * {@link HttpBench}.
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
    private final Reporter reporter = new SuiteReporter();
    /** W6 and W7, when the run has either. */
    private EchoBench echo;

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
            suite.echo = new EchoBench(suite.children, options, suite.reporter);
        }
        suite.steps = suite.countSteps();
        for (Workload w : options.workloads()) {
            switch (w) {
                case W6 -> suite.echo.echo();
                case W7 -> suite.echo.idle();
                case W8 -> new HttpBench(suite.children, options, suite.reporter).run();
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
        int n = 0;
        for (Workload w : options.workloads()) {
            n += switch (w) {
                case W6, W7 -> echo.steps(w);
                case W8 -> HttpBench.steps(options);
                default -> (options.hubs().size() + 1) * coreRounds();
            };
        }
        return n;
    }

    /** How W6-W8 report into this run: progress lines other than a server's count as steps. */
    private final class SuiteReporter implements Reporter {
        @Override
        public void progress(String what) {
            if (what.startsWith("server: ")) {
                Suite.this.progress.println("bench: " + what);
                Suite.this.progress.flush();
            } else {
                Suite.this.progress(what);
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
    }

    private void note(String line) {
        notes.add("NOTE " + line);
        progress.println("bench: " + line);
        progress.flush();
    }

    private void skip(String what) {
        skips.add(what);
        progress.println("bench: SKIP " + what);
        progress.flush();
    }
}
