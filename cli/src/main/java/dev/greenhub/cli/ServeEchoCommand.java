package dev.greenhub.cli;

import java.io.PrintWriter;
import java.net.InetSocketAddress;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code greenhub serve-echo}: an echo server on one hub thread, until interrupted. */
@Command(name = "serve-echo", mixinStandardHelpOptions = true,
        description = "Serves TCP echo on one hub thread until interrupted (Ctrl-C), for outside load generators.")
final class ServeEchoCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--port", paramLabel = "P", required = true, description = "the port (0: a free one, printed)")
    int port;

    @Option(names = "--hub", paramLabel = "NAME", description = "the hub (default: the one greenhub selects)")
    String hub;

    @Option(names = "--bind", paramLabel = "ADDRESS", description = "the address to listen on (default ${DEFAULT-VALUE})")
    String bind = "127.0.0.1";

    /** Stops the server; for tests. */
    final GreenEcho.Control control = new GreenEcho.Control();

    @Override
    public Integer call() throws Exception {
        if (port < 0 || port > 65535) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--port must be 0 to 65535: " + port);
        }
        PrintWriter out = spec.commandLine().getOut();
        GreenEcho.serve(hub, new InetSocketAddress(bind, port), control, (address, hubName, limit) -> {
            out.println("greenhub serve-echo: listening on " + address.getHostString() + ":" + address.getPort()
                    + ", hub " + hubName + ", one hub thread; Ctrl-C stops");
            out.flush();
        });
        return 0;
    }
}
