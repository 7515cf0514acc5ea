package dev.greenhub.bench;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.HdrHistogram.Histogram;

/**
 * The JDK reference of W1-W5: the same workloads as {@link CoreWorkloads}, written with plain JDK
 * virtual threads on the JDK's own scheduler. The suite runs them in a JVM of their own with
 * {@code -Djdk.virtualThreadScheduler.parallelism=1} (see {@link #JVM_FLAGS}), so that one carrier
 * runs every virtual thread, as one hub thread runs every green thread. The workload's main body
 * runs in a virtual thread too, as greenhub's runs on its scheduler's thread.
 *
 * <p>Each workload keeps greenhub's shape: W1 {@code Thread.yield()} for {@code sleep(0)}; W2 two
 * {@link ArrayBlockingQueue}s of capacity 1 for the two {@code GreenQueue}s; W3 a virtual thread
 * per index, joined with {@link Thread#join()}; W4 {@link CountDownLatch#await()} for
 * {@code Event.await()}; W5 {@link Thread#sleep(Duration)}.
 */
public final class JdkWorkloads {
    /** What the JDK reference's results are called. */
    public static final String SYSTEM = "jdk-vt";
    /** The JVM flags of the reference's child JVM: one carrier thread. */
    public static final List<String> JVM_FLAGS = List.of("-Djdk.virtualThreadScheduler.parallelism=1");

    private JdkWorkloads() {
    }

    /**
     * Runs one of W1-W5 on JDK virtual threads in this process.
     *
     * @param workload W1 to W5
     * @param sizes the sizes
     * @return the result, system {@link #SYSTEM}
     * @throws IllegalArgumentException for W6/W7/W8
     * @throws IllegalStateException if a check of the workload's outcome fails
     */
    public static Result run(Workload workload, Sizes sizes) {
        Callable<Metrics> body = switch (workload) {
            case W1 -> () -> yields(sizes.yields());
            case W2 -> () -> pingPong(sizes.roundTrips());
            case W3 -> () -> spawnJoin(sizes.spawns());
            case W4 -> () -> park(sizes.parked());
            case W5 -> () -> timers(sizes.timers(), sizes.timerSpanMillis(), sizes.seed());
            case W6, W7, W8 -> throw new IllegalArgumentException(workload + " has server references of its own (Suite)");
        };
        Metrics m = inVirtualThread(body);
        m.text("parallelism", System.getProperty("jdk.virtualThreadScheduler.parallelism", "default"));
        return new Result(SYSTEM, workload.name(), m.map());
    }

    private static <T> T inVirtualThread(Callable<T> body) {
        AtomicReference<T> result = new AtomicReference<>();
        AtomicReference<Throwable> failure = new AtomicReference<>();
        Thread main = Thread.ofVirtual().name("bench-main").start(() -> {
            try {
                result.set(body.call());
            } catch (Throwable t) {
                failure.set(t);
            }
        });
        try {
            main.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while the workload ran", e);
        }
        Throwable t = failure.get();
        if (t instanceof RuntimeException r) {
            throw r;
        }
        if (t instanceof Error e) {
            throw e;
        }
        if (t != null) {
            throw new IllegalStateException(t);
        }
        return result.get();
    }

    private static void joinAll(List<Thread> threads) throws InterruptedException {
        for (Thread t : threads) {
            t.join();
        }
    }

    // W1
    static Metrics yields(int perThread) throws InterruptedException {
        yieldRound(Math.max(1, perThread / 10));
        long t0 = System.nanoTime();
        yieldRound(perThread);
        long elapsed = System.nanoTime() - t0;
        return new Metrics().rate("yields_per_s", Metrics.perSecond(2L * perThread, elapsed))
                .count("yields", 2L * perThread).decimal("seconds", elapsed / 1e9);
    }

    private static void yieldRound(int perThread) throws InterruptedException {
        AtomicInteger done = new AtomicInteger();
        Runnable body = () -> {
            int i = 0;
            for (; i < perThread; i++) {
                Thread.yield();
            }
            done.addAndGet(i);
        };
        joinAll(List.of(Thread.ofVirtual().start(body), Thread.ofVirtual().start(body)));
        if (done.get() != 2 * perThread) {
            throw new IllegalStateException("W1: a virtual thread did not finish its yields");
        }
    }

    // W2
    static Metrics pingPong(int roundTrips) throws InterruptedException {
        pingPongRound(Math.max(1, roundTrips / 10));
        long t0 = System.nanoTime();
        pingPongRound(roundTrips);
        long elapsed = System.nanoTime() - t0;
        return new Metrics().rate("round_trips_per_s", Metrics.perSecond(roundTrips, elapsed))
                .count("round_trips", roundTrips).decimal("seconds", elapsed / 1e9);
    }

