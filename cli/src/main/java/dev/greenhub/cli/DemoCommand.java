package dev.greenhub.cli;

import dev.greenhub.Green;
import dev.greenhub.GreenThread;
import dev.greenhub.Scheduler;
import dev.greenhub.hub.Hubs;
import dev.greenhub.net.GreenNet;
import dev.greenhub.net.GreenSocket;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.HdrHistogram.Histogram;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code greenhub demo}: a green echo server driven by green clients on a second hub thread. */
@Command(name = "demo", mixinStandardHelpOptions = true,
        description = "Starts a green echo server on the selected hub (one hub thread), drives it from green clients"
                + " on a second hub thread with 64-byte ping-pong, and prints the hub, requests/s and p50/p99/p99.9"
                + " latency.")
final class DemoCommand implements Callable<Integer> {
    private static final int PAYLOAD = 64;

    @Spec
    CommandSpec spec;

    @Option(names = "--hub", paramLabel = "NAME", description = "the hub of both threads (default: the one greenhub selects)")
    String hub;

    @Option(names = "--seconds", paramLabel = "N", description = "how long to measure (default ${DEFAULT-VALUE})")
    double seconds = 5;

    @Option(names = "--connections", paramLabel = "N", description = "client connections (default ${DEFAULT-VALUE})")
    int connections = 100;

    @Override
    public Integer call() throws Exception {
        CommandLine cl = spec.commandLine();
        if (!(seconds > 0) || seconds > 3600) {
            throw new CommandLine.ParameterException(cl, "--seconds must be more than 0 and at most 3600: " + seconds);
        }
        if (connections < 1 || connections > 10_000) {
            throw new CommandLine.ParameterException(cl, "--connections must be 1 to 10000: " + connections);
        }
        String hubName = Hubs.select(hub).provider().name();
        String why = hub == null ? Hubs.select().reason() : "named by --hub";
        PrintWriter out = cl.getOut();
        GreenEcho.Control control = new GreenEcho.Control();
        CompletableFuture<InetSocketAddress> bound = new CompletableFuture<>();
        CompletableFuture<Void> serverDone = new CompletableFuture<>();
        Thread server = Thread.ofPlatform().name("demo-server-hub").start(() -> {
            try {
                GreenEcho.serve(hubName, new InetSocketAddress("127.0.0.1", 0), control,
                        (address, name, limit) -> bound.complete(address));
                serverDone.complete(null);
            } catch (Throwable t) {
                bound.completeExceptionally(t);
                serverDone.completeExceptionally(t);
            }
        });
        try {
            InetSocketAddress address = bound.get(30, TimeUnit.SECONDS);
            out.printf("greenhub demo: echo server on %s:%d (hub %s: %s), %d green clients on a second hub thread,"
                    + " %d-byte ping-pong for %s s%n", address.getHostString(), address.getPort(), hubName, why, connections, PAYLOAD, fmt(seconds));
            out.flush();
            Load load = drive(hubName, address);
            out.println("hub:        " + hubName);
            out.printf(Locale.ROOT, "requests:   %,d in %.2f s%n", load.requests, load.seconds);
            out.printf(Locale.ROOT, "requests/s: %,.0f%n", load.requests / load.seconds);
            out.printf(Locale.ROOT, "latency:    p50 %s  p99 %s  p99.9 %s  (max %s)%n",
                    micros(load.latency.getValueAtPercentile(50)), micros(load.latency.getValueAtPercentile(99)),
                    micros(load.latency.getValueAtPercentile(99.9)), micros(load.latency.getMaxValue()));
            if (load.errors > 0) {
                out.println("errors:     " + load.errors + " connections failed; first: " + load.firstError);
                return 1;
            }
            return 0;
        } finally {
            control.stop();
            server.join(TimeUnit.SECONDS.toMillis(10));
            out.flush();
        }
    }

    private static final class Load {
        final Histogram latency = new Histogram(60_000_000_000L, 3);
        long requests;
        double seconds;
        int errors;
        String firstError;
    }

    /** Runs the clients on a second hub thread and waits for them. */
    private Load drive(String hubName, InetSocketAddress address) throws Exception {
        CompletableFuture<Load> result = new CompletableFuture<>();
        Thread clients = Thread.ofPlatform().name("demo-client-hub").start(() -> {
            try {
                Scheduler scheduler = Scheduler.open(hubName);
                try {
                    result.complete(runClients(address));
                } finally {
                    scheduler.close();
                }
            } catch (Throwable t) {
                result.completeExceptionally(t);
            }
        });
        try {
            return result.get((long) seconds + 60, TimeUnit.SECONDS);
        } finally {
            clients.join(TimeUnit.SECONDS.toMillis(10));
        }
    }

    private Load runClients(InetSocketAddress address) throws IOException {
        Load load = new Load();
        long warmup = (long) (Math.min(1.0, seconds / 5) * 1e9);
        long start = System.nanoTime();
        long measureFrom = start + warmup;
        long end = measureFrom + (long) (seconds * 1e9);
        List<GreenThread<Void>> threads = new ArrayList<>(connections);
        for (int i = 0; i < connections; i++) {
            int id = i;
            threads.add(Green.spawn(() -> {
                try (GreenSocket socket = GreenNet.connect(address)) {
                    socket.setOption(StandardSocketOptions.TCP_NODELAY, true);
                    socket.setTimeout(Duration.ofSeconds(30));
                    byte[] sent = new byte[PAYLOAD];
                    ByteBuffer got = ByteBuffer.allocate(PAYLOAD);
                    long now;
                    for (long n = 0; (now = System.nanoTime()) < end; n++) {
                        Arrays.fill(sent, (byte) (id + n));
                        socket.writeAll(sent);
                        got.clear();
                        if (socket.readFully(got) < PAYLOAD) {
                            throw new IOException("the server closed the connection");
                        }
                        if (!Arrays.equals(got.array(), sent)) {
                            throw new IOException("the echo differs from what was sent");
                        }
                        long done = System.nanoTime();
                        if (now >= measureFrom) {
                            load.requests++;
                            load.latency.recordValue(Math.min(done - now, load.latency.getHighestTrackableValue()));
                        }
                    }
                } catch (IOException | RuntimeException e) {
                    if (load.errors++ == 0) {
                        load.firstError = e.toString();
                    }
                }
                return null;
            }));
        }
        for (GreenThread<Void> t : threads) {
            t.get();
        }
        load.seconds = (end - measureFrom) / 1e9;
        return load;
    }

    private static String micros(long nanos) {
        return nanos >= 1_000_000 ? String.format(Locale.ROOT, "%.2f ms", nanos / 1e6)
                : String.format(Locale.ROOT, "%.0f us", nanos / 1e3);
    }

    private static String fmt(double v) {
        return v == Math.rint(v) ? Long.toString((long) v) : Double.toString(v);
    }
}
