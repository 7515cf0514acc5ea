package dev.greenhub.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * Runs the benchmark suite: the chosen workloads on the chosen hubs, printing each
 * {@link Result} line as soon as it is known, progress on a second stream, and a table at the end.
 *
 * <p>W1-W5 run each in a JVM of its own (so memory figures are their own) unless
 * {@link Options#fork()} is false. W6/W7 always use separate processes: the echo server (greenhub's
 * on one hub thread, or the Netty reference with one event-loop thread) and the load generator
 * {@link EchoLoad}, all on 127.0.0.1. Every child process is bounded in time and killed if it
 * overruns; servers also stop when their standard input (a pipe from this process) ends.
 */
public final class Suite {
    /** What the Netty reference's results are called. */
    public static final String NETTY = "netty-epoll";
    private static final long SERVER_START_SECONDS = 60;

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
     */
    public record Options(List<String> hubs, List<Workload> workloads, Sizes sizes, boolean fork, String java,
                          List<String> jvmFlags, String classPath, long childTimeoutSeconds) {
        /** Checks and copies. */
        public Options {
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
    private int step;
    private final int steps;

    private Suite(Options options, PrintStream out, PrintStream progress) {
        this.options = options;
        this.out = out;
        this.progress = progress;
        int n = 0;
        for (Workload w : options.workloads()) {
            n += switch (w) {
                case W6 -> (options.hubs().size() + 1) * options.sizes().connections().size();
                case W7 -> options.hubs().size() * options.sizes().idle().size();
                default -> options.hubs().size();
            };
        }
        this.steps = n;
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
        for (Workload w : options.workloads()) {
            switch (w) {
                case W6 -> suite.echo();
                case W7 -> suite.idle();
                default -> options.hubs().forEach(hub -> suite.core(w, hub));
            }
        }
        out.println();
        out.print(Table.render(suite.results));
        String floors = Floors.render(suite.results);
        if (!floors.isEmpty()) {
            out.println();
            out.print(floors);
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

    private void core(Workload w, String hub) {
        progress(w + " " + w.shortName() + " on " + hub);
        if (!options.fork()) {
            try {
                record(CoreWorkloads.run(w, hub, options.sizes()));
            } catch (RuntimeException | Error e) {
                fail(w + " on " + hub + ": " + e);
            }
            return;
        }
        List<String> args = new ArrayList<>(List.of(hub, w.name()));
        args.addAll(options.sizes().toArgs());
        try {
            ChildOutput o = runChild(WorkloadMain.class.getName(), args);
            Result r = o.find(Result.PREFIX + " ").map(Result::parse).orElse(null);
            if (o.exitStatus() != 0 || r == null) {
                fail(w + " on " + hub + ": the child JVM exited with status " + o.exitStatus() + o.tail());
            } else {
                record(r);
            }
        } catch (IOException e) {
            fail(w + " on " + hub + ": " + e);
        }
    }

    /**
     * W6: every server (Netty's and one per hub) is started first, then each connection count is
     * run against each server in turn, so the runs compared with each other are close in time.
     */
    private void echo() {
        Sizes s = options.sizes();
        List<String> systems = new ArrayList<>();
        systems.add(NETTY);
        options.hubs().forEach(h -> systems.add("greenhub-" + h));
        java.util.Map<String, Server> servers = new java.util.LinkedHashMap<>();
        try {
            for (String system : systems) {
                try {
                    servers.put(system, startServer(system));
                } catch (IOException e) {
                    fail("W6 on " + system + ": " + e);
                    servers.put(system, null);
                }
            }
            for (int connections : s.connections()) {
                for (String system : systems) {
                    progress("W6 echo on " + system + ", " + connections + " connections (" + s.seconds() + " s)");
                    Server server = servers.get(system);
                    if (server == null) {
                        continue;
                    }
                    if (tooManyFds(server, connections)) {
                        skip("W6 connections=" + connections + " on " + system + ": the hub takes fds below "
                                + server.fdLimit() + " only");
                        continue;
                    }
                    load(server, system, "W6", "connections", connections, connections, 0);
                }
            }
        } finally {
            servers.values().stream().filter(Objects::nonNull).forEach(Server::close);
        }
    }

    private void idle() {
        Sizes s = options.sizes();
        for (String hub : options.hubs()) {
            String system = "greenhub-" + hub;
            try (Server server = startServer(system)) {
                for (int idle : s.idle()) {
                    progress("W7 idle on " + system + ", " + idle + " idle connections + 1 active (" + s.seconds() + " s)");
                    if (server == null) {
                        continue;
                    }
                    if (tooManyFds(server, idle + 1)) {
                        skip("W7 idle=" + idle + " on " + system + ": the hub takes fds below " + server.fdLimit() + " only");
                        continue;
                    }
                    load(server, system, "W7", "idle", idle, 1, idle);
                }
            } catch (IOException e) {
                fail("W7 on " + system + ": " + e);
            }
        }
    }

    /** Whether {@code connections} more fds would not fit below the server hub's limit (the JVM holds about 60). */
    private static boolean tooManyFds(Server server, int connections) {
        return server.fdLimit() > 0 && connections + 64 >= server.fdLimit();
    }

    private void skip(String what) {
        skips.add(what);
        progress.println("bench: SKIP " + what);
        progress.flush();
    }

    private void load(Server server, String system, String workload, String parameter, int value, int active, int idle) {
        Sizes s = options.sizes();
        List<String> args = List.of(Integer.toString(server.port()), Integer.toString(active), Integer.toString(idle),
                Integer.toString(s.payload()), Double.toString(s.warmupSeconds()), Double.toString(s.seconds()));
        try {
            ChildOutput o = runChild(EchoLoad.class.getName(), args);
            String line = o.find("LOAD ").orElse(null);
            if (o.exitStatus() != 0 || line == null) {
                fail(workload + " " + parameter + "=" + value + " on " + system + ": the load generator exited with status "
                        + o.exitStatus() + o.tail());
                return;
            }
            Result load = Result.parse(Result.PREFIX + " x y" + line.substring("LOAD".length()));
            java.util.Map<String, String> metrics = new java.util.LinkedHashMap<>();
            metrics.put(parameter, Integer.toString(value));
            metrics.putAll(load.metrics());
            record(new Result(system, workload, metrics));
        } catch (IOException e) {
            fail(workload + " " + parameter + "=" + value + " on " + system + ": " + e);
        }
    }

    /** A running echo server child; null from {@link #startServer} when it could not be started. */
    private record Server(Process process, int port, int fdLimit) implements AutoCloseable {
        @Override
        public void close() {
            try {
                process.getOutputStream().close();
                if (!process.waitFor(5, TimeUnit.SECONDS)) {
                    process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
                }
            } catch (IOException | InterruptedException e) {
                process.destroyForcibly();
                if (e instanceof InterruptedException) {
                    Thread.currentThread().interrupt();
                }
            }
        }
    }

    private Server startServer(String system) throws IOException {
        List<String> command = new ArrayList<>();
        command.add(options.java());
        command.addAll(options.jvmFlags());
        command.add("-cp");
        command.add(options.classPath());
        if (system.equals(NETTY)) {
            command.add(NettyEchoServer.class.getName());
            command.add("0");
        } else {
            String hub = system.substring("greenhub-".length());
            command.add(GreenEcho.class.getName());
            command.add(hub);
            command.add("0");
        }
        Process p = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        BlockingQueue<String> lines = new LinkedBlockingQueue<>();
        Thread.ofPlatform().daemon().name("bench-server-output").start(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
                String l;
                while ((l = r.readLine()) != null) {
                    lines.add(l);
                }
            } catch (IOException e) {
                // the server ended
            }
        });
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(SERVER_START_SECONDS);
        String last = null;
        try {
            while (System.nanoTime() < deadline) {
                String line = lines.poll(100, TimeUnit.MILLISECONDS);
                if (line == null) {
                    if (!p.isAlive() && lines.isEmpty()) {
                        break;
                    }
                    continue;
                }
                if (line.startsWith("LISTENING ")) {
                    String[] words = line.split(" ");
                    int limit = words.length > 2 ? Integer.parseInt(words[2]) : 0;
                    return new Server(p, Integer.parseInt(words[1]), limit);
                }
                last = line;
                progress.println("bench: server: " + line);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        p.destroyForcibly();
        fail("the " + system + " echo server did not start within " + SERVER_START_SECONDS + " s"
                + (last == null ? "" : ": " + last));
        return null;
    }

    /** What a child process printed and how it ended. */
    private record ChildOutput(int exitStatus, List<String> lines) {
        java.util.Optional<String> find(String prefix) {
            return lines.stream().filter(l -> l.startsWith(prefix)).findFirst();
        }

        String tail() {
            int from = Math.max(0, lines.size() - 5);
            return lines.isEmpty() ? "" : ": " + String.join(" | ", lines.subList(from, lines.size()));
        }
    }

    private ChildOutput runChild(String mainClass, List<String> args) throws IOException {
        List<String> command = new ArrayList<>();
        command.add(options.java());
        command.addAll(options.jvmFlags());
        command.add("-cp");
        command.add(options.classPath());
        command.add(mainClass);
        command.addAll(args);
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        p.getOutputStream().close();
        List<String> lines = new ArrayList<>();
        Thread reader = Thread.ofPlatform().daemon().name("bench-child-output").start(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
                String l;
                while ((l = r.readLine()) != null) {
                    synchronized (lines) {
                        lines.add(l);
                    }
                }
            } catch (IOException e) {
                // the child ended
            }
        });
        try {
            if (!p.waitFor(options.childTimeoutSeconds(), TimeUnit.SECONDS)) {
                p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
                reader.join(TimeUnit.SECONDS.toMillis(5));
                synchronized (lines) {
                    lines.add("killed after " + options.childTimeoutSeconds() + " s");
                }
                return new ChildOutput(-1, List.copyOf(lines));
            }
            reader.join(TimeUnit.SECONDS.toMillis(10));
        } catch (InterruptedException e) {
            p.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while waiting for " + mainClass, e);
        }
        synchronized (lines) {
            return new ChildOutput(p.exitValue(), List.copyOf(lines));
        }
    }
}
