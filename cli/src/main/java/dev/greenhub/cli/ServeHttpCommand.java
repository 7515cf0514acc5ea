package dev.greenhub.cli;

import dev.greenhub.http.GreenHttpServer;
import dev.greenhub.http.HttpHandler;
import dev.greenhub.http.HttpResponse;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code greenhub serve-http}: the HTTP server with a hello and a streaming echo route, until interrupted. */
@Command(name = "serve-http", mixinStandardHelpOptions = true,
        description = {"Serves HTTP/1.1 until interrupted (Ctrl-C), for outside load generators:",
                "  GET /         -> 200 'hello, world' (12 bytes)",
                "  POST /echo    -> the request body streamed back (chunked when its length is unknown)"})
final class ServeHttpCommand implements Callable<Integer> {
    private static final byte[] HELLO = "hello, world".getBytes(StandardCharsets.US_ASCII);

    @Spec
    CommandSpec spec;

    @Option(names = "--port", paramLabel = "P", required = true, description = "the port (0: a free one, printed)")
    int port;

    @Option(names = "--hub", paramLabel = "NAME", description = "the hub (default: the one greenhub selects)")
    String hub;

    @Option(names = "--hubs", paramLabel = "N", description = "hub threads, one per core by default (${DEFAULT-VALUE})")
    int hubs = Runtime.getRuntime().availableProcessors();

    @Option(names = "--bind", paramLabel = "ADDRESS", description = "the address to listen on (default ${DEFAULT-VALUE})")
    String bind = "127.0.0.1";

    /** Counted down to stop the server; for tests. */
    final CountDownLatch stop = new CountDownLatch(1);

    /** The routes: hello on any GET, the streaming echo on /echo. */
    static final HttpHandler ROUTES = (request, response) -> {
        if (request.path().equals("/echo")) {
            long length = request.contentLength();
            try (InputStream in = request.body();
                 OutputStream out = response.send(200, length >= 0 ? length : HttpResponse.UNKNOWN_LENGTH)) {
                in.transferTo(out);
            }
        } else {
            response.headers().set("Content-Type", "text/plain");
            try (OutputStream out = response.send(200, HELLO.length)) {
                out.write(HELLO);
            }
        }
    };

    @Override
    public Integer call() throws Exception {
        if (port < 0 || port > 65535) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--port must be 0 to 65535: " + port);
        }
        if (hubs < 1) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--hubs must be at least 1: " + hubs);
        }
        PrintWriter out = spec.commandLine().getOut();
        GreenHttpServer server = GreenHttpServer.builder(new InetSocketAddress(bind, port), ROUTES)
                .hub(hub).hubs(hubs).start();
        Thread hook = Thread.ofPlatform().unstarted(stop::countDown);
        Runtime.getRuntime().addShutdownHook(hook);
        try {
            out.println("greenhub serve-http: listening on http://" + server.address().getHostString() + ":"
                    + server.address().getPort() + "/ (and /echo), " + server.hubCount() + " " + server.hubName()
                    + " hub(s); Ctrl-C stops");
            out.flush();
            stop.await();
        } finally {
            server.stop(Duration.ofSeconds(5));
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException shuttingDown) {
                // the hook is what ended the wait
            }
        }
        return 0;
    }
}
