package dev.greenhub.bench.jmh;

import dev.greenhub.hub.Hub;
import dev.greenhub.hub.Hubs;
import dev.greenhub.hub.Readiness;
import dev.greenhub.hub.ReadyHandler;
import dev.greenhub.nativeio.Fds;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
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
 * {@code Hub.poll(0)} on each hub with 0 and 1,000 registered idle fds (both ends of pipes nobody
 * writes, watched for READ): the per-turn cost of select/poll/epoll. The select hub cannot watch fds
 * at or above its FD_SETSIZE; when the process's own fds leave too little room, it registers as
 * many as fit and says so on standard error.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 3, time = 1)
@Fork(1)
public class HubPollBenchmarks {
    @Param({"epoll", "poll", "select"})
    public String hub;

    @Param({"0", "1000"})
    public int idleFds;

    private Hub instance;
    private final List<Integer> fds = new ArrayList<>();
    private int reported;
    private final ReadyHandler handler = (fd, ops) -> reported++;

    @Setup(Level.Trial)
    public void open() throws IOException {
        instance = Hubs.select(hub).provider().open();
        int limit = instance.fdLimit();
        while (fds.size() < idleFds) {
            int[] pipe = Fds.pipe();
            for (int fd : pipe) {
                if (fd >= limit - 1 || fds.size() >= idleFds) {
                    Fds.closeQuietly(fd);
                    continue;
                }
                fds.add(fd);
                instance.register(fd, Readiness.READ);
            }
            if (pipe[0] >= limit - 1 || pipe[1] >= limit - 1) {
                System.err.println(hub + ": only " + fds.size() + " idle fds fit below the hub's fd limit " + limit);
                break;
            }
        }
    }

    @TearDown(Level.Trial)
    public void close() {
        instance.close();
        fds.forEach(Fds::closeQuietly);
        if (reported != 0) {
            throw new IllegalStateException(hub + " reported " + reported + " fds ready that nobody wrote to");
        }
    }

    @Benchmark
    public int poll() throws IOException {
        return instance.poll(0, handler);
    }
}
