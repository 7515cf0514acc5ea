package dev.greenhub.bench;

import com.sun.management.UnixOperatingSystemMXBean;
import dev.greenhub.bench.http.GreenHelloServer;
import dev.greenhub.bench.http.JdkHelloServer;
import dev.greenhub.bench.http.NettyHelloServer;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * W8: HTTP/1.1 hello-world GET with keep-alive, driven by {@link Wrk} at each connection count
 * against the JDK's own {@code HttpServer} on virtual threads ({@value #JDK}), a Netty 4.2
 * {@code HttpServerCodec} server on one epoll event loop ({@value #NETTY}), and greenhub's
 * {@code GreenHttpServer} with one hub ({@code greenhub-<hub>}) and with N hubs
 * ({@code greenhub-<hub>-<N>hubs}); then each server's resident memory per idle keep-alive
 * connection ({@value #IDLE}, a fresh server each). Every server is a child JVM; with taskset and
 * two or more cores, one-thread servers run on cpu 0 and wrk on cpu 1.
 *
 * <p>Besides wrk's requests/s and latency percentiles, each run records the server process's CPU
 * time per request ({@code cpu_us_per_request}: user + system time of all its threads over the
 * measured run, divided by the requests wrk counted), which stays meaningful when other
 * processes load the machine and the rates do not.
 */
final class HttpBench {
    /** The JDK HttpServer reference's name. */
    static final String JDK = "jdk-httpserver";
    /** The Netty reference's name. */
    static final String NETTY = "netty-http";
    /** The workload name of the idle-memory results. */
    static final String IDLE = "W8-idle";

    private final Children children;
    private final Suite.Options options;
    private final Reporter report;
    private final int cores = Runtime.getRuntime().availableProcessors();
    private final String taskset = NativeTools.onPath(List.of("taskset"));
    private String wrk;

    HttpBench(Children children, Suite.Options options, Reporter report) {
        this.children = children;
        this.options = options;
        this.report = report;
    }


    /** The number of progress steps {@link #run()} takes. */
    static int steps(Suite.Options options) {
        int servers = 2 + 2 * options.hubs().size();
        return servers * options.http().connections().size() * Rounds.ROUNDS + 2 + options.hubs().size();
    }

    /** The systems in order: the references first, then greenhub with 1 and with N hubs on each hub. */
    private List<String> systems() {
        List<String> systems = new ArrayList<>(List.of(JDK, NETTY));
        for (String hub : options.hubs()) {
            systems.add(single(hub));
            systems.add(multi(hub));
        }
        return systems;
    }

    private static String single(String hub) {
        return "greenhub-" + hub;
    }

    private String multi(String hub) {
        return "greenhub-" + hub + "-" + options.http().hubs() + "hubs";
    }

    void run() {
        Wrk.Found found = Wrk.findOrInstall(report::progress);
        if (found.path() == null) {
            report.skip("W8: " + found.note());
            return;
        }
        wrk = found.path();
        int n = options.http().hubs();
        report.note("W8 load generator: " + found.note() + ", one thread (-t1), keep-alive, GET / answered with"
                + " 12 bytes; every server is driven by this same one");
        if (pinned()) {
            report.note("W8 pinning: one-thread servers (" + JDK + " with its virtual-thread carriers, " + NETTY
                    + ", greenhub with 1 hub) on cpu 0, wrk on cpu 1 (taskset; " + cores + " cores)");
            report.note("W8 pinning: greenhub with " + n + " hubs on cpus " + multiCpus() + ", wrk on cpu " + loadCpu(true)
                    + (cores >= n + 1 ? ": no core shared" : ": wrk SHARES cpu " + loadCpu(true) + " with a hub (only "
                    + cores + " cores), so this understates " + n + " hubs"));
        } else {
            report.note("W8 pinning: none (" + (cores < 2 ? "one core" : "no taskset on the PATH")
                    + "): servers and wrk share the cores");
        }
        report.note("W8 rounds: each server measured " + Rounds.ROUNDS + " times at each connection count, the servers"
                + " taking turns; each metric is the median of its rounds (socket_errors: the sum)");
        throughput();
        idleMemory();
    }

    private boolean pinned() {
        return cores >= 2 && taskset != null;
    }

    private String multiCpus() {
        int n = Math.min(options.http().hubs(), cores);
        return n == 1 ? "0" : "0-" + (n - 1);
    }

    private int loadCpu(boolean multi) {
        return multi ? Math.min(options.http().hubs(), cores - 1) : 1;
    }

    private Children.Server start(String system) throws IOException {
        return start(system, List.of());
    }

    private Children.Server start(String system, List<String> jvmFlags) throws IOException {
        List<String> command = new ArrayList<>();
        boolean multi = system.endsWith("hubs");
        if (pinned()) {
            command.addAll(List.of(taskset, "-c", multi ? multiCpus() : "0"));
        }
        if (system.equals(JDK)) {
            List<String> flags = new ArrayList<>(JdkHelloServer.JVM_FLAGS);
            flags.addAll(jvmFlags);
            command.addAll(children.javaCommand(flags, JdkHelloServer.class.getName()));
            command.add("0");
        } else if (system.equals(NETTY)) {
            command.addAll(children.javaCommand(jvmFlags, NettyHelloServer.class.getName()));
            command.add("0");
        } else {
            String hub = system.substring("greenhub-".length());
            int hubs = 1;
            if (multi) {
                hub = hub.substring(0, hub.lastIndexOf('-'));
                hubs = options.http().hubs();
            }
            command.addAll(children.javaCommand(jvmFlags, GreenHelloServer.class.getName()));
            command.addAll(List.of(hub, Integer.toString(hubs), "0"));
        }
        return children.startServer(command, system, line -> report.progress("server: " + line));
    }

    private void throughput() {
        Map<String, Children.Server> servers = new LinkedHashMap<>();
        try {
            for (String system : systems()) {
                try {
                    servers.put(system, start(system));
                } catch (IOException e) {
                    report.fail("W8 on " + system + ": " + e.getMessage());
                    servers.put(system, null);
                }
            }
            Sizes s = options.sizes();
            int seconds = (int) Math.max(1, Math.round(s.seconds()));
            int warmup = s.warmupSeconds() > 0 ? (int) Math.max(1, Math.round(s.warmupSeconds())) : 0;
            for (int connections : options.http().connections()) {
                Map<String, List<Map<String, String>>> rounds = new LinkedHashMap<>();
                for (int round = 1; round <= Rounds.ROUNDS; round++) {
                    for (String system : servers.keySet()) {
                        report.progress("W8 http on " + system + ", " + connections + " connections (" + seconds
                                + " s, round " + round + " of " + Rounds.ROUNDS + ")");
                        Children.Server server = servers.get(system);
                        if (server == null) {
                            continue;
                        }
                        if (!server.takes(connections)) {
                            if (round == 1) {
                                report.skip("W8 connections=" + connections + " on " + system + ": "
                                        + server.fdLimitReason());
                            }
                            continue;
                        }
                        Map<String, String> metrics = measure(server, system, connections, round == 1 ? warmup : 0,
                                seconds);
                        if (metrics != null) {
                            rounds.computeIfAbsent(system, k -> new ArrayList<>()).add(metrics);
                        }
                    }
                }
                rounds.forEach((system, measured) -> report.record(new Result(system, "W8", Rounds.medians(measured))));
            }
        } finally {
            servers.values().stream().filter(Objects::nonNull).forEach(Children.Server::close);
        }
    }

    /** One measured run (after {@code warmup} seconds of unmeasured load); null if it failed (reported). */
    private Map<String, String> measure(Children.Server server, String system, int connections, int warmup,
                                        int seconds) {
        String url = "http://127.0.0.1:" + server.port() + "/";
        List<String> pin = pinned() ? List.of(taskset, "-c", Integer.toString(loadCpu(system.endsWith("hubs"))))
                : List.of();
        try {
            if (warmup > 0) {
                List<String> w = new ArrayList<>(pin);
                w.addAll(Wrk.command(wrk, connections, warmup, url));
                children.run(w, "wrk");
            }
            ProcessHandle handle = server.process().toHandle();
            Duration before = cpu(handle);
            List<String> command = new ArrayList<>(pin);
            command.addAll(Wrk.command(wrk, connections, seconds, url));
            Children.Output o = children.run(command, "wrk");
            Duration after = cpu(handle);
            String text = String.join("\n", o.lines());
            if (o.exitStatus() != 0) {
                report.fail("W8 connections=" + connections + " on " + system + ": wrk exited with status "
                        + o.exitStatus() + o.tail());
                return null;
            }
            Map<String, String> parsed = Wrk.parse(text);
            Map<String, String> metrics = new LinkedHashMap<>();
            metrics.put("connections", Integer.toString(connections));
            metrics.put("requests_per_s", parsed.get("requests_per_s"));
            metrics.put("p50_us", parsed.get("p50_us"));
            metrics.put("p99_us", parsed.get("p99_us"));
            metrics.put("socket_errors", parsed.get("socket_errors"));
            long requests = Long.parseLong(parsed.get("requests"));
            if (before != null && after != null && requests > 0) {
                metrics.put("cpu_us_per_request", String.format(java.util.Locale.ROOT, "%.2f",
                        after.minus(before).toNanos() / 1000.0 / requests));
            }
            return metrics;
        } catch (IOException | IllegalArgumentException e) {
            report.fail("W8 connections=" + connections + " on " + system + ": " + e.getMessage());
            return null;
        }
    }

    /** The process's user + system CPU time (every thread), or null where the system does not say. */
    private static Duration cpu(ProcessHandle process) {
        return process.info().totalCpuDuration().orElse(null);
    }

    /**
     * Resident memory per idle connection of each server with one thread or hub, a fresh server each.
     * The servers are measured side by side, as many at a time as this process has file descriptors
     * for: each reading waits for its server's memory to settle (at least twice
     * {@link SettledRss#WINDOW_MILLIS}), and one server's resident memory does not depend on another's.
     */
    private void idleMemory() {
        int count = options.http().idleConnections();
        List<String> systems = new ArrayList<>(List.of(JDK, NETTY));
        options.hubs().forEach(h -> systems.add(single(h)));
        String jcmd = java.nio.file.Path.of(options.java()).resolveSibling("jcmd").toString();
        int atOnce = idleServersAtOnce(count, systems.size());
        report.note("W8 memory: " + count + " idle keep-alive connections (each served one GET), "
                + IdleMemory.IDLE_MILLIS + " ms idle; live heap after a full GC (jcmd GC.class_histogram) + resident"
                + " memory outside a fixed pre-touched heap (" + String.join(" ", IdleMemory.JVM_FLAGS) + "), a fresh"
                + " server each, " + atOnce + " at a time; each side's RSS read once it stayed within "
                + SettledRss.TOLERANCE_BYTES / 1024 + " KiB for " + SettledRss.WINDOW_MILLIS + " ms (the JIT's pooled"
                + " arena memory freed and trimmed); a part falling by more than " + IdleCost.NOISE_BYTES / 1024
                + " KiB makes the figure " + IdleCost.UNUSABLE);
        for (int from = 0; from < systems.size(); from += atOnce) {
            Map<String, Children.Server> servers = new LinkedHashMap<>();
            try {
                for (String system : systems.subList(from, Math.min(systems.size(), from + atOnce))) {
                    report.progress("W8 memory on " + system + ": " + count + " idle keep-alive connections");
                    try {
                        Children.Server server = start(system, IdleMemory.JVM_FLAGS);
                        servers.put(system, server);
                        if (!server.takes(count)) {
                            report.skip(IDLE + " idle_connections=" + count + " on " + system + ": "
                                    + server.fdLimitReason());
                            servers.put(system, null);
                            server.close();
                        }
                    } catch (IOException e) {
                        report.fail(IDLE + " on " + system + ": " + e.getMessage());
                    }
                }
                Map<String, Future<IdleCost>> costs = new LinkedHashMap<>();
                try (var threads = Executors.newThreadPerTaskExecutor(
                        Thread.ofPlatform().name("bench-idle-memory-", 0).factory())) {
                    servers.forEach((system, server) -> {
                        if (server != null) {
                            costs.put(system, threads.submit(() -> IdleMemory.measure(jcmd, server.process().pid(),
                                    server.port(), count)));
                        }
                    });
                }
                costs.forEach((system, cost) -> record(system, cost));
            } finally {
                servers.values().stream().filter(Objects::nonNull).forEach(Children.Server::close);
            }
        }
    }

    /** How many servers the idle-memory measurement may hold connections to at once: what this process's fds allow. */
    private static int idleServersAtOnce(int count, int servers) {
        long fds = ManagementFactory.getOperatingSystemMXBean() instanceof UnixOperatingSystemMXBean unix
                ? unix.getMaxFileDescriptorCount() : 0;
        return (int) Math.max(1, Math.min(servers, (fds - 256) / (count + 64)));
    }

    /** Records one server's idle-memory result (a NOTE too when it is unusable), or its failure. */
    private void record(String system, Future<IdleCost> measured) {
        try {
            IdleCost cost = measured.get(); // done: the executor's close waited for every task
            cost.unusable().ifPresent(u -> report.note(IDLE + " on " + system + " is " + IdleCost.UNUSABLE + " ("
                    + u.token() + "): " + u.sentence()));
            report.record(new Result(system, IDLE, cost.metrics()));
        } catch (ExecutionException e) {
            report.fail(IDLE + " on " + system + ": " + e.getCause().getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            report.fail(IDLE + " on " + system + ": interrupted");
        }
    }

    /**
     * The W8 TARGET lines: greenhub's requests/s at least 2x the JDK HttpServer's and at least 1x
     * Netty's, its p99 latency and CPU time per request at most Netty's (both with one hub and with N
     * hubs, against the same one-thread references), and its memory per idle connection at most
     * each reference's; that line ends in {@code UNUSABLE} instead of a verdict when either figure is
     * {@value IdleCost#UNUSABLE} ({@link IdleCost#unusable()}).
     *
     * @param results every result of the run
     * @param r one greenhub result of W8 or {@value #IDLE}
     * @param lines where the lines go
     */
    static void targets(List<Result> results, Result r, List<String> lines) {
        if (r.workload().equals("W8")) {
            compare(results, r, JDK, "connections", "requests_per_s", 2.0, true, lines);
            compare(results, r, NETTY, "connections", "requests_per_s", 1.0, true, lines);
            compare(results, r, NETTY, "connections", "p99_us", 1.0, false, lines);
            compare(results, r, NETTY, "connections", "cpu_us_per_request", 1.0, false, lines);
        } else if (r.workload().equals(IDLE)) {
            compare(results, r, JDK, "idle_connections", "bytes_per_idle_connection", 1.0, false, lines);
            compare(results, r, NETTY, "idle_connections", "bytes_per_idle_connection", 1.0, false, lines);
        }
    }

    /** The verdict of a comparison in which either figure is {@value IdleCost#UNUSABLE}, or null if both are numbers. */
    private static String unusable(Result ours, Result theirs) {
        for (Result x : List.of(ours, theirs)) {
            if (IdleCost.UNUSABLE.equals(x.metrics().get("bytes_per_idle_connection"))) {
                return IdleCost.UNUSABLE.toUpperCase(java.util.Locale.ROOT) + " (" + x.system() + "'s figure is "
                        + IdleCost.UNUSABLE + ": " + x.metrics().getOrDefault("unusable", "?") + ", see its NOTE)";
            }
        }
        return null;
    }

    private static void compare(List<Result> results, Result r, String reference, String param, String metric,
                                double factor, boolean higherIsBetter, List<String> lines) {
        String p = r.metrics().get(param);
        results.stream().filter(x -> x.system().equals(reference) && x.workload().equals(r.workload())
                        && Objects.equals(p, x.metrics().get(param))).findFirst().ifPresent(x -> {
            String ours = r.metrics().get(metric);
            String theirs = x.metrics().get(metric);
            if (ours == null || theirs == null) {
                return;
            }
            String head = "TARGET " + r.system() + " " + r.workload() + " " + param + "=" + p + " " + metric + " "
                    + (higherIsBetter ? ">= " : "<= ") + String.format(java.util.Locale.ROOT, "%.1f", factor) + "x "
                    + reference + ": ";
            String unusable = unusable(r, x);
            if (unusable != null) {
                lines.add(head + unusable);
                return;
            }
            double a = Double.parseDouble(ours);
            double b = Double.parseDouble(theirs);
            double q = b == 0 ? (a == 0 ? 1 : Double.POSITIVE_INFINITY) : a / b;
            boolean met = higherIsBetter ? q >= factor : q <= factor;
            lines.add(head + (met ? "met" : "MISSED") + " (" + Targets.fmt(a) + " / " + Targets.fmt(b)
                    + " = " + Targets.ratio(q) + ")");
        });
    }
}
