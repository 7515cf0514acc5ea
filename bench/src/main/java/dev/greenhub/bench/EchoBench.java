package dev.greenhub.bench;

import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * W6 (echo) and W7 (idle connections) of the suite. Every process is separate and on 127.0.0.1:
 * the echo servers (greenhub's on one hub thread per hub measured, Netty's with one event-loop
 * thread, the C one when a C compiler is present) and the load generator (the C {@code echo_load}
 * when it could be built, else {@link EchoLoad}); with two or more cores and {@code taskset}, servers
 * run on cpu 0 and the load generator on cpu 1. Progress, results, failures, skips and notes go to
 * the suite's {@link Reporter}. Used from one thread.
 */
final class EchoBench {
    private final Children children;
    private final Suite.Options options;
    private final Reporter report;
    private final NativeTools.Build nativeTools = NativeTools.build();
    /** The W6 results so far, which the per-count notes look at. */
    private final List<Result> results = new ArrayList<>();
    private List<String> serverCpu = List.of();
    private List<String> loadCpu = List.of();
    private String lastLoadFailure = "";

    /** Builds the C programs and decides the pinning, saying both through {@code report}. */
    EchoBench(Children children, Suite.Options options, Reporter report) {
        this.children = children;
        this.options = options;
        this.report = report;
        prepare();
    }

    /** The number of progress steps {@code w} (W6 or W7) takes. */
    int steps(Workload w) {
        int servers = options.hubs().size() + 1 + (nativeTools.tools().isPresent() ? 1 : 0);
        return w == Workload.W6
                ? servers * (options.sizes().connections().size() * Rounds.ECHO_ROUNDS + (options.syscalls() ? 1 : 0))
                : options.hubs().size() * options.sizes().idle().size();
    }

    private void record(Result r) {
        results.add(r);
        report.record(r);
    }

    /** Builds the C programs and decides the cpu pinning, saying both. */
    private void prepare() {
        report.note("W6 C programs: " + nativeTools.note());
        report.note("W6 load generator: " + (nativeTools.tools().isPresent() ? "echo_load (C, one thread, epoll)"
                : "EchoLoad (Java, one thread, JDK selector)") + "; every server is driven by this same one");
        int cores = Runtime.getRuntime().availableProcessors();
        String taskset = NativeTools.onPath(List.of("taskset"));
        if (cores >= 2 && taskset != null) {
            serverCpu = List.of(taskset, "-c", "0");
            loadCpu = List.of(taskset, "-c", "1");
            report.note("W6 pinning: servers on cpu 0, the load generator on cpu 1 (taskset; " + cores + " cores)");
        } else {
            report.note("W6 pinning: none (" + (cores < 2 ? "one core" : "no taskset on the PATH")
                    + "): server and load generator share the cores");
        }
    }

    /** The W6 systems in order: the references first, then greenhub on each hub. */
    private List<String> echoSystems() {
        List<String> systems = new ArrayList<>();
        systems.add(Suite.NETTY);
        if (nativeTools.tools().isPresent()) {
            systems.add(Suite.C_SERVER);
        }
        options.hubs().forEach(h -> systems.add("greenhub-" + h));
        return systems;
    }

    /**
     * W6: every server (the references' and one per hub) is started first, then each connection
     * count is run against each server in turn, so the runs compared with each other are close in
     * time. Then, per connection count, {@link EchoNotes} says whether the same load generator drove
     * a reference faster than greenhub (else greenhub's number may be the load generator's limit)
     * and which servers left connections unanswered; with {@link Suite.Options#syscalls()}, each
     * server's system calls per request are counted.
     */
    void echo() {
        Sizes s = options.sizes();
        List<String> systems = echoSystems();
        Map<String, Children.Server> servers = new LinkedHashMap<>();
        try {
            for (String system : systems) {
                try {
                    servers.put(system, startServer(system));
                } catch (IOException e) {
                    report.fail("W6 on " + system + ": " + e);
                    servers.put(system, null);
                }
            }
            report.note("W6 rounds: each server measured " + Rounds.ECHO_ROUNDS + " times at each connection count, the"
                    + " servers taking turns; each metric is the median of its rounds");
            for (int connections : s.connections()) {
                Map<String, List<Map<String, String>>> rounds = new LinkedHashMap<>();
                for (int round = 1; round <= Rounds.ECHO_ROUNDS; round++) {
                    for (String system : systems) {
                        report.progress("W6 echo on " + system + ", " + connections + " connections (" + s.seconds()
                                + " s, round " + round + " of " + Rounds.ECHO_ROUNDS + ")");
                        Children.Server server = servers.get(system);
                        if (server == null) {
                            continue;
                        }
                        if (!server.takes(connections)) {
                            if (round == 1) {
                                report.skip("W6 connections=" + connections + " on " + system + ": "
                                        + server.fdLimitReason());
                            }
                            continue;
                        }
                        Map<String, String> m = measure(server, system, "W6", "connections", connections,
                                connections, 0, s.warmupSeconds(), s.seconds());
                        if (m != null) {
                            rounds.computeIfAbsent(system, k -> new ArrayList<>()).add(m);
                        }
                    }
                }
                rounds.forEach((system, measured) -> record(new Result(system, "W6", Rounds.medians(measured))));
                EchoNotes.at(results, connections).forEach(report::note);
            }
            if (options.syscalls()) {
                countSyscalls(systems, servers);
            }
        } finally {
            servers.values().stream().filter(Objects::nonNull).forEach(Children.Server::close);
        }
    }

