package dev.greenhub.http;

import dev.greenhub.net.GreenServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Objects;

/**
 * An HTTP/1.1 server on green threads: one green thread per connection, on N hubs (one per core
 * by default; see {@link GreenServer} for how connections are spread and what hubs share).
 *
 * <pre>{@code
 * GreenHttpServer server = GreenHttpServer.builder(new InetSocketAddress("127.0.0.1", 8080),
 *         (request, response) -> response.sendText(200, "hello\n")).start();
 * }</pre>
 *
 * <p>Keep-alive and pipelining, {@code Content-Length} and chunked bodies both ways,
 * {@code Expect: 100-continue}, HEAD, {@code Connection: close}, HTTP/1.0 clients. Bodies are
 * streamed: a handler reads and writes any size in constant memory. {@link HttpLimits} bound
 * what a client may send and how slowly. Every response is logged through the
 * {@link System.Logger} named {@code dev.greenhub.http.access} (at DEBUG unless set otherwise).
 *
 * <p>Thread-safe; the handler is called concurrently from every hub.
 */
public final class GreenHttpServer implements AutoCloseable {
    private final GreenServer server;
    private final ConnectionRegistry registry;

    private GreenHttpServer(GreenServer server, ConnectionRegistry registry) {
        this.server = server;
        this.registry = registry;
    }

    /**
     * A builder for a server on {@code address} calling {@code handler} for every request.
     *
     * @param address where to listen; port 0 picks a free port
     * @param handler the handler
     * @return the builder
     */
    public static Builder builder(InetSocketAddress address, HttpHandler handler) {
        return new Builder(address, handler);
    }

    /** Settings of a {@link GreenHttpServer}; not thread-safe. */
    public static final class Builder {
        private final InetSocketAddress address;
        private final HttpHandler handler;
        private int hubs = Runtime.getRuntime().availableProcessors();
        private String hubName;
        private int backlog = 1024;
        private HttpLimits limits = HttpLimits.DEFAULTS;
        private System.Logger.Level accessLogLevel = System.Logger.Level.DEBUG;
        private String threadName = "green-http";

        private Builder(InetSocketAddress address, HttpHandler handler) {
            this.address = Objects.requireNonNull(address, "address");
            this.handler = Objects.requireNonNull(handler, "handler");
        }

        /**
         * How many hubs (platform threads, each with its own scheduler) serve.
         *
         * @param count at least 1; default {@link Runtime#availableProcessors()}
         * @return this builder
         * @throws IllegalArgumentException if less than 1
         */
        public Builder hubs(int count) {
            if (count < 1) {
                throw new IllegalArgumentException("a server needs at least 1 hub, not " + count);
            }
            this.hubs = count;
            return this;
        }

        /**
         * The hub provider ({@code "epoll"}, {@code "poll"}, {@code "select"}).
         *
         * @param name a provider name, or null for greenhub's selection
         * @return this builder
         */
        public Builder hub(String name) {
            this.hubName = name;
            return this;
        }

        /**
         * The listen backlog of each hub's listener.
         *
         * @param backlog less than 1 for the system default; default 1024
         * @return this builder
         */
        public Builder backlog(int backlog) {
            this.backlog = backlog;
            return this;
        }

        /**
         * The limits and timeouts.
         *
         * @param limits the limits; default {@link HttpLimits#DEFAULTS}
         * @return this builder
         */
        public Builder limits(HttpLimits limits) {
            this.limits = Objects.requireNonNull(limits, "limits");
            return this;
        }

        /**
         * The level of the access log lines.
         *
         * @param level default DEBUG
         * @return this builder
         */
        public Builder accessLogLevel(System.Logger.Level level) {
            this.accessLogLevel = Objects.requireNonNull(level, "level");
            return this;
        }

        /**
         * The name prefix of the hub threads.
         *
         * @param name default {@code green-http}
         * @return this builder
         */
        public Builder threadName(String name) {
            this.threadName = Objects.requireNonNull(name, "name");
            return this;
        }

        /**
         * Starts serving; returns once every hub listens.
         *
         * @return the running server
         * @throws IOException if the address cannot be bound
         * @throws dev.greenhub.hub.HubUnavailableException if the hub cannot be had
         */
        public GreenHttpServer start() throws IOException {
            ConnectionRegistry registry = new ConnectionRegistry(limits.maxConnections());
            AccessLog log = new AccessLog(accessLogLevel);
            HttpLimits l = limits;
            HttpHandler h = handler;
            HubBuffers buffers = new HubBuffers(HttpConnection.inputCapacity(l), HttpConnection.OUTPUT_BUFFER);
            GreenServer server = GreenServer.builder(address,
                            socket -> new HttpConnection(socket, h, l, registry, log, buffers).run())
                    .hubs(hubs).hub(hubName).backlog(backlog).threadName(threadName)
                    // the HTTP layer caps connections itself (503), over all hubs
                    .concurrency(Integer.MAX_VALUE)
                    .start();
            return new GreenHttpServer(server, registry);
        }
    }

    /**
     * Where the server listens (with the real port when started on port 0).
     *
     * @return the bound address
     */
    public InetSocketAddress address() {
        return server.address();
    }

    /**
     * How many hubs serve.
     *
     * @return the number of hub threads
     */
    public int hubCount() {
        return server.hubCount();
    }

    /**
     * The name of the hub provider in use.
     *
     * @return for example {@code "epoll"}
     */
    public String hubName() {
        return server.hubName();
    }

    /**
     * The connections open now, over all hubs (a snapshot).
     *
     * @return the count
     */
    public int connectionCount() {
        return server.connectionCount();
    }

    /**
     * Graceful stop: stops accepting, closes idle keep-alive connections, lets requests in flight
     * finish (their responses say {@code Connection: close}) within {@code grace}, then closes
     * what is left and the hubs. Idempotent.
     *
     * @param grace how long requests in flight may take; zero stops at once
     * @throws IllegalArgumentException if negative
     */
    public void stop(Duration grace) {
        Objects.requireNonNull(grace, "grace");
        if (grace.isNegative()) {
            throw new IllegalArgumentException("grace must not be negative: " + grace);
        }
        registry.drain(); // first: once no listener accepts, every response in flight says close
        server.stopAccepting();
        server.stop(grace);
    }

    /** Stops at once: {@link #stop(Duration)} with no grace. */
    @Override
    public void close() {
        stop(Duration.ZERO);
    }

    @Override
    public String toString() {
        return "GreenHttpServer[" + server.address() + ", " + server.hubCount() + " " + server.hubName() + " hubs]";
    }
}
