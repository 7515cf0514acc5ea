package dev.greenhub.bench.jmh;

import dev.greenhub.Fiber;
import dev.greenhub.Green;
import dev.greenhub.GreenThread;
import dev.greenhub.Scheduler;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The scheduler's costs on each hub, in nanoseconds per operation: a green switch (park and unpark
 * through the hub loop), {@code sleep(0)} in a green thread, and a timer scheduled and cancelled.
 * The JMH thread is the scheduler's carrier.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 3, time = 1)
@Fork(1)
public class SchedulerBenchmarks {
    static final int ROUNDS = 10_000;
    static final int TIMERS = 1_000;
    private static final Runnable NOTHING = () -> { };

    @Param({"epoll", "poll", "select"})
    public String hub;

    private Scheduler scheduler;

    @Setup(Level.Trial)
    public void open() {
        scheduler = Scheduler.open(hub);
    }

    @TearDown(Level.Trial)
    public void close() {
        scheduler.close();
    }

    /** Two green threads hand a turn to each other with Fiber park/unpark: one op = one switch. */
    @Benchmark
    @OperationsPerInvocation(2 * ROUNDS)
    public int greenSwitch() {
        int[] turn = {0};
        Fiber[] fibers = new Fiber[2];
        GreenThread<Integer> a = Green.spawn(side(0, turn, fibers));
        GreenThread<Integer> b = Green.spawn(side(1, turn, fibers));
        return a.get() + b.get();
    }

    private static Callable<Integer> side(int me, int[] turn, Fiber[] fibers) {
        return () -> {
            Fiber self = Fiber.current();
            fibers[me] = self;
            for (int i = 0; i < ROUNDS; i++) {
                while (turn[0] != me) {
                    self.park();
                }
                turn[0] = 1 - me;
                Fiber other = fibers[1 - me];
                if (other != null) {
                    other.unpark();
                }
            }
            return ROUNDS;
        };
    }

    /** One green thread yields with sleep(0): one op = one yield (a turn of the loop). */
    @Benchmark
    @OperationsPerInvocation(ROUNDS)
    public int sleepZero() {
        return Green.spawn(() -> {
            for (int i = 0; i < ROUNDS; i++) {
                Green.sleep(Duration.ZERO);
            }
            return ROUNDS;
        }).get();
    }

    /** A timer scheduled one second out and cancelled at once; a loop turn every 1,000 lets the heap settle. */
    @Benchmark
    @OperationsPerInvocation(TIMERS)
    public int timerScheduleCancel() {
        int cancelled = 0;
        for (int i = 0; i < TIMERS; i++) {
            if (scheduler.callLater(Duration.ofSeconds(1), NOTHING).cancel()) {
                cancelled++;
            }
        }
        Green.sleep(Duration.ZERO);
        return cancelled;
    }
}
