package dev.greenhub.net;

import dev.greenhub.Event;
import dev.greenhub.GreenThread;
import dev.greenhub.IoClosedException;
import dev.greenhub.Scheduler;
import dev.greenhub.Semaphore;
import dev.greenhub.hub.HubProvider;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One hub of a {@link GreenServer}: a platform thread running its own {@link Scheduler}, its own
 * listening socket (SO_REUSEPORT when the server has several hubs) and the green threads of the
 * connections that listener accepted. Nothing here is touched by another hub.
 */
final class HubWorker {
    private static final System.Logger LOG = System.getLogger("dev.greenhub.net");

    private final String name;
    private final HubProvider provider;
    private final InetSocketAddress bind;
    private final int backlog;
    private final boolean reusePort;
    private final int concurrency;
    private final GreenNet.Handler handler;
    private final CompletableFuture<InetSocketAddress> listening = new CompletableFuture<>();
    /** Connections whose handler has not ended; read by other threads for statistics and drain. */
    private final AtomicInteger live = new AtomicInteger();
    private final AtomicBoolean stopping = new AtomicBoolean();
    private final CountDownLatch drained = new CountDownLatch(1);
    /** Sent (from any thread) when the hub thread should end, killing what still runs. */
    private final Event<Boolean> finish = new Event<>();
    private volatile GreenServerSocket listener;
    private volatile Scheduler scheduler;
    private Thread thread;

    HubWorker(String name, HubProvider provider, InetSocketAddress bind, int backlog, boolean reusePort,
              int concurrency, GreenNet.Handler handler) {
        this.name = name;
        this.provider = provider;
        this.bind = bind;
        this.backlog = backlog;
        this.reusePort = reusePort;
        this.concurrency = concurrency;
        this.handler = handler;
    }

    /** Starts the hub thread and waits until it listens. */
    InetSocketAddress start() throws IOException {
        thread = Thread.ofPlatform().name(name).daemon().start(this::run);
        try {
            return listening.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new java.io.InterruptedIOException("interrupted while " + name + " was starting");
        } catch (java.util.concurrent.ExecutionException e) {
            join(java.time.Duration.ofSeconds(10));
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

    private void run() {
        try (Scheduler s = Scheduler.open(provider)) {
            scheduler = s;
            GreenServerSocket server;
            try {
                server = GreenNet.listen(bind, backlog, reusePort);
            } catch (IOException | RuntimeException e) {
                listening.completeExceptionally(e);
                return;
            }
            listener = server;
            try {
                GreenThread<Void> acceptor = s.spawn(() -> {
                    acceptLoop(server);
                    return null;
                });
                listening.complete(server.localAddress());
                acceptor.get();
                finish.await();
            } finally {
                closeQuietly(server);
            }
            // leaving the try closes the scheduler: it kills the connections still served, whose
            // handlers close their sockets on the way out
        } catch (RuntimeException | Error | IOException e) {
            if (!listening.completeExceptionally(e)) {
                LOG.log(System.Logger.Level.ERROR, name + " failed", e);
            }
        } finally {
            stopping.set(true);
            drained.countDown();
        }
    }

    private void acceptLoop(GreenServerSocket server) {
        Semaphore slots = new Semaphore(concurrency);
        while (!stopping.get()) {
            slots.acquire();
            GreenSocket connection;
            try {
                connection = server.accept();
            } catch (IoClosedException e) {
                slots.release();
                if (stopping.get()) {
                    return;
                }
                throw new UncheckedIOException(e);
            } catch (IOException e) {
                slots.release();
                throw new UncheckedIOException(name + " stopped accepting on " + server, e);
            }
            live.incrementAndGet();
            boolean handedOver = false;
            try {
                Scheduler.current().spawnN(() -> serveOne(connection, slots));
                handedOver = true;
            } finally {
                if (!handedOver) {
                    closeQuietly(connection);
                    slots.release();
                    connectionEnded();
                }
            }
        }
    }

    private void serveOne(GreenSocket connection, Semaphore slots) {
        try {
            handler.handle(connection);
        } catch (RuntimeException | Error e) {
            throw e;
        } catch (IOException e) {
            throw new UncheckedIOException("handler failed on " + connection, e);
        } catch (Exception e) {
            throw new IllegalStateException("handler failed on " + connection, e);
        } finally {
            closeQuietly(connection);
            slots.release();
            connectionEnded();
        }
    }

    private void connectionEnded() {
        if (live.decrementAndGet() == 0 && stopping.get()) {
            drained.countDown();
        }
    }

    /** Stops accepting (from any thread): closes the listener; connections go on. */
    void stopAccepting() {
        stopping.set(true);
        GreenServerSocket l = listener;
        if (l != null) {
            closeQuietly(l);
        }
        if (live.get() == 0) {
            drained.countDown();
        }
    }

    /** Waits until every connection's handler has ended (after {@link #stopAccepting()}). */
    boolean awaitDrained(long deadlineNanos) throws InterruptedException {
        long left = deadlineNanos - System.nanoTime();
        return drained.await(Math.max(0, left), java.util.concurrent.TimeUnit.NANOSECONDS);
    }

    /** Ends the hub thread (from any thread): kills the remaining connections, closes the hub. */
    void finish() {
        stopAccepting();
        synchronized (finish) {
            if (!finish.isReady()) {
                finish.send(Boolean.TRUE);
            }
        }
    }

    boolean join(java.time.Duration wait) {
        try {
            return thread == null || thread.join(wait);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    int liveConnections() {
        return live.get();
    }

    String hubName() {
        Scheduler s = scheduler;
        return s == null ? provider.name() : s.hubName();
    }

    Thread thread() {
        return thread;
    }

    private static void closeQuietly(java.io.Closeable c) {
        try {
            c.close();
        } catch (IOException e) {
            LOG.log(System.Logger.Level.WARNING, "closing " + c + " failed", e);
        }
    }
}
