package dev.greenhub.bench.http;

import com.sun.net.httpserver.HttpServer;
import com.sun.net.httpserver.spi.HttpServerProvider;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * W8's first reference: the JDK's own {@code com.sun.net.httpserver.HttpServer} (the
 * {@code sun.net.httpserver} implementation, not greenhub's provider, which is on the same class
 * path) with {@link Executors#newVirtualThreadPerTaskExecutor()}, serving {@link HelloServers#BODY}
 * on every path. {@code JdkHelloServer PORT} prints {@code LISTENING <port>} and serves on
 * 127.0.0.1 until its standard input ends.
 */
public final class JdkHelloServer {
    /** The JDK's built-in provider class. */
    public static final String JDK_PROVIDER = "sun.net.httpserver.DefaultHttpServerProvider";
    /** The JVM flags of this server: the JDK's built-in provider for {@code HttpServer.create}
     *  although greenhub's is registered with ServiceLoader on the class path, and room for every
     *  keep-alive connection W8 opens (the JDK keeps at most 200 idle ones by default and closes
     *  the others, which wrk counts as read errors). */
    public static final List<String> JVM_FLAGS = List.of("-Dcom.sun.net.httpserver.HttpServerProvider=" + JDK_PROVIDER,
            "-Dsun.net.httpserver.maxIdleConnections=100000");

    private JdkHelloServer() {
    }

    /**
     * Serves until standard input ends.
     *
     * @param args the port (0: a free one)
     * @throws IOException if it cannot listen
     */
    public static void main(String[] args) throws IOException {
        String provider = HttpServerProvider.provider().getClass().getName();
        if (!provider.equals(JDK_PROVIDER)) {
            System.out.println("ERROR the HttpServer provider is " + provider + ", not the JDK's " + JDK_PROVIDER
                    + "; start this JVM with " + JVM_FLAGS.get(0));
            System.exit(1);
        }
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", Integer.parseInt(args[0])), 4096);
        ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();
        server.setExecutor(executor);
        server.createContext("/", exchange -> {
            exchange.getRequestBody().readAllBytes();
            exchange.getResponseHeaders().set("Content-Type", HelloServers.CONTENT_TYPE);
            exchange.sendResponseHeaders(200, HelloServers.BODY.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(HelloServers.BODY);
            }
        });
        server.start();
        System.out.println("LISTENING " + server.getAddress().getPort());
        System.out.flush();
        HelloServers.waitForEndOfInput();
        server.stop(0);
        executor.shutdownNow();
        System.exit(0);
    }
}
