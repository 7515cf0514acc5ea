package dev.greenhub.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code greenhub serve-echo}: an echo server on one hub thread, until interrupted. */
@Command(name = "serve-echo", mixinStandardHelpOptions = true,
        description = "Serves TCP echo on 127.0.0.1:PORT on one hub thread until interrupted (for outside load generators).")
final class ServeEchoCommand implements Callable<Integer> {
    @Option(names = "--port", paramLabel = "P", required = true, description = "the port (0: a free one, printed)")
    int port;

    @Option(names = "--hub", paramLabel = "NAME", description = "the hub (default: the one greenhub selects)")
    String hub;

    @Override
    public Integer call() {
        throw new UnsupportedOperationException("serve-echo needs green sockets (GreenServerSocket, serve), which are not in greenthread-core yet");
    }
}
