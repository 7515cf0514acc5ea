package dev.greenhub.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code greenhub demo}: a green echo server driven by green clients on a second hub thread. */
@Command(name = "demo", mixinStandardHelpOptions = true,
        description = "Starts a green echo server on the selected hub, drives it from green clients on a second hub"
                + " thread, and prints the hub, requests/s and p50/p99/p99.9 latency.")
final class DemoCommand implements Callable<Integer> {
    @Option(names = "--hub", paramLabel = "NAME", description = "the server's hub (default: the one greenhub selects)")
    String hub;

    @Option(names = "--seconds", paramLabel = "N", description = "how long to measure (default ${DEFAULT-VALUE})")
    int seconds = 5;

    @Option(names = "--connections", paramLabel = "N", description = "client connections (default ${DEFAULT-VALUE})")
    int connections = 100;

    @Override
    public Integer call() {
        throw new UnsupportedOperationException("demo needs green sockets (GreenServerSocket, serve), which are not in greenthread-core yet");
    }
}
