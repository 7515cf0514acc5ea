package dev.greenhub.tck;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import dev.greenhub.Green;
import dev.greenhub.GreenThread;
import dev.greenhub.GreenThreadException;
import dev.greenhub.Scheduler;
import dev.greenhub.internal.Deadlines;
import dev.greenhub.internal.FdWaits;
import java.io.IOException;
import java.nio.channels.AsynchronousCloseException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;

/**
 * What the scheduler-level rules of {@link HubTck} (R55 on) share: greenthread-core's
 * {@link Scheduler} runs on the hub under test, bound to the rule's thread with
 * {@link Scheduler#open(dev.greenhub.hub.HubProvider)} ({@link #run}), and the rules check what green
 * threads see of the hub. Their bodies are in one class per concern: {@link SchedulerTimerChecks}
 * (sleep and timer precision and order), {@link SchedulerFdChecks} (fd readiness resuming green
 * threads) and {@link SchedulerLoopChecks} (wakeups from other threads, many waiters, close, forgetFd).
 *
 * <p>Every wait is bounded: green threads are awaited with a timeout, fd waits have deadlines, and
 * time bounds are exact below ("never early") and generous above. Each rule closes its scheduler
 * on its own thread (the carrier) before it ends, so the fixture's leak check sees the hub's fds.
 */
abstract class SchedulerChecks {
    /** The slack allowed on top of every upper time bound: the machine may be slow and busy. */
    static final long MARGIN_NANOS = TimeUnit.SECONDS.toNanos(2);
    /** How long a rule waits for a green thread, or an fd wait that should end, at most. */
    static final Duration PATIENCE = Duration.ofSeconds(5);
    static final long PATIENCE_NANOS = PATIENCE.toNanos();

    final TckFixture fx;
    final HubCapabilities capabilities;
    /** What the scheduler reported through its exception reporter during the rule. */
    final List<String> reported = new CopyOnWriteArrayList<>();

    SchedulerChecks(TckFixture fx, HubCapabilities capabilities) {
        this.fx = fx;
        this.capabilities = capabilities;
    }

    /** A rule body that runs on the carrier of a scheduler open on the hub under test. */
    interface Body {
        void run(Scheduler scheduler) throws Exception;
    }

    /**
     * Opens a scheduler on the hub under test, bound to the calling thread, runs {@code body} on
     * it, and closes it. Fails if a timer, task or green thread reported an exception.
     */
    void run(Body body) throws Exception {
        Scheduler s = Scheduler.open(fx.provider());
        s.setExceptionReporter((what, error) -> reported.add(what + ": " + error));
        Throwable failure = null;
        try {
            assertThat(s.hubName()).as("hubName() of a scheduler opened with the provider")
                    .isEqualTo(fx.provider().name());
            body.run(s);
        } catch (Exception | Error e) {
            failure = e;
            throw e;
        } finally {
            try {
                s.close();
            } catch (RuntimeException | Error e) {
                if (failure == null) {
                    throw e;
                }
                failure.addSuppressed(e);
            }
            if (!reported.isEmpty()) {
                AssertionError error = new AssertionError("the scheduler on the " + fx.provider().name()
                        + " hub reported exceptions: " + reported);
                if (failure == null) {
                    throw error;
                }
                failure.addSuppressed(error);
            }
        }
    }

    // ---------------------------------------------------------------- helpers

    /** The value of a green thread, waiting at most {@link #PATIENCE}; its failure is rethrown. */
    static <T> T await(GreenThread<T> g) throws Exception {
        try {
            return g.get(PATIENCE);
        } catch (TimeoutException e) {
            throw new AssertionError(g + " did not end within " + PATIENCE, e);
        } catch (GreenThreadException e) {
            Throwable cause = e.getCause();
            if (cause instanceof AssertionError a) {
                throw a;
            }
            throw new AssertionError(g + " failed: " + (cause == null ? e : cause), cause == null ? e : cause);
        }
    }

    /**
     * What {@code trampoline(fd, interest)} with a {@link #PATIENCE} deadline ended with: the
     * readiness it returned, or the {@link AsynchronousCloseException} it threw (caught here, so
     * that the green thread ends normally and the scheduler does not report it).
     */
    static Object outcomeOfWait(Scheduler s, int fd, int interest) throws IOException {
        try {
            return FdWaits.trampoline(s, fd, interest, Deadlines.after(PATIENCE_NANOS));
        } catch (AsynchronousCloseException e) {
            return e;
        }
    }

    /** Runs the loop (in short sleeps) until {@code condition} holds, for at most {@link #PATIENCE}. */
    static void waitFor(Scheduler s, java.util.function.BooleanSupplier condition, String what) {
        long deadline = System.nanoTime() + PATIENCE_NANOS;
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() - deadline > 0) {
                fail("waited " + PATIENCE + " on scheduler " + s + " for: " + what);
            }
            Green.sleep(Duration.ofMillis(2));
        }
    }

    void checkSlept(String what, long elapsed, long asked) {
        long bound = asked + capabilities.timerResolution().toNanos() + MARGIN_NANOS;
        assertThat(elapsed).as("%s took %s: it must not return early", what, describe(elapsed))
                .isGreaterThanOrEqualTo(asked);
        assertThat(elapsed).as("%s took %s: more than %s", what, describe(elapsed), describe(bound))
                .isLessThan(bound);
    }

    static void writeAfter(int fd, long millis, AtomicLong writtenAt) {
        TckFixture.sleepMillis(millis);
        writtenAt.set(System.nanoTime());
        TckFixture.unchecked(() -> TckFixture.writeByte(fd));
    }

    static long ms(long millis) {
        return TimeUnit.MILLISECONDS.toNanos(millis);
    }

    static String describe(long nanos) {
        if (Math.abs(nanos) < 1_000_000) {
            return (nanos / 1_000) + " us";
        }
        return String.format("%.3f ms", nanos / 1e6);
    }

    static String describeAll(long[] nanos) {
        List<String> parts = new ArrayList<>();
        for (long n : nanos) {
            parts.add(describe(n));
        }
        return parts.toString();
    }
}
