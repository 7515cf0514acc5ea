package dev.greenhub.http.jdk;

import com.sun.net.httpserver.Authenticator;
import com.sun.net.httpserver.Filter;
import com.sun.net.httpserver.HttpContext;
import com.sun.net.httpserver.HttpHandler;
import com.sun.net.httpserver.HttpServer;
import dev.greenhub.Event;
import dev.greenhub.http.GreenHttpServer;
import dev.greenhub.http.HttpRequest;
import dev.greenhub.http.HttpResponse;
import java.io.IOException;
import java.net.BindException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.Executor;

/**
 * The JDK's {@link HttpServer} on a {@link GreenHttpServer}.
 *
 * <p>{@link #bind} listens at once (so {@link #getAddress()} has the real port before
 * {@link #start()}); requests that arrive before {@code start} wait for it. Handlers run in the
 * green thread of their connection on one of the server's hubs, never on the executor given to
 * {@link #setExecutor}, which is only kept and returned by {@link #getExecutor()}: a handler may
 * block (it parks only its green thread), and with several hubs handlers run in parallel, so
 * they must be thread-safe as with the JDK's own server and a multi-threaded executor.
 * {@link #stop(int)} stops accepting, lets exchanges in flight finish for up to the delay, then
 * closes every connection.
 */
final class JdkHttpServer extends HttpServer {
    private final int hubs;
    private final ContextList contexts = new ContextList();
    private final Event<Boolean> started = new Event<>();
    private volatile GreenHttpServer server;
    private volatile Executor executor;
    private volatile boolean stopped;

    JdkHttpServer(int hubs) {
        this.hubs = hubs;
    }

    @Override
    public synchronized void bind(InetSocketAddress address, int backlog) throws IOException {
        Objects.requireNonNull(address, "address");
        if (server != null) {
            throw new BindException("HttpServer already bound to " + server.address());
        }
        if (stopped) {
            throw new IllegalStateException("the server was stopped");
        }
        InetSocketAddress where = address.isUnresolved() ? new InetSocketAddress(address.getHostString(),
                address.getPort()) : address;
        server = GreenHttpServer.builder(where, this::dispatch).hubs(hubs).backlog(backlog)
                .threadName("jdk-http-green").accessLogLevel(System.Logger.Level.DEBUG).start();
    }

    @Override
    public synchronized void start() {
        if (server == null) {
            throw new IllegalStateException("the server is not bound");
        }
        if (started.isReady()) {
            throw new IllegalStateException("the server is already started");
        }
        if (stopped) {
            throw new IllegalStateException("the server was stopped");
        }
        started.send(Boolean.TRUE);
    }

    /**
     * Keeps {@code executor} for {@link #getExecutor()}; handlers still run on green threads.
     *
     * @param executor any executor, or null
     */
    @Override
    public synchronized void setExecutor(Executor executor) {
        if (started.isReady()) {
            throw new IllegalStateException("the server is already started");
        }
        this.executor = executor;
    }

    @Override
    public Executor getExecutor() {
        return executor;
    }

    @Override
    public void stop(int delay) {
        if (delay < 0) {
            throw new IllegalArgumentException("negative delay parameter: " + delay);
        }
        GreenHttpServer s;
        synchronized (this) {
            stopped = true;
            s = server;
        }
        if (s != null) {
            s.stop(Duration.ofSeconds(delay));
        }
        synchronized (started) {
            if (!started.isReady()) {
                started.send(Boolean.FALSE); // requests waiting for a start that never comes
            }
        }
    }

    @Override
    public HttpContext createContext(String path, HttpHandler handler) {
        Objects.requireNonNull(handler, "handler");
        return addContext(path, handler);
    }

    @Override
    public HttpContext createContext(String path) {
        return addContext(path, null);
    }

    private HttpContext addContext(String path, HttpHandler handler) {
        Objects.requireNonNull(path, "path");
        if (!path.startsWith("/")) {
            throw new IllegalArgumentException("a context path must begin with '/': '" + path + "'");
        }
        JdkHttpContext context = new JdkHttpContext(path, handler, this);
        contexts.add(context);
        return context;
    }

    @Override
    public void removeContext(String path) {
        Objects.requireNonNull(path, "path");
        contexts.remove(path);
    }

    @Override
    public void removeContext(HttpContext context) {
        Objects.requireNonNull(context, "context");
        if (!(context instanceof JdkHttpContext c) || c.getServer() != this) {
            throw new IllegalArgumentException("the context " + context.getPath() + " is not this server's");
        }
        contexts.remove(c);
    }

    @Override
    public InetSocketAddress getAddress() {
        GreenHttpServer s = server;
        return s == null ? null : s.address();
    }

    /** Every request of every connection: find the context, run its filters and handler. */
    private void dispatch(HttpRequest request, HttpResponse response) throws IOException {
        if (!started.await()) {
            response.headers().set("Connection", "close");
            response.sendText(503, "the server was stopped before it started");
            return;
        }
        URI uri;
        try {
            uri = new URI(request.target());
        } catch (URISyntaxException e) {
            response.sendText(400, "invalid request target: " + e.getMessage());
            return;
        }
        String path = uri.getPath() == null ? "" : uri.getPath();
        JdkHttpContext context = contexts.find(path);
        if (context == null || context.getHandler() == null) {
            response.sendText(404, "No context found for request");
            return;
        }
        JdkHttpExchange exchange = new JdkHttpExchange(request, response, uri, context);
        try {
            List<Filter> chain = new ArrayList<>(context.getFilters());
            Authenticator auth = context.getAuthenticator();
            if (auth != null) {
                chain.add(new AuthenticationFilter(auth));
            }
            new Filter.Chain(chain, context.getHandler()).doFilter(exchange);
        } finally {
            exchange.finish();
        }
    }

    /** Runs the context's authenticator before its handler (as the JDK's AuthFilter). */
    private static final class AuthenticationFilter extends Filter {
        private final Authenticator authenticator;

        AuthenticationFilter(Authenticator authenticator) {
            this.authenticator = authenticator;
        }

        @Override
        public void doFilter(com.sun.net.httpserver.HttpExchange exchange, Chain chain) throws IOException {
            Authenticator.Result result = authenticator.authenticate(exchange);
            if (result instanceof Authenticator.Success s) {
                ((JdkHttpExchange) exchange).principal(s.getPrincipal());
                chain.doFilter(exchange);
            } else if (result instanceof Authenticator.Failure f) {
                exchange.sendResponseHeaders(f.getResponseCode(), -1);
            } else if (result instanceof Authenticator.Retry r) {
                exchange.sendResponseHeaders(r.getResponseCode(), -1);
            }
        }

        @Override
        public String description() {
            return "authentication by " + authenticator;
        }
    }
}
