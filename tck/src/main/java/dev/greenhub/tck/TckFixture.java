package dev.greenhub.tck;

import dev.greenhub.hub.Hub;
import dev.greenhub.hub.HubProvider;
import dev.greenhub.hub.ReadyHandler;
import dev.greenhub.hub.Readiness;
import dev.greenhub.nativeio.Fds;
import dev.greenhub.nativeio.Native;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.channels.Channel;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The resources of one rule: the hubs, fds, channels and threads it opens, all closed by
 * {@link #close()}, which then checks that no pipe, socket or anonymous-inode fd was left open.
 * Also the checked {@link #poll} every rule polls through.
 */
final class TckFixture implements AutoCloseable {
    static final byte[] ONE_BYTE = {42};
    private static final int CHUNK = 64 * 1024;

    private final HubProvider provider;
    private final FdSnapshot before;
    private final Deque<Hub> hubs = new ArrayDeque<>();
    private final Set<Integer> fds = new LinkedHashSet<>();
    private final Deque<Channel> channels = new ArrayDeque<>();
    private final List<Thread> threads = new ArrayList<>();
    private final List<Rescue> rescues = new ArrayList<>();
    private final AtomicInteger pollsRunning = new AtomicInteger();
    private boolean closed;

    TckFixture(HubProvider provider) {
        JdkWarmUp.ensure();
        this.provider = provider;
        this.before = FdSnapshot.take();
    }

    /**
     * The JDK keeps a socket open for good the first time a socket channel is closed (the
     * "pre-close" socket of its dispatcher), and its I/O pollers keep their fds for good once
     * started; open and close channels and start the pollers once before the first snapshot so
     * that these fds are not taken for a hub's leak.
     */
    private static final class JdkWarmUp {
        static {
            try (ServerSocketChannel server = ServerSocketChannel.open()) {
                server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
                try (SocketChannel client = SocketChannel.open(server.getLocalAddress());
                     SocketChannel accepted = server.accept()) {
                    client.configureBlocking(false);
                    accepted.configureBlocking(false);
                }
            } catch (IOException e) {
                throw new java.io.UncheckedIOException("cannot open loopback TCP sockets", e);
            }
            try {
                // Its static initialiser starts the JDK's I/O poller threads with their own epoll
                // fds, which stay open; greenthread-core does the same when its first scheduler opens.
                Class.forName("sun.nio.ch.Poller", true, null);
            } catch (ClassNotFoundException | LinkageError e) {
                // a JDK without that class: greenthread-core starts its pollers another way
            }
        }

        static void ensure() {
            // loading the class runs the warm-up once
        }
    }

    HubProvider provider() {
        return provider;
    }

    /** Opens a hub that is closed with the fixture. */
    Hub open() throws IOException {
        Hub hub = provider.open();
        if (hub == null) {
            throw new AssertionError(provider.getClass().getName() + ".open() returned null");
        }
        hubs.push(hub);
        return hub;
    }

    /** A non-blocking pipe: {read end, write end}. */
    int[] pipe() throws IOException {
        int[] p = Fds.pipe();
        fds.add(p[0]);
        fds.add(p[1]);
        return p;
    }

    /** A connected pair of non-blocking Unix stream sockets. */
    int[] socketPair() throws IOException {
        int[] p = Fds.socketPair();
        fds.add(p[0]);
        fds.add(p[1]);
        return p;
    }

    /** A non-blocking TCP listening socket on 127.0.0.1 with an ephemeral port. */
    ServerSocketChannel listen() throws IOException {
        ServerSocketChannel server = ServerSocketChannel.open();
        channels.push(server);
        server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        server.configureBlocking(false);
        return server;
    }

    /** A connected loopback TCP connection, both ends non-blocking. */
    Tcp tcp() throws IOException {
        ServerSocketChannel server = listen();
        server.configureBlocking(true);
        SocketChannel client = SocketChannel.open();
        channels.push(client);
        client.connect(server.getLocalAddress());
        SocketChannel accepted = server.accept();
        channels.push(accepted);
        client.configureBlocking(false);
        accepted.configureBlocking(false);
        client.setOption(StandardSocketOptions.TCP_NODELAY, true);
        accepted.setOption(StandardSocketOptions.TCP_NODELAY, true);
        return new Tcp(client, Fds.fdOf(client), accepted, Fds.fdOf(accepted));
    }

    /** One loopback TCP connection: the connecting end and the accepted end, with their fds. */
    record Tcp(SocketChannel client, int clientFd, SocketChannel accepted, int acceptedFd) {
    }

    /** Starts a daemon thread that is interrupted and joined by {@link #close()}. */
    Thread start(String name, Runnable body) {
        Thread t = Thread.ofPlatform().name("greenhub-tck-" + name).daemon().unstarted(body);
        threads.add(t);
        t.start();
        return t;
    }

    /**
     * Registers a pipe's read end with {@code hub} for READ and, after {@code after}, makes it
     * readable from another thread: a poll that a broken hub would never end returns then, and the
     * rule fails instead of hanging.
     */
    Rescue rescue(Hub hub, Duration after) throws IOException {
        int[] p = pipe();
        hub.register(p[0], Readiness.READ);
        Rescue r = new Rescue(p[0], p[1], after);
        rescues.add(r);
        r.thread = start("rescue", r::run);
        return r;
    }

    /** A watchdog that ends a poll that runs too long; see {@link #rescue}. */
    static final class Rescue {
        private final int readFd;
        private final int writeFd;
        private final Duration after;
        private final CountDownLatch cancelled = new CountDownLatch(1);
        private final AtomicBoolean fired = new AtomicBoolean();
        private Thread thread;

        private Rescue(int readFd, int writeFd, Duration after) {
            this.readFd = readFd;
            this.writeFd = writeFd;
            this.after = after;
        }

        int fd() {
            return readFd;
        }

        boolean fired() {
            return fired.get();
        }

        Duration after() {
            return after;
        }

        /** Stops the watchdog (it fires no more) and waits for its thread. */
        void cancel() throws InterruptedException {
            cancelled.countDown();
            if (thread != null) {
                thread.join(TimeUnit.SECONDS.toMillis(10));
            }
        }

        private void run() {
            try {
                if (!cancelled.await(after.toNanos(), TimeUnit.NANOSECONDS)) {
                    fired.set(true);
                    Fds.write(writeFd, ONE_BYTE);
                }
            } catch (InterruptedException | IOException e) {
                // cancelled by the fixture's close, or the pipe is gone: nothing to rescue
            }
        }
    }

    /** Closes {@code fd} now (behind any hub's back) and stops tracking it. */
    void closeNow(int fd) throws IOException {
        if (!fds.remove(fd)) {
            throw new IllegalArgumentException("fd " + fd + " is not one of this rule's fds");
        }
        Fds.close(fd);
    }

    /** Starts tracking an fd the rule created itself (for example with dup2). */
    void track(int fd) {
        fds.add(fd);
    }

    /** A duplicate of {@code fd} (the same open file under a second number), closed with the fixture. */
    int dup(int fd) throws IOException {
        int copy = Native.libc().dup(fd);
        if (copy < 0) {
            throw Native.error("dup(" + fd + ")");
        }
        track(copy);
        return copy;
    }

    /** The median of {@code values} (sorted in place). */
    static long median(long[] values) {
        java.util.Arrays.sort(values);
        return values[values.length / 2];
    }

    /** Spins for about {@code nanos} without giving up the processor. */
    static void spin(long nanos) {
        long end = System.nanoTime() + nanos;
        while (System.nanoTime() - end < 0) {
            Thread.onSpinWait();
        }
    }

    /** Stops tracking an fd the rule closed itself or whose number now belongs to another tracked fd. */
    void untrack(int fd) {
        fds.remove(fd);
    }

    /** Writes one byte; fails if the fd is not writable. */
    static void writeByte(int fd) throws IOException {
        int n = Fds.write(fd, ONE_BYTE);
        if (n != 1) {
            throw new AssertionError("could not write one byte to fd " + fd + " (write returned " + n + ")");
        }
    }

    /** Writes until the fd would block; returns the bytes written. */
    static long fill(int fd) throws IOException {
        byte[] chunk = new byte[CHUNK];
        long total = 0;
        int size = CHUNK;
        while (true) {
            int n = Fds.write(fd, size == CHUNK ? chunk : java.util.Arrays.copyOf(chunk, size));
            if (n < 0) {
                if (size == 1) {
                    return total;
                }
                size = Math.max(1, size / 16); // a pipe takes a partial chunk only once it has room for it
                continue;
            }
            total += n;
        }
    }

    /** Reads until the fd would block or is at end of stream; returns the bytes read. */
    static long drain(int fd) throws IOException {
        byte[] buffer = new byte[CHUNK];
        long total = 0;
        while (true) {
            int n = Fds.read(fd, buffer);
            if (n <= 0) {
                return total;
            }
            total += n;
        }
    }

    static void setLingerZero(SocketChannel channel) throws IOException {
        channel.setOption(StandardSocketOptions.SO_LINGER, 0);
    }

    /** {@link #poll(Hub, long, ReadyHandler)} with no handler of the rule's own. */
    PollResult poll(Hub hub, long timeoutNanos) throws IOException {
        return poll(hub, timeoutNanos, null);
    }

    /**
     * Polls {@code hub} once and checks what every poll must respect: each report has a fd that is
     * registered, non-zero readiness with no unknown bits, READ and WRITE only as far as they
     * were asked for, at most one report per fd, and a return value equal to the number of
     * reports. {@code then} (if not null) is called after each report is recorded.
     */
    PollResult poll(Hub hub, long timeoutNanos, ReadyHandler then) throws IOException {
        Map<Integer, Integer> reported = new LinkedHashMap<>();
        int[] calls = {0};
        long start = System.nanoTime();
        int returned;
        pollsRunning.incrementAndGet();
        try {
            returned = hub.poll(timeoutNanos, (fd, ops) -> {
                calls[0]++;
                check(hub, reported, fd, ops);
                reported.put(fd, ops);
                if (then != null) {
                    then.ready(fd, ops);
                }
            });
        } finally {
            pollsRunning.decrementAndGet();
        }
        long elapsed = System.nanoTime() - start;
        PollResult result = new PollResult(returned, reported, elapsed, timeoutNanos);
        if (returned != calls[0]) {
            throw new AssertionError("poll returned " + returned + " but its handler was called " + calls[0]
                    + " times: " + result);
        }
        return result;
    }

    /** Fails with what is wrong if one report breaks what every poll must respect. */
    private static void check(Hub hub, Map<Integer, Integer> reported, int fd, int ops) {
        if (ops == 0 || (ops & ~Readiness.READY_MASK) != 0) {
            throw new AssertionError("fd " + fd + " reported with readiness " + ops + " ("
                    + Readiness.describe(ops) + "): it must be non-zero READ/WRITE/ERROR/HANGUP bits");
        }
        if (reported.containsKey(fd)) {
            throw new AssertionError("fd " + fd + " reported twice in one poll call ("
                    + Readiness.describe(reported.get(fd)) + ", then " + Readiness.describe(ops) + ")");
        }
        int interest = hub.interest(fd);
        if (interest == 0) {
            throw new AssertionError("fd " + fd + " reported (" + Readiness.describe(ops)
                    + ") but it is not registered (the wakeup fd must never be reported)");
        }
        int unasked = ops & Readiness.INTEREST_MASK & ~interest;
        if (unasked != 0) {
            throw new AssertionError("fd " + fd + " registered for " + Readiness.describe(interest)
                    + " reported " + Readiness.describe(ops) + ": " + Readiness.describe(unasked)
                    + " was not asked for");
        }
    }

    /** Closes everything the rule opened, then fails if a pipe, socket or anonymous-inode fd leaked. */
    @Override
    public void close() throws Exception {
        if (closed) {
            return;
        }
        closed = true;
        List<Throwable> errors = new ArrayList<>();
        for (Rescue r : rescues) {
            r.cancelled.countDown();
        }
        for (Thread t : threads) {
            t.interrupt();
        }
        for (Thread t : threads) {
            t.join(TimeUnit.SECONDS.toMillis(10));
            if (t.isAlive()) {
                errors.add(new AssertionError("thread " + t.getName() + " did not end within 10 s"));
            }
        }
        if (pollsRunning.get() != 0) {
            // A poll that timed out is still inside the hub on an abandoned thread: closing the
            // hub or the fds under it could let the kernel write into freed memory. Leave them.
            throw new AssertionError("a poll call was still running when the rule ended (the hub hangs);"
                    + " its hub and fds were left open");
        }
        while (!hubs.isEmpty()) {
            Hub hub = hubs.pop();
            try {
                hub.close();
            } catch (RuntimeException e) {
                errors.add(e);
            }
        }
        for (int fd : fds) {
            Native.libc().close(fd);
        }
        fds.clear();
        while (!channels.isEmpty()) {
            try {
                channels.pop().close();
            } catch (IOException e) {
                errors.add(e);
            }
        }
        if (errors.isEmpty()) {
            List<String> leaked = FdSnapshot.take().addedSince(before);
            if (!leaked.isEmpty()) {
                errors.add(new AssertionError("fds left open after the rule closed its hubs and fds"
                        + " (a hub leaks native fds?): " + leaked));
            }
        }
        if (!errors.isEmpty()) {
            Throwable first = errors.getFirst();
            for (Throwable t : errors.subList(1, errors.size())) {
                first.addSuppressed(t);
            }
            if (first instanceof Exception e) {
                throw e;
            }
            throw (Error) first;
        }
    }

    /** Sleeps on the calling (platform) thread, keeping an interrupt for the caller to see. */
    static void sleepMillis(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** An fd operation for a lambda that may not throw checked exceptions. */
    interface IoAction {
        void run() throws IOException;
    }

    /** Runs an fd operation, rethrowing its IOException unchecked. */
    static void unchecked(IoAction action) {
        try {
            action.run();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /**
     * Opens a pipe whose read end has the number {@code number}, which must be free (the
     * fd-reuse rules close an fd behind the hub's back and need its number again).
     */
    int[] pipeWithReadEnd(int number) throws IOException {
        int[] fresh = pipe();
        if (fresh[0] != number) {
            if (fresh[1] == number) {
                throw new AssertionError("the reused number " + number + " went to a pipe's write end");
            }
            if (Native.libc().dup2(fresh[0], number) < 0) {
                throw Native.error("dup2(" + fresh[0] + ", " + number + ")");
            }
            track(number);
            closeNow(fresh[0]);
        }
        return new int[] {number, fresh[1]};
    }
}
