package dev.greenhub.bench.jmh;

import dev.greenhub.hub.Hub;
import dev.greenhub.hub.Hubs;
import java.io.IOException;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * A wakeup from a foreign thread: the JMH thread asks a spinning platform thread to call
 * {@code Hub.wakeup()} and blocks in {@code Hub.poll} until it returns. One op = request, wakeup,
 * return. (The helper spins, so this needs a second free core to mean anything.)
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 3, time = 1)
@Fork(1)
public class WakeupBenchmark {
    private static final long POLL_LIMIT_NANOS = TimeUnit.SECONDS.toNanos(5);

    @Param({"epoll", "poll", "select"})
    public String hub;

    private Hub instance;
    private Thread waker;
    private volatile long requested;
    private volatile long served;
    private volatile boolean stop;

    @Setup(Level.Trial)
    public void open() throws IOException {
        instance = Hubs.select(hub).provider().open();
        waker = Thread.ofPlatform().daemon().name("wakeup-benchmark-waker").start(() -> {
            while (!stop) {
                long r = requested;
                if (r != served) {
                    served = r;
                    instance.wakeup();
                } else {
                    Thread.onSpinWait();
                }
            }
        });
    }

    @TearDown(Level.Trial)
    public void close() throws InterruptedException {
        stop = true;
        waker.join();
        instance.close();
    }

    @Benchmark
    public int wakeupFromForeignThread() throws IOException {
        requested = requested + 1;
        int n = instance.poll(POLL_LIMIT_NANOS, (fd, ops) -> { });
        if (served != requested) {
            throw new IllegalStateException(hub + ": poll returned before the foreign wakeup");
        }
        return n;
    }
}
