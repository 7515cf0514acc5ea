package dev.greenhub.bench.http;

import dev.greenhub.http.GreenHttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.time.Duration;

/**
 * W8's greenhub server: {@link GreenHttpServer} on N hubs serving {@link HelloServers#BODY} on
 * every path. {@code GreenHelloServer HUB HUBS PORT} prints {@code LISTENING <port> <fd limit>}
 * and serves on 127.0.0.1 until its standard input ends.
 */
public final class GreenHelloServer {
    private GreenHelloServer() {
    }

    /**
     * Serves until standard input ends.
     *
     * @param args hub name, hub count, port (0: a free one)
     * @throws IOException if it cannot listen
     */
    public static void main(String[] args) throws IOException {
        GreenHttpServer server = GreenHttpServer.builder(new InetSocketAddress("127.0.0.1", Integer.parseInt(args[2])),
                (request, response) -> {
                    response.headers().set("Content-Type", HelloServers.CONTENT_TYPE);
                    try (OutputStream out = response.send(200, HelloServers.BODY.length)) {
                        out.write(HelloServers.BODY);
                    }
                }).hub(args[0]).hubs(Integer.parseInt(args[1])).backlog(4096)
                .limits(dev.greenhub.http.HttpLimits.DEFAULTS.withMaxConnections(100_000)).start();
        int fdLimit;
        try (dev.greenhub.hub.Hub probe = dev.greenhub.hub.Hubs.select(args[0]).provider().open()) {
            fdLimit = probe.fdLimit();
        }
        System.out.println("LISTENING " + server.address().getPort() + " " + fdLimit);
        System.out.flush();
        HelloServers.waitForEndOfInput();
        server.stop(Duration.ZERO);
        System.exit(0);
    }
}
