package dev.greenhub.tck;

import static dev.greenhub.hub.Readiness.READ;
import static dev.greenhub.hub.Readiness.WRITE;
import static org.assertj.core.api.Assertions.fail;

import dev.greenhub.hub.Hub;
import dev.greenhub.hub.HubProvider;
import dev.greenhub.hub.Readiness;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The base of every section of the kit: the provider under test, its capabilities, the rule's
 * fixture (opened before and closed after each rule) and the checks the rules share. The JUnit
 * set-up (one instance, rules in id order, skipped optional rules, failure hints, a time limit per
 * rule) is declared here and inherited by {@code HubTck}.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.DisplayName.class)
@DisplayNameGeneration(RuleNames.class)
@ExtendWith({FeatureCondition.class, RuleFailureHint.class})
@Timeout(value = 30, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
abstract class RuleSupport {
    /** How long a poll that expects nothing waits. */
    static final long QUIET_NANOS = ms(100);
    /** The timeout of a poll that expects an event (it returns as soon as the event is there). */
    static final long EVENT_NANOS = ms(3_000);
    /** The slack allowed on top of every upper time bound: the machine may be slow and busy. */
    static final long MARGIN_NANOS = ms(2_000);
    /** When the watchdog ends a poll that should have returned by itself. */
    static final Duration RESCUE_AFTER = Duration.ofSeconds(3);

    TckFixture fx;
    private HubCapabilities capabilities;

    /**
     * The provider whose hubs the rules test.
     *
     * @return the provider
     */
    protected abstract HubProvider provider();

    /**
     * What the rules may expect of the provider's hubs.
     *
     * @return the capabilities
     */
    protected HubCapabilities capabilities() {
        return HubCapabilities.load(provider());
    }

    final HubCapabilities resolvedCapabilities() {
        if (capabilities == null) {
            capabilities = capabilities();
        }
        return capabilities;
    }

    /**
     * Says once per run which hub and capabilities the rules use, and warns about a missing or
     * incomplete capabilities file, on the standard streams (the command-line runner prints the same
     * lines itself and turns this off).
     */
    @BeforeAll
    final void announceCapabilities() {
        if (announces()) {
            HubProvider p = provider();
            HubCapabilities c = resolvedCapabilities();
            System.out.println("greenhub TCK: hub " + p.name() + " (" + p.getClass().getName() + "), " + c.describe());
            c.warnings().forEach(w -> System.err.println("greenhub TCK warning: " + w));
        }
    }

    boolean announces() {
        return true;
    }

    @BeforeEach
    final void openFixture() {
        fx = new TckFixture(provider());
    }

    @AfterEach
    final void closeFixture() throws Exception {
        TckFixture f = fx;
        fx = null;
        if (f != null) {
            f.close();
        }
    }

    final SchedulerTimerChecks schedulerTimers() {
        return new SchedulerTimerChecks(fx, resolvedCapabilities());
    }

    final SchedulerFdChecks schedulerFds() {
        return new SchedulerFdChecks(fx, resolvedCapabilities());
    }

    final SchedulerLoopChecks schedulerLoop() {
        return new SchedulerLoopChecks(fx, resolvedCapabilities());
    }

    static long ms(long millis) {
        return TimeUnit.MILLISECONDS.toNanos(millis);
    }

    /** The poll reported nothing. */
    static void expectSilent(PollResult r, String what) {
        if (r.returned() != 0 || !r.reported().isEmpty()) {
            fail("nothing should be reported for " + what + ", but " + r);
        }
    }

    /**
     * The poll reported nothing and lasted at least its timeout: a hub that returns at once with
     * nothing, poll after poll, fails here rather than passing for a silent one.
     */
    static void expectSilentFullTimeout(PollResult r, String what) {
        expectSilent(r, what);
        if (r.timeoutNanos() > 0 && r.elapsedNanos() < r.timeoutNanos()) {
            fail("a poll that reports nothing must last its whole timeout, for " + what + ", but " + r);
        }
    }

    /** The poll reported {@code fd} and only it, with exactly {@code bits} of READ/WRITE. */
    static void expectOnly(PollResult r, int fd, int bits, String what) {
        if (!r.reportedFd(fd)) {
            fail("fd " + fd + " should be reported " + Readiness.describe(bits) + " for " + what + ", but " + r);
        }
        if (r.reported().size() != 1) {
            fail("only fd " + fd + " should be reported for " + what + ", but " + r);
        }
        if ((r.ops(fd) & (READ | WRITE)) != bits) {
            fail("fd " + fd + " should be reported " + Readiness.describe(bits) + " for " + what + ", but " + r);
        }
    }

    /** Polls until {@code fd} is reported with one of {@code anyOf} or the time runs out. */
    final PollResult pollUntil(Hub hub, int fd, int anyOf, long withinNanos) throws IOException {
        long deadline = System.nanoTime() + withinNanos;
        PollResult r;
        do {
            r = fx.poll(hub, Math.max(0, Math.min(ms(200), deadline - System.nanoTime())));
        } while ((r.ops(fd) & anyOf) == 0 && System.nanoTime() < deadline);
        return r;
    }

    static int[] pipeOf(List<int[]> pipes, int readFd) {
        for (int[] p : pipes) {
            if (p[0] == readFd) {
                return p;
            }
        }
        throw new IllegalArgumentException("no pipe with read end " + readFd);
    }

    static void writeAfter(int fd, long millis, AtomicLong writtenAt) {
        TckFixture.sleepMillis(millis);
        try {
            writtenAt.set(System.nanoTime());
            TckFixture.writeByte(fd);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
