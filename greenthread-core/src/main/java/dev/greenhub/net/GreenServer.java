package dev.greenhub.net;

import dev.greenhub.hub.HubProvider;
import dev.greenhub.hub.Hubs;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * A TCP server on several hubs, one per core: {@link GreenNet#serve} spread over N platform
 * threads, each running its own {@link dev.greenhub.Scheduler} with its own hub.
 *
 * <h2>How connections are spread</h2>
 * Each hub has its own listening socket on the same address, bound with SO_REUSEPORT (when there
 * is more than one hub), and the kernel spreads incoming connections over them. A connection
 * lives on the hub that accepted it for its whole life: its green thread, its socket and
 * everything its handler spawns belong to that hub's scheduler, so eventlet's single-threaded
 * model holds within a hub.
 *
 * <h2>What is and is not shared between hubs</h2>
 * <ul>
 *   <li>Not shared: schedulers, timer heaps, hubs (and their fds), listening sockets, green
 *       threads, and the green primitives a handler creates ({@code Event}, {@code Semaphore},
 *       {@code GreenQueue} used within one connection).</li>
 *   <li>Shared: the {@link GreenNet.Handler} object itself, which is called concurrently from N
 *       platform threads' green threads: state it keeps across connections must be thread-safe
 *       (JDK concurrent classes, atomics, locks; green waits on them cooperate), exactly as with
 *       the JDK's thread-per-connection servers. With one hub ({@code hubs(1)}) the handler is
 *       only ever called from one carrier, as with {@link GreenNet#serve}.</li>
 *   <li>The concurrency limit is per hub.</li>
 * </ul>
 *
 * <h2>Stopping</h2>
 * {@link #stop(Duration)} stops accepting at once (connections still queued in a closed
 * listener's backlog are reset by the kernel), waits for the connections being served to end
 * within the grace period, then ends the rest as {@link #close()} does. All methods are
 * thread-safe.
 */
public final class GreenServer implements AutoCloseable {
    private final List<HubWorker> workers;
    private final InetSocketAddress address;

    private GreenServer(List<HubWorker> workers, InetSocketAddress address) {
        this.workers = workers;
        this.address = address;
    }

    /**
     * A builder for a server on {@code address} serving each connection with {@code handler}.
     *
     * @param address where to listen; port 0 picks a free port (the same for every hub)
     * @param handler serves one connection in its own green thread; called from every hub
     * @return the builder, with one hub per available processor
     */
    public static Builder builder(InetSocketAddress address, GreenNet.Handler handler) {
        return new Builder(address, handler);
    }

    /** Settings of a {@link GreenServer}; not thread-safe. */
    public static final class Builder {
        private final InetSocketAddress address;
        private final GreenNet.Handler handler;
        private int hubs = Runtime.getRuntime().availableProcessors();
        private String hubName;
        private int backlog = 1024;
        private int concurrency = GreenNet.DEFAULT_CONCURRENCY;
        private String threadName = "green-server";

        private Builder(InetSocketAddress address, GreenNet.Handler handler) {
            this.address = Objects.requireNonNull(address, "address");
            this.handler = Objects.requireNonNull(handler, "handler");
        }

        /**
         * How many hubs (platform threads) serve.
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
         * Which hub provider every hub uses ({@code "epoll"}, {@code "poll"}, {@code "select"}).
         *
         * @param name a provider name, or null for greenhub's selection ({@code greenhub.hub})
         * @return this builder
         */
        public Builder hub(String name) {
            this.hubName = name;
            return this;
        }

        /**
         * The accept queue length of each listening socket.
         *
         * @param backlog less than 1 for the system default; default 1024
         * @return this builder
         */
        public Builder backlog(int backlog) {
            this.backlog = backlog;
            return this;
        }

        /**
         * How many connections each hub serves at once; further ones wait in the backlog.
         *
         * @param perHub at least 1; default {@value GreenNet#DEFAULT_CONCURRENCY}
         * @return this builder
         * @throws IllegalArgumentException if less than 1
         */
        public Builder concurrency(int perHub) {
            if (perHub < 1) {
                throw new IllegalArgumentException("concurrency must be at least 1, not " + perHub);
            }
            this.concurrency = perHub;
            return this;
        }

        /**
         * The name prefix of the hub threads ({@code name-0}, {@code name-1}, ...).
         *
         * @param name the prefix; default {@code green-server}
         * @return this builder
         */
        public Builder threadName(String name) {
            this.threadName = Objects.requireNonNull(name, "name");
            return this;
        }

        /**
         * Starts the hub threads; returns once every one listens.
         *
         * @return the running server
         * @throws IOException if a listener cannot be bound (nothing is left running then)
         * @throws dev.greenhub.hub.HubUnavailableException if the hub cannot be had
         * @throws UnsupportedOperationException if several hubs are asked for where SO_REUSEPORT
         *     is missing
         */
        public GreenServer start() throws IOException {
            HubProvider provider = (hubName == null ? Hubs.select() : Hubs.select(hubName)).provider();
            boolean reusePort = hubs > 1;
            List<HubWorker> started = new ArrayList<>(hubs);
            InetSocketAddress bound = address;
            boolean ok = false;
            try {
                for (int i = 0; i < hubs; i++) {
                    HubWorker w = new HubWorker(threadName + "-" + i, provider, bound, backlog, reusePort,
                            concurrency, handler);
                    started.add(w);
                    InetSocketAddress local = w.start();
                    if (i == 0) {
                        bound = new InetSocketAddress(local.getAddress(), local.getPort());
                    }
                }
                ok = true;
                return new GreenServer(List.copyOf(started), bound);
            } finally {
                if (!ok) {
                    for (HubWorker w : started) {
                        w.finish();
                        w.join(Duration.ofSeconds(10));
                    }
                }
            }
        }
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
     * How many hubs serve.
     *
     * @return the number of hub threads
     */
    public int hubCount() {
        return workers.size();
    }

    /**
     * The name of the hub provider the hubs use.
     *
     * @return for example {@code "epoll"}
     */
    public String hubName() {
        return workers.get(0).hubName();
    }

    /**
     * The connections being served now, over all hubs (a snapshot).
     *
     * @return the count
     */
    public int connectionCount() {
        int n = 0;
        for (HubWorker w : workers) {
            n += w.liveConnections();
        }
        return n;
    }

    /**
     * The hub threads (for diagnostics and tests).
     *
     * @return the platform threads, one per hub
     */
    public List<Thread> hubThreads() {
        return workers.stream().map(HubWorker::thread).toList();
    }

    /**
     * Stops accepting new connections on every hub; the connections being served go on.
     * Idempotent.
     */
    public void stopAccepting() {
        for (HubWorker w : workers) {
            w.stopAccepting();
        }
    }

    /**
     * Waits until every connection has ended, after {@link #stopAccepting()}.
     *
     * @param timeout how long at most
     * @return true if all ended, false if the time passed first
     * @throws InterruptedException if the caller is interrupted
     */
    public boolean awaitConnections(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + Math.min(NetTimeouts.nanos(timeout, "timeout"), Long.MAX_VALUE >> 2);
        for (HubWorker w : workers) {
            if (!w.awaitDrained(deadline)) {
                return false;
            }
        }
        return true;
    }

    /**
     * Graceful stop: stops accepting, lets the connections being served end within
     * {@code grace}, then {@link #close()}s.
     *
     * @param grace how long connections may take to end; zero ends them at once
     * @throws IllegalArgumentException if negative
     */
    public void stop(Duration grace) {
        stopAccepting();
        try {
            if (!grace.isZero()) {
                awaitConnections(grace);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            close();
        }
    }

    /**
     * Stops at once: stops accepting, kills every connection's green thread (its socket is
     * closed), closes each hub and waits up to ten seconds for the hub threads to end.
     * Idempotent; called from one of the server's own green threads, it only starts the stop.
     *
     * @throws IllegalStateException if a hub thread has not ended within ten seconds
     */
    @Override
    public void close() {
        for (HubWorker w : workers) {
            w.finish();
        }
        Thread me = Thread.currentThread();
        for (HubWorker w : workers) {
            if (w.thread() == me || (me.isVirtual() && dev.greenhub.Scheduler.currentIfPresent()
                    .map(s -> s.carrier() == w.thread()).orElse(false))) {
                continue;
            }
            if (!w.join(Duration.ofSeconds(10))) {
                throw new IllegalStateException(w.thread().getName() + " did not stop within 10 s");
            }
        }
    }

    @Override
    public String toString() {
        return "GreenServer[" + address + ", " + workers.size() + " " + hubName() + " hubs]";
    }
}
