package dev.greenhub.bench;

import dev.greenhub.Event;
import dev.greenhub.Green;
import dev.greenhub.GreenThread;
import dev.greenhub.Scheduler;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicReference;
import org.HdrHistogram.Histogram;

/**
 * W1-W5: the workloads that need only the core. Each runs on a new platform thread that becomes
 * the carrier of a scheduler opened with the named hub, and closes it afterwards.
 */
public final class CoreWorkloads {
    private CoreWorkloads() {
    }

    /**
     * Runs one of W1-W5 on the named hub in this process.
     *
     * @param workload W1 to W5
     * @param hub the hub provider's name
     * @param sizes the sizes
     * @return the result, system {@code greenhub-<hub>}
     * @throws IllegalArgumentException for W6/W7/W8
     * @throws IllegalStateException if a check of the workload's outcome fails (a wrong sum, a
     *     green thread that woke early)
     */
    public static Result run(Workload workload, String hub, Sizes sizes) {
        Callable<Metrics> body = switch (workload) {
            case W1 -> () -> yields(sizes.yields());
            case W2 -> () -> PingPong.run(sizes.roundTrips());
            case W3 -> () -> spawnJoin(sizes.spawns());
            case W4 -> () -> park(sizes.parked());
            case W5 -> () -> timers(sizes.timers(), sizes.timerSpanMillis(), sizes.seed());
            case W6, W7, W8 -> throw new IllegalArgumentException(workload + " needs a server and a load-generator process; use Suite");
        };
        return new Result("greenhub-" + hub, workload.name(), onNewCarrier(hub, body).map());
    }

    private static <T> T onNewCarrier(String hub, Callable<T> body) {
        AtomicReference<T> result = new AtomicReference<>();
        AtomicReference<Throwable> failure = new AtomicReference<>();
        Thread carrier = Thread.ofPlatform().name("bench-carrier-" + hub).unstarted(() -> {
            try {
                Scheduler scheduler = Scheduler.open(hub);
                try {
                    result.set(body.call());
                } finally {
                    scheduler.close();
                }
            } catch (Throwable t) {
                failure.set(t);
            }
        });
        carrier.start();
        try {
            carrier.join();
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

    // W1
    static Metrics yields(int perThread) {
        yieldRound(Math.max(1, perThread / 10));
        long t0 = System.nanoTime();
        yieldRound(perThread);
        long elapsed = System.nanoTime() - t0;
        return new Metrics().rate("yields_per_s", Metrics.perSecond(2L * perThread, elapsed))
                .count("yields", 2L * perThread).decimal("seconds", elapsed / 1e9);
    }

    private static void yieldRound(int perThread) {
        Callable<Integer> body = () -> {
            for (int i = 0; i < perThread; i++) {
                Green.sleep(Duration.ZERO);
            }
            return perThread;
        };
        GreenThread<Integer> a = Green.spawn(body);
        GreenThread<Integer> b = Green.spawn(body);
        if (a.get() + b.get() != 2 * perThread) {
            throw new IllegalStateException("W1: a green thread did not finish its yields");
        }
    }

    // W3
    static Metrics spawnJoin(int count) {
        spawnRound(Math.max(1, count / 10));
        long t0 = System.nanoTime();
        spawnRound(count);
        long elapsed = System.nanoTime() - t0;
        return new Metrics().rate("spawned_joined_per_s", Metrics.perSecond(count, elapsed))
                .decimal("peak_rss_mib", Rss.peak() / 1048576.0).count("threads", count)
                .decimal("seconds", elapsed / 1e9);
    }

    private static void spawnRound(int count) {
        List<GreenThread<Integer>> threads = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            int index = i;
            threads.add(Green.spawn(() -> index));
        }
        long sum = 0;
        for (GreenThread<Integer> t : threads) {
            sum += t.get();
        }
        long expected = (long) count * (count - 1) / 2;
        if (sum != expected) {
            throw new IllegalStateException("W3: the sum of the joined results is " + sum + ", expected " + expected);
        }
    }

    // W4
    static Metrics park(int count) {
        parkRound(Math.max(1, count / 10), null); // warm-up, as W1 and W3 have: see bench/README.md
        return parkRound(count, ManagementFactory.getMemoryMXBean());
    }

    private static Metrics parkRound(int count, MemoryMXBean memory) {
        Event<Boolean> event = new Event<>();
        System.gc();
        long rssBefore = Rss.current();
        long heapBefore = memory == null ? 0 : memory.getHeapMemoryUsage().getUsed();
        List<GreenThread<Boolean>> threads = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            threads.add(Green.spawn(event::await));
        }
        while (event.waiting() < count) {
            Green.sleep(Duration.ZERO);
        }
        System.gc();
        long rssParked = Rss.current();
        long heapParked = memory == null ? 0 : memory.getHeapMemoryUsage().getUsed();
        long t0 = System.nanoTime();
        event.send(Boolean.TRUE);
        int woken = 0;
        for (GreenThread<Boolean> t : threads) {
            if (t.get()) {
                woken++;
            }
        }
        long elapsed = System.nanoTime() - t0;
        if (woken != count) {
            throw new IllegalStateException("W4: " + woken + " of " + count + " waiters got the event's value");
        }
        return new Metrics()
                .count("bytes_per_parked_rss", Math.max(0, rssParked - rssBefore) / count)
                .count("bytes_per_parked_heap", Math.max(0, heapParked - heapBefore) / count)
                .rate("wake_joined_per_s", Metrics.perSecond(count, elapsed)).count("threads", count);
    }

    // W5
    static Metrics timers(int count, int spanMillis, long seed) {
        Random random = new Random(seed);
        Histogram lateness = new Histogram(60_000_000_000L, 3);
        long t0 = System.nanoTime();
        List<GreenThread<Long>> threads = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            long delay = (long) (random.nextDouble() * spanMillis * 1_000_000L);
            threads.add(Green.spawn(() -> {
                long start = System.nanoTime();
                Green.sleep(Duration.ofNanos(delay));
                long late = System.nanoTime() - start - delay;
                lateness.recordValue(Math.max(0, Math.min(late, lateness.getHighestTrackableValue())));
                return late;
            }));
        }
        long early = 0;
        for (GreenThread<Long> t : threads) {
            if (t.get() < 0) {
                early++;
            }
        }
        long elapsed = System.nanoTime() - t0;
        if (early > 0) {
            throw new IllegalStateException("W5: " + early + " green threads woke before their sleep ended");
        }
        return new Metrics().decimal("total_s", elapsed / 1e9)
                .decimal("lateness_p50_ms", lateness.getValueAtPercentile(50) / 1e6)
                .decimal("lateness_p99_ms", lateness.getValueAtPercentile(99) / 1e6)
                .decimal("lateness_max_ms", lateness.getMaxValue() / 1e6)
                .count("threads", count);
    }
}
