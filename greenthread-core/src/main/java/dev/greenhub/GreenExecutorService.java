package dev.greenhub;

import dev.greenhub.hub.HubProvider;
import dev.greenhub.hub.Hubs;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.AbstractExecutorService;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

/**
 * An {@link java.util.concurrent.ExecutorService} that runs each task in a green thread of its
 * own, all on one hub that runs on a platform thread the executor owns: the green counterpart of
 * {@link java.util.concurrent.Executors#newVirtualThreadPerTaskExecutor()}.
 *
 * <p>This is the executor to hand to code that takes an {@link java.util.concurrent.Executor}, for
 * example {@code com.sun.net.httpserver.HttpServer.setExecutor}: a task that sleeps or waits for
 * I/O parks only its own green thread, so the hub serves the other tasks meanwhile. (A
 * {@link Scheduler} itself runs a task on its carrier, between green threads; a task that blocks
 * there stalls the whole hub.)
 *
 * <h2>Threading</h2>
 * Every method is thread-safe and may be called from any thread, greenhub's or not. Tasks run
 * one at a time on the executor's hub thread, in green threads started in submission order;
 * between their blocking points they run without interleaving, as green threads of one hub do.
 *
 * <h2>Lifecycle</h2>
 * {@link #shutdown()} refuses new tasks and lets the submitted ones finish; the hub thread then
 * closes its scheduler (releasing the hub's fds) and ends. {@link #shutdownNow()} also kills the
 * running green threads ({@link GreenletExit} at their blocking point) and returns the tasks that
 * had not started. The hub thread is not a daemon, like the threads of the JDK's executors: shut
 * the executor down (or use try-with-resources, {@link #close()}) or the JVM does not exit.
 *
 * <h2>Errors</h2>
 * An exception that ends a task given to {@link #execute} is reported to the scheduler's
 * exception reporter (a {@link System.Logger} by default); one from a task given to
 * {@code submit} is kept in its {@link java.util.concurrent.Future}. Submitting after shutdown
 * throws {@link RejectedExecutionException}.
 */
public final class GreenExecutorService extends AbstractExecutorService {
    private static final AtomicInteger IDS = new AtomicInteger();

    private final Scheduler scheduler;
    private final Thread hubThread;
    private final Object lock = new Object();
    private boolean shutdown; // guarded by lock
    private volatile boolean shuttingDown;
    private final ConcurrentLinkedQueue<Runnable> queued = new ConcurrentLinkedQueue<>();
    private final AtomicBoolean drainScheduled = new AtomicBoolean();
    private final CountDownLatch terminated = new CountDownLatch(1);
    private final Event<Void> finished = new Event<>();

    // Confined to the hub thread and its green threads.
    private final Set<GreenThread<?>> running = new LinkedHashSet<>();
    private volatile boolean finishSent;
    private volatile boolean killRequested;