    /** strace -c -f on each server while a short load runs; the count per request is the result. */
    private void countSyscalls(List<String> systems, Map<String, Children.Server> servers) {
        Sizes s = options.sizes();
        int connections = s.connections().contains(100) ? 100 : s.connections().get(0);
        double seconds = Math.min(2, s.seconds());
        String strace = SyscallCount.strace();
        for (String system : systems) {
            report.progress("W6 syscalls on " + system + ", " + connections + " connections (" + seconds + " s under strace)");
            Children.Server server = servers.get(system);
            if (server == null) {
                continue;
            }
            if (strace == null) {
                report.skip(Suite.SYSCALLS + " on " + system + ": strace is not installed");
                continue;
            }
            try (SyscallCount count = SyscallCount.attach(strace, server.process().pid())) {
                Result load = runLoad(server, connections, 0, 0, seconds);
                if (load == null) {
                    report.fail(Suite.SYSCALLS + " on " + system + ": the load generator failed");
                    continue;
                }
                Map<String, Long> calls = count.finish();
                long requests = Long.parseLong(load.metrics().getOrDefault("total_requests",
                        load.metrics().get("requests")));
                Map<String, String> metrics = new LinkedHashMap<>();
                metrics.put("connections", Integer.toString(connections));
                metrics.putAll(SyscallCount.perRequest(calls, requests));
                record(new Result(system, Suite.SYSCALLS, metrics));
            } catch (IOException | RuntimeException e) {
                report.fail(Suite.SYSCALLS + " on " + system + ": " + e);
            }
        }
    }

    /**
     * W7: each hub's echo server with one active connection beside each count of idle ones, which
     * shows what a hub pays per loop turn for the fds that are not ready.
     */
    void idle() {
        Sizes s = options.sizes();
        for (String hub : options.hubs()) {
            String system = "greenhub-" + hub;
            try (Children.Server server = startServer(system)) {
                for (int idle : s.idle()) {
                    report.progress("W7 idle on " + system + ", " + idle + " idle connections + 1 active (" + s.seconds() + " s)");
                    if (!server.takes(idle + 1)) {
                        report.skip("W7 idle=" + idle + " on " + system + ": " + server.fdLimitReason());
                        continue;
                    }
                    load(server, system, "W7", "idle", idle, 1, idle, s.warmupSeconds(), s.seconds());
                }
            } catch (IOException e) {
                report.fail("W7 on " + system + ": " + e);
            }
        }
    }

    private void load(Children.Server server, String system, String workload, String parameter, int value, int active, int idle,
                      double warmup, double seconds) {
        Map<String, String> metrics = measure(server, system, workload, parameter, value, active, idle, warmup, seconds);
        if (metrics != null) {
            record(new Result(system, workload, metrics));
        }
    }

    /** One load run's metrics, with {@code parameter=value} first; null (and a failure said) if it failed. */
    private Map<String, String> measure(Children.Server server, String system, String workload, String parameter,
                                        int value, int active, int idle, double warmup, double seconds) {
        try {
            Result load = runLoad(server, active, idle, warmup, seconds);
            if (load == null) {
                report.fail(workload + " " + parameter + "=" + value + " on " + system + ": " + lastLoadFailure);
                return null;
            }
            Map<String, String> metrics = new LinkedHashMap<>();
            metrics.put(parameter, Integer.toString(value));
            metrics.putAll(load.metrics());
            metrics.remove("total_requests");
            return metrics;
        } catch (IOException e) {
            report.fail(workload + " " + parameter + "=" + value + " on " + system + ": " + e);
            return null;
        }
    }

    /** One run of the load generator; its metrics, or null (with {@link #lastLoadFailure} set). */
    private Result runLoad(Children.Server server, int active, int idle, double warmup, double seconds) throws IOException {
        Sizes s = options.sizes();
        List<String> args = List.of(Integer.toString(server.port()), Integer.toString(active), Integer.toString(idle),
                Integer.toString(s.payload()), Double.toString(warmup), Double.toString(seconds));
        List<String> command = new ArrayList<>(loadCpu);
        if (nativeTools.tools().isPresent()) {
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
        if (system.equals(Suite.NETTY)) {
            command.addAll(children.javaCommand(List.of(), NettyEchoServer.class.getName()));
        } else if (system.equals(Suite.C_SERVER)) {
            command.add(nativeTools.tools().orElseThrow().echoServer().toString());
        } else {
            command.addAll(children.javaCommand(List.of(), GreenEchoProcess.class.getName()));
            command.add(system.substring("greenhub-".length()));
        }
        command.add("0");
        return children.startServer(command, system, line -> report.progress("server: " + line));
    }
}