    private static void pingPongRound(int roundTrips) throws InterruptedException {
        BlockingQueue<Integer> ping = new ArrayBlockingQueue<>(1);
        BlockingQueue<Integer> pong = new ArrayBlockingQueue<>(1);
        AtomicInteger result = new AtomicInteger(-1);
        Thread server = Thread.ofVirtual().start(() -> {
            try {
                for (int i = 0; i < roundTrips; i++) {
                    pong.put(ping.take() + 1);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        Thread client = Thread.ofVirtual().start(() -> {
            int token = 0;
            try {
                for (int i = 0; i < roundTrips; i++) {
                    ping.put(token);
                    token = pong.take();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            result.set(token);
        });
        joinAll(List.of(client, server));
        if (result.get() != roundTrips) {
            throw new IllegalStateException("W2: the token came back as " + result.get() + " after " + roundTrips
                    + " round trips, expected " + roundTrips);
        }
    }

    // W3
    static Metrics spawnJoin(int count) throws InterruptedException {
        spawnRound(Math.max(1, count / 10));
        long t0 = System.nanoTime();
        spawnRound(count);
        long elapsed = System.nanoTime() - t0;
        return new Metrics().rate("spawned_joined_per_s", Metrics.perSecond(count, elapsed))
                .decimal("peak_rss_mib", Rss.peak() / 1048576.0).count("threads", count)
                .decimal("seconds", elapsed / 1e9);
    }

    private static void spawnRound(int count) throws InterruptedException {
        int[] results = new int[count];
        List<Thread> threads = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            int index = i;
            threads.add(Thread.ofVirtual().start(() -> results[index] = index));
        }
        long sum = 0;
        for (int i = 0; i < count; i++) {
            threads.get(i).join();
            sum += results[i];
        }
        long expected = (long) count * (count - 1) / 2;
        if (sum != expected) {
            throw new IllegalStateException("W3: the sum of the joined results is " + sum + ", expected " + expected);
        }
    }

    // W4
    static Metrics park(int count) throws InterruptedException {
        parkRound(Math.max(1, count / 10), null); // warm-up, as W1 and W3 have: see bench/README.md
        return parkRound(count, ManagementFactory.getMemoryMXBean());
    }

    private static Metrics parkRound(int count, MemoryMXBean memory) throws InterruptedException {
        CountDownLatch event = new CountDownLatch(1);
        AtomicInteger woken = new AtomicInteger();
        System.gc();
        long rssBefore = Rss.current();
        long heapBefore = memory == null ? 0 : memory.getHeapMemoryUsage().getUsed();
        List<Thread> threads = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            threads.add(Thread.ofVirtual().start(() -> {
                try {
                    event.await();
                    woken.incrementAndGet();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }));
        }
        for (Thread t : threads) {
            while (t.getState() != Thread.State.WAITING) {
                Thread.yield();
            }
        }
        System.gc();
        long rssParked = Rss.current();
        long heapParked = memory == null ? 0 : memory.getHeapMemoryUsage().getUsed();
        long t0 = System.nanoTime();
        event.countDown();
        joinAll(threads);
        long elapsed = System.nanoTime() - t0;
        if (woken.get() != count) {
            throw new IllegalStateException("W4: " + woken.get() + " of " + count + " waiters woke");
        }
        return new Metrics()
                .count("bytes_per_parked_rss", Math.max(0, rssParked - rssBefore) / count)
                .count("bytes_per_parked_heap", Math.max(0, heapParked - heapBefore) / count)
                .rate("wake_joined_per_s", Metrics.perSecond(count, elapsed)).count("threads", count);
    }

    // W5
    static Metrics timers(int count, int spanMillis, long seed) throws InterruptedException {
        Random random = new Random(seed);
        long[] late = new long[count];
        long t0 = System.nanoTime();
        List<Thread> threads = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            long delay = (long) (random.nextDouble() * spanMillis * 1_000_000L);
            int index = i;
            threads.add(Thread.ofVirtual().start(() -> {
                long start = System.nanoTime();
                try {
                    Thread.sleep(Duration.ofNanos(delay));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                late[index] = System.nanoTime() - start - delay;
            }));
        }
        joinAll(threads);
        long elapsed = System.nanoTime() - t0;
        Histogram lateness = new Histogram(60_000_000_000L, 3);
        long early = 0;
        for (long l : late) {
            if (l < 0) {
                early++;
            }
            lateness.recordValue(Math.max(0, Math.min(l, lateness.getHighestTrackableValue())));
        }
        if (early > 0) {
            throw new IllegalStateException("W5: " + early + " virtual threads woke before their sleep ended");
        }
        return new Metrics().decimal("total_s", elapsed / 1e9)
                .decimal("lateness_p50_ms", lateness.getValueAtPercentile(50) / 1e6)
                .decimal("lateness_p99_ms", lateness.getValueAtPercentile(99) / 1e6)
                .decimal("lateness_max_ms", lateness.getMaxValue() / 1e6)
                .count("threads", count);
    }
}
