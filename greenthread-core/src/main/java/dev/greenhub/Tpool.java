package dev.greenhub;

import java.util.Objects;
import java.util.concurrent.Callable;
import java.util.concurrent.CancellationException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Runs blocking or CPU-bound calls on a bounded pool of platform threads while the calling green
 * thread waits without blocking its hub (eventlet's {@code tpool.execute}).
 *
 * <p>Use it for what would stall the hub's carrier: native calls, blocking file or database
 * drivers, long computations. The pool has {@value #SIZE_PROPERTY} threads (default
 * {@value #DEFAULT_SIZE}), daemon platform threads named {@code greenhub-tpool-N}, started on first
 * use; calls beyond that wait in a queue. The result goes back to the waiting green thread through
 * its scheduler ({@link Scheduler#runOnCarrier}), so the green thread resumes on its own hub.
 *
 * <h2>Threading</h2>
 * All methods are thread-safe. {@link #execute} may be called from a green thread or a platform
 * thread (which runs its scheduler's loop while it waits); called from a pool thread itself, it
 * runs the call directly, so nested calls cannot deadlock the pool.
 */
public final class Tpool {
    /** System property: the number of pool threads (a positive integer). */
    public static final String SIZE_PROPERTY = "greenhub.tpool.size";
    /** The pool size when the property is absent: 20, as eventlet's. */
    public static final int DEFAULT_SIZE = 20;

    private static final ThreadLocal<Boolean> WORKER = new ThreadLocal<>();
    private static final AtomicInteger THREAD_NUMBER = new AtomicInteger();
    private static ThreadPoolExecutor pool; // guarded by Tpool.class

    private Tpool() {
    }

    /**
     * Runs {@code task} on a pool thread and waits for it, green.
     *
     * <p>If the waiting thread is killed or a {@link Timeout} expires meanwhile, the wait ends at
     * once with that exception and the task is cancelled: a task still queued never runs, a
     * running one is interrupted (it goes on if it ignores interrupts; its result is dropped).
     *
     * @param task the blocking or CPU-bound work
     * @param <T> its result type
     * @return the task's value
     * @throws Exception whatever the task throws, unchanged
     * @throws IllegalArgumentException if the {@value #SIZE_PROPERTY} property is not a positive
     *     integer
     */
    public static <T> T execute(Callable<T> task) throws Exception {
        Objects.requireNonNull(task, "task");
        if (WORKER.get() != null) {
            return task.call();
        }
        Waiter waiter = new Waiter();
        Job<T> job = new Job<>(task, waiter);
        ThreadPoolExecutor p = submit(job);
        try {
            waiter.await(); // completed by the job's end
        } catch (Throwable e) {
            job.cancel();
            p.remove(job);
            throw e;
        }
        if (job.error != null) {
            throw Sneaky.rethrow(job.error);
        }
        return job.value;
    }

    /**
     * The number of pool threads: the running pool's, or the one the next start will use.
     *
     * @return the size
     * @throws IllegalArgumentException if the {@value #SIZE_PROPERTY} property is invalid
     */
    public static synchronized int size() {
        return pool != null ? pool.getMaximumPoolSize() : configuredSize();
    }

    /**
     * Stops the pool: queued calls never run (their callers get a
     * {@link CancellationException}), running ones are interrupted, and the
     * threads end. A later {@link #execute} starts a new pool (reading {@value #SIZE_PROPERTY}
     * again). Does not wait for the threads to end.
     */
    public static void shutdown() {
        ThreadPoolExecutor p;
        synchronized (Tpool.class) {
            p = pool;
            pool = null;
        }
        if (p != null) {
            for (Runnable queued : p.shutdownNow()) {
                if (queued instanceof Job<?> job) {
                    job.fail(new CancellationException("the tpool was shut down before " + job + " ran"));
                }
            }
        }
    }

    private static ThreadPoolExecutor submit(Job<?> job) {
        while (true) {
            ThreadPoolExecutor p = pool();
            try {
                p.execute(job);
                return p;
            } catch (RejectedExecutionException e) {
                if (!p.isShutdown()) {
                    throw e;
                }
                // shut down meanwhile: start a new pool
            }
        }
    }

    private static synchronized ThreadPoolExecutor pool() {
        if (pool == null) {
            int size = configuredSize();
            ThreadFactory threads = r -> {
                Thread t = Thread.ofPlatform().daemon().name("greenhub-tpool-" + THREAD_NUMBER.incrementAndGet())
                        .unstarted(() -> {
                            WORKER.set(Boolean.TRUE);
                            r.run();
                        });
                return t;
            };
            ThreadPoolExecutor p = new ThreadPoolExecutor(size, size, 60, TimeUnit.SECONDS,
                    new LinkedBlockingQueue<>(), threads);
            p.allowCoreThreadTimeOut(true);
            pool = p;
        }
        return pool;
    }

    private static int configuredSize() {
        String value = System.getProperty(SIZE_PROPERTY);
        if (value == null || value.isBlank()) {
            return DEFAULT_SIZE;
        }
        try {
            int size = Integer.parseInt(value.trim());
            if (size > 0) {
                return size;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new IllegalArgumentException("system property " + SIZE_PROPERTY
                + " must be a positive integer (the number of tpool threads), not '" + value + "'");
    }

    /** One call: run on a pool thread, its outcome handed back by unparking the waiter. */
    private static final class Job<T> implements Runnable {
        private final Callable<T> task;
        private final Waiter waiter;
        volatile boolean done;
        T value;
        Throwable error;
        private boolean cancelled; // guarded by this
        private Thread runner; // guarded by this

        Job(Callable<T> task, Waiter waiter) {
            this.task = task;
            this.waiter = waiter;
        }

        @Override
        public void run() {
            synchronized (this) {
                if (cancelled || done) {
                    return;
                }
                runner = Thread.currentThread();
            }
            try {
                value = task.call();
            } catch (Throwable e) {
                error = e;
            } finally {
                synchronized (this) {
                    runner = null;
                    Thread.interrupted(); // a cancel's interrupt must not reach the next call
                }
                done = true;
                waiter.complete();
            }
        }

        /** The waiter gave up: a queued call never runs, a running one is interrupted. */
        synchronized void cancel() {
            cancelled = true;
            if (runner != null) {
                runner.interrupt();
            }
        }

        /** Ends a call that will never run. */
        void fail(Throwable reason) {
            synchronized (this) {
                if (runner != null || done) {
                    return;
                }
                cancelled = true;
            }
            error = reason;
            done = true;
            waiter.complete();
        }

        @Override
        public String toString() {
            return "tpool call " + task + " for " + waiter.thread();
        }
    }
}