    private GreenExecutorService(String threadName, Supplier<Scheduler> opener) {
        CompletableFuture<Scheduler> opened = new CompletableFuture<>();
        hubThread = Thread.ofPlatform().name(threadName).unstarted(() -> run(opener, opened));
        hubThread.start();
        try {
            scheduler = opened.get();
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof RuntimeException r) {
                throw r;
            }
            throw new IllegalStateException("could not open the executor's hub: " + cause, cause);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            hubThread.interrupt();
            throw new IllegalStateException("interrupted while the executor's hub thread started", e);
        }
    }

    /**
     * An executor on the hub {@link Hubs#select()} picks (the {@code greenhub.hub} property, or
     * the available hub with the highest priority).
     *
     * @return a running executor
     * @throws dev.greenhub.hub.HubUnavailableException if no hub can be opened
     */
    public static GreenExecutorService open() {
        return new GreenExecutorService(nextName(), () -> Scheduler.open(Hubs.select().provider()));
    }

    /**
     * An executor on the named hub ("epoll", "poll", "select" or a custom provider's name).
     *
     * @param hubName the provider's name
     * @return a running executor
     * @throws dev.greenhub.hub.HubUnavailableException if that hub is missing or unavailable
     */
    public static GreenExecutorService open(String hubName) {
        Objects.requireNonNull(hubName, "hubName");
        return new GreenExecutorService(nextName(), () -> Scheduler.open(hubName));
    }

    /**
     * An executor on a hub from the given provider.
     *
     * @param provider the hub provider
     * @return a running executor
     * @throws dev.greenhub.hub.HubUnavailableException if the provider cannot open a hub
     */
    public static GreenExecutorService open(HubProvider provider) {
        Objects.requireNonNull(provider, "provider");
        return new GreenExecutorService(nextName(), () -> Scheduler.open(provider));
    }

    private static String nextName() {
        return "greenhub-executor-" + IDS.incrementAndGet();
    }

    private void run(Supplier<Scheduler> opener, CompletableFuture<Scheduler> opened) {
        try (Scheduler s = opener.get()) {
            opened.complete(s);
            finished.await();
        } catch (Throwable e) {
            if (!opened.completeExceptionally(e)) {
                throw e;
            }
        } finally {
            terminated.countDown();
        }
    }

    /**
     * The scheduler the tasks run on, for {@link Diagnostics} and for handing it work.
     *
     * @return the executor's scheduler
     */
    public Scheduler scheduler() {
        return scheduler;
    }

    /**
     * Starts {@code task} in a green thread of its own at the hub's next turn.
     *
     * @param task the work
     * @throws RejectedExecutionException if the executor is shut down
     */
    @Override
    public void execute(Runnable task) {
        Objects.requireNonNull(task, "task");
        synchronized (lock) {
            if (shutdown) {
                throw new RejectedExecutionException(this + " is shut down and takes no new tasks;"
                        + " submit before shutdown(), or open a new executor");
            }
            queued.add(task);
        }
        if (drainScheduled.compareAndSet(false, true)) {
            scheduler.runOnCarrier(this::drain);
        }
    }

    /** On the hub thread: starts a green thread for every queued task. */
    private void drain() {
        drainScheduled.set(false);
        for (Runnable task; (task = queued.poll()) != null; ) {
            start(task);
        }
        if (killRequested && !running.isEmpty()) {
            List<GreenThread<?>> victims = List.copyOf(running);
            scheduler.spawnN(() -> victims.forEach(GreenThread::kill));
        }
        finishIfDone();
    }

    private void start(Runnable task) {
        GreenThread<?> thread = scheduler.spawn(() -> {
            try {
                task.run();
            } catch (GreenletExit killed) {
                // shutdownNow(): the task was told to stop
            } catch (Throwable e) {
                scheduler.report("task " + task + " of " + this + " failed", e);
            }
            return null;
        });
        running.add(thread);
        thread.link(ended -> {
            running.remove(ended);
            finishIfDone();
        });
    }

    private void finishIfDone() {
        if (shuttingDown && !finishSent && running.isEmpty() && queued.isEmpty()) {
            finishSent = true;
            finished.send(null);
        }
    }

    /** Refuses new tasks; those already submitted run to their end, then the hub thread ends. */
    @Override
    public void shutdown() {
        requestShutdown(false);
    }

    /**
     * Refuses new tasks, kills the running green threads and returns the tasks that had not
     * started.
     *
     * @return the submitted tasks that never started, in submission order
     */
    @Override
    public List<Runnable> shutdownNow() {
        List<Runnable> notStarted = new ArrayList<>();
        synchronized (lock) {
            for (Runnable task; (task = queued.poll()) != null; ) {
                notStarted.add(task);
            }
        }
        requestShutdown(true);
        return notStarted;
    }

    private void requestShutdown(boolean kill) {
        synchronized (lock) {
            if (shutdown && !kill) {
                return;
            }
            shutdown = true;
            shuttingDown = true;
            killRequested |= kill;
        }
        if (!finishSent) {
            scheduler.runOnCarrier(this::drain);
        }
    }

    @Override
    public boolean isShutdown() {
        return shuttingDown;
    }

    @Override
    public boolean isTerminated() {
        return terminated.getCount() == 0 && !hubThread.isAlive();
    }

    /**
     * Waits until the hub thread has ended after a shutdown.
     *
     * @param timeout how long at most
     * @param unit the unit of {@code timeout}
     * @return true if terminated, false if the timeout passed first
     * @throws InterruptedException if the waiting thread is interrupted
     */
    @Override
    public boolean awaitTermination(long timeout, TimeUnit unit) throws InterruptedException {
        return awaitEnd(unit.toNanos(timeout));
    }

    /**
     * Waits until the hub thread has ended after a shutdown.
     *
     * @param timeout how long at most
     * @return true if terminated, false if the timeout passed first
     * @throws InterruptedException if the waiting thread is interrupted
     */
    public boolean awaitTermination(Duration timeout) throws InterruptedException {
        Objects.requireNonNull(timeout, "timeout");
        return awaitEnd(timeout.isNegative() ? 0 : Scheduler.delayNanos(timeout, "timeout"));
    }

    /** The latch says the hub is closed; the join that the thread itself is gone, as promised. */
    private boolean awaitEnd(long nanos) throws InterruptedException {
        long start = System.nanoTime();
        if (!terminated.await(nanos, TimeUnit.NANOSECONDS)) {
            return false;
        }
        long left = Math.max(0, nanos - (System.nanoTime() - start));
        return hubThread.join(Duration.ofNanos(Math.max(1, left)));
    }

    @Override
    public String toString() {
        return "GreenExecutorService[" + hubThread.getName() + ", hub " + scheduler.hubName()
                + (shuttingDown ? (isTerminated() ? ", terminated" : ", shutting down") : "") + "]";
    }
}
