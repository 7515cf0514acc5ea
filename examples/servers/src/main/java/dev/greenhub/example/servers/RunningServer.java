package dev.greenhub.example.servers;

import dev.greenhub.GreenThread;
import dev.greenhub.GreenThreadException;
import dev.greenhub.Scheduler;
import dev.greenhub.hub.HubProvider;
import dev.greenhub.hub.Hubs;
import dev.greenhub.net.GreenNet;
import dev.greenhub.net.GreenServerSocket;
import dev.greenhub.net.StopServe;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A server running on a hub thread of its own: the handle {@code EchoServer.start},
 * {@code ChatServer.start} and {@code PortForwarder.start} return.
 *
 * <p>The server's platform thread (named after the server) opens a {@link Scheduler}, listens,
 * and runs {@link GreenNet#serve} in a green thread: every connection is served by its own green
 * thread, all of them on that one platform thread. {@link #close()} stops it from any thread.
 */
public final class RunningServer implements AutoCloseable {
    /** The listen backlog of the example servers. */
    static final int BACKLOG = 128;
    /** How long {@link #close()} waits for the server thread to end. */
    static final Duration STOP_WAIT = Duration.ofSeconds(10);
    private static final System.Logger LOG = System.getLogger("dev.greenhub.example.servers");

    private final Thread thread;
    private final InetSocketAddress address;
    private final String hubName;
    private final GreenThread<Void> acceptor;
    private final Scheduler scheduler;

    private RunningServer(Thread thread, Started started) {
        this.thread = thread;
        this.address = started.address;
        this.hubName = started.scheduler.hubName();
        this.acceptor = started.acceptor;
        this.scheduler = started.scheduler;
    }

    private record Started(InetSocketAddress address, Scheduler scheduler, GreenThread<Void> acceptor) {
    }

    /**
     * Starts a server thread named {@code name} that listens on {@code bind} and serves every
     * connection with {@code handler}; returns once it listens.
     *
     * @param name the thread's name, also used in messages
     * @param bind where to listen; port 0 picks a free port
     * @param hub the hub provider's name, or null for greenhub's selection ({@code greenhub.hub})
     * @param concurrency how many connections are served at once at most
     * @param handler serves one connection, in its own green thread; one handler per server, since
     *     what it shares between connections is touched only by this server's green threads
     * @return the running server
     * @throws IOException if it cannot listen (for example "Address already in use")
     * @throws dev.greenhub.hub.HubUnavailableException if the hub cannot be had
     */
    static RunningServer start(String name, InetSocketAddress bind, String hub, int concurrency,
                               GreenNet.Handler handler) throws IOException {
        Objects.requireNonNull(bind, "bind");
        Objects.requireNonNull(handler, "handler");
        // Choose the provider here, so that a wrong hub name is the caller's exception.
        HubProvider provider = (hub == null ? Hubs.select() : Hubs.select(hub)).provider();
        CompletableFuture<Started> started = new CompletableFuture<>();
        Thread thread = Thread.ofPlatform().name(name).daemon().start(
                () -> run(name, provider, bind, concurrency, handler, started));
        try {
            return new RunningServer(thread, started.get());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while " + name + " was starting");
        } catch (ExecutionException e) {
            awaitEnd(thread); // it is releasing its hub: let it finish, so nothing outlives the failure
            Throwable cause = e.getCause();
            if (cause instanceof IOException io) {
                throw new IOException(name + " cannot listen on " + bind + ": " + io.getMessage(), io);
            }
            if (cause instanceof RuntimeException r) {
                throw r;
            }
            throw new IllegalStateException(name + " failed to start", cause);
        }
    }

    private static void awaitEnd(Thread thread) throws InterruptedIOException {
        try {
            if (!thread.join(STOP_WAIT)) {
                throw new IllegalStateException(thread.getName() + " did not end within " + STOP_WAIT);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while waiting for " + thread.getName() + " to end");
        }
    }

    /** The server thread's whole life. */
    private static void run(String name, HubProvider provider, InetSocketAddress bind, int concurrency,
                            GreenNet.Handler handler, CompletableFuture<Started> started) {
        try (Scheduler scheduler = Scheduler.open(provider);
             GreenServerSocket server = GreenNet.listen(bind, BACKLOG)) {
            InetSocketAddress address = server.localAddress();
            AtomicReference<GreenThread<Void>> self = new AtomicReference<>();
            GreenThread<Void> acceptor = scheduler.spawn(() -> {
                // Reported from inside, so that close() can only kill a running serve, which then
                // returns normally (a kill before the start would be an error outcome instead).
                started.complete(new Started(address, scheduler, self.get()));
                GreenNet.serve(server, handler, concurrency);
                return null;
            });
            self.set(acceptor);
            // This platform thread runs the hub loop (all the green threads) while it waits here.
            acceptor.get();
        } catch (GreenThreadException e) {
            // serve failed (the scheduler's reporter has logged it too): the server stops
            if (!started.completeExceptionally(e.getCause())) {
                LOG.log(System.Logger.Level.ERROR, name + " stopped: " + e.getCause(), e.getCause());
            }
        } catch (IOException | RuntimeException | Error e) {
            if (!started.completeExceptionally(e)) {
                LOG.log(System.Logger.Level.ERROR, name + " failed", e);
            }
        }
        // Closing the scheduler (end of the try) killed every connection's green thread; each
        // closed its sockets on the way out (serve closes a connection when its handler ends).
    }

    /**
     * Where the server listens (with the real port when started on port 0).
     *
     * @return the bound address
     */
    public InetSocketAddress address() {
        return address;
    }

    /**
     * The port the server listens on.
     *
     * @return the port
     */
    public int port() {
        return address.getPort();
    }

    /**
     * The name of the hub the server runs on, such as {@code "epoll"}.
     *
     * @return the hub's name
     */
    public String hubName() {
        return hubName;
    }

    /**
     * Whether the server thread is still running.
     *
     * @return true until the server has stopped
     */
    public boolean isRunning() {
        return thread.isAlive();
    }

    /** The server thread's name ("echo-server", ...). */
    String threadName() {
        return thread.getName();
    }

    /**
     * Waits until the server stops (after {@link #close()}, from a shutdown hook for example).
     *
     * @throws InterruptedException if the waiting thread is interrupted
     */
    public void awaitStopped() throws InterruptedException {
        thread.join();
    }

    /**
     * Stops the server: stops accepting, ends every connection (their green threads are killed
     * and their sockets closed), closes the listening socket and releases the hub; waits up to
     * {@link #STOP_WAIT} for all of it. Idempotent; callable from any thread. Called from one of
     * the server's own green threads, it only starts the stop (that thread is about to end).
     *
     * @throws IllegalStateException if the server thread has not ended within {@link #STOP_WAIT}
     */
    @Override
    public void close() {
        if (!thread.isAlive()) {
            return;
        }
        acceptor.kill(new StopServe(thread.getName() + " closed"));
        if (Scheduler.currentIfPresent().orElse(null) == scheduler) {
            return;
        }
        try {
            if (!thread.join(STOP_WAIT)) {
                throw new IllegalStateException(thread.getName() + " did not stop within " + STOP_WAIT);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for " + thread.getName() + " to stop", e);
        }
    }

    @Override
    public String toString() {
        return thread.getName() + " on " + address + " (hub " + hubName + (isRunning() ? ")" : ", stopped)");
    }

    /** For mains: Ctrl-C (or any JVM shutdown) closes the server. */
    void closeOnShutdown() {
        Runtime.getRuntime().addShutdownHook(Thread.ofPlatform().name(thread.getName() + "-shutdown").unstarted(() -> {
            try {
                close();
            } catch (RuntimeException e) {
                System.err.println(e.getMessage());
            }
        }));
    }
}
