package dev.greenhub.bench;

import java.util.Arrays;
import java.util.stream.Collectors;

/** The workloads of the benchmark suite, W1 to W8. */
public enum Workload {
    /** Two green threads each {@code sleep(0)} N times. */
    W1("yield", "2 green threads each sleep(0) N times: yields/s"),
    /** Two green threads pass a token through greenhub's queue. */
    W2("pingpong", "2 green threads pass a token through a greenhub queue: round trips/s"),
    /** N green threads each return their index; the main thread joins all. */
    W3("spawn", "N green threads return their index, main joins all: spawned+joined/s, peak RSS"),
    /** N green threads wait on one Event. */
    W4("park", "N green threads wait on one Event: bytes per parked green thread, wake+join/s"),
    /** N green threads each sleep a seeded uniform 0-1 s. */
    W5("timers", "N green threads sleep a seeded uniform 0-1 s: total wall time, lateness"),
    /** Echo server under 10, 100 and 1,000 ping-pong connections. */
    W6("echo", "echo server, 10/100/1000 connections of 64-byte ping-pong: requests/s, p50/p99"),
    /** Echo server with idle connections and one active client. */
    W7("idle", "echo server, 0/900/9000 idle connections + 1 active client: requests/s"),
    /** HTTP/1.1 hello-world GET with keep-alive, driven by wrk, against the JDK HttpServer and Netty. */
    W8("http", "HTTP hello-world GET, keep-alive, 50/256 connections with wrk, vs the JDK HttpServer and Netty:"
            + " requests/s, p99, CPU per request; bytes per idle connection");

    private final String shortName;
    private final String description;

    Workload(String shortName, String description) {
        this.shortName = shortName;
        this.description = description;
    }

    /** @return a one-word name such as {@code yield} */
    public String shortName() {
        return shortName;
    }

    /** @return what it measures */
    public String description() {
        return description;
    }

    /** @return true for the echo workloads (W6, W7), which need the echo servers and load generator
     *  (W8 brings its own servers and wrk) */
    public boolean isNetwork() {
        return this == W6 || this == W7;
    }

    /**
     * The workload with this id ({@code W3}, {@code w3}) or short name ({@code spawn}).
     *
     * @param text the id or name
     * @return the workload
     * @throws IllegalArgumentException naming the valid ids when there is none such
     */
    public static Workload parse(String text) {
        String t = text.strip();
        for (Workload w : values()) {
            if (w.name().equalsIgnoreCase(t) || w.shortName.equalsIgnoreCase(t)) {
                return w;
            }
        }
        throw new IllegalArgumentException("unknown workload '" + text + "'; the workloads are "
                + Arrays.stream(values()).map(w -> w.name() + " (" + w.shortName + ")")
                        .collect(Collectors.joining(", ")));
    }
}
