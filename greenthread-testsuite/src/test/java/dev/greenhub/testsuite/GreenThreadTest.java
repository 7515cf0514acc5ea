package dev.greenhub.testsuite;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.greenhub.Green;
import dev.greenhub.GreenThread;
import dev.greenhub.GreenThreadException;
import dev.greenhub.Greenlet;
import dev.greenhub.GreenletExit;
import dev.greenhub.Scheduler;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** GreenThread behaviour, ported from eventlet's greenthread_test.py and hub tests, on every hub. */
class GreenThreadTest {

    @ParameterizedTest
    @MethodSource("dev.greenhub.testsuite.EveryHub#hubs")
    void spawnedThreadsStartInSpawnOrderAtTheNextTurn(String hub) {
        try (Scheduler s = Scheduler.open(hub)) {
            List<String> log = new ArrayList<>();
            GreenThread<Boolean> a = Green.spawn(() -> log.add("a"));
            GreenThread<Boolean> b = Green.spawn(() -> log.add("b"));
            assertThat(log).isEmpty();
            assertThat(a.isStarted()).isFalse();
            b.get();
            assertThat(log).containsExactly("a", "b");
            assertThat(a.isDone()).isTrue();
            assertThat(a.parent()).isSameAs(s.hubGreenlet());
        }
    }

    @ParameterizedTest
    @MethodSource("dev.greenhub.testsuite.EveryHub#hubs")
    void getRethrowsTheExceptionAsCause(String hub) {
        try (Scheduler s = Scheduler.open(hub)) {
            List<Throwable> reported = new CopyOnWriteArrayList<>();
            s.setExceptionReporter((what, e) -> reported.add(e));
            IllegalArgumentException failure = new IllegalArgumentException("bad");
            GreenThread<Integer> g = Green.spawn(() -> {
                throw failure;
            });
            assertThatThrownBy(g::get).isInstanceOf(GreenThreadException.class).hasCause(failure);
            assertThatThrownBy(g::get).isInstanceOf(GreenThreadException.class).hasCause(failure);
            assertThat(reported).containsExactly(failure);
        }
    }

    @ParameterizedTest
    @MethodSource("dev.greenhub.testsuite.EveryHub#hubs")
    void exceptionInAGreenThreadIsReportedAndTheHubGoesOn(String hub) {
        try (Scheduler s = Scheduler.open(hub)) {
            List<Throwable> reported = new CopyOnWriteArrayList<>();
            s.setExceptionReporter((what, e) -> reported.add(e));
            RuntimeException boom = new RuntimeException("boom");
            Green.spawnN(() -> {
                throw boom;
            });
            GreenThread<String> later = Green.spawn(() -> {
                Green.sleep(Duration.ofMillis(2));
                return "fine";
            });
            assertThat(later.get()).isEqualTo("fine");
            assertThat(reported).containsExactly(boom);
        }
    }

    @ParameterizedTest
    @MethodSource("dev.greenhub.testsuite.EveryHub#hubs")
    void getWithTimeoutTimesOutAndTheThreadGoesOn(String hub) throws Exception {
        try (Scheduler s = Scheduler.open(hub)) {
            GreenThread<String> g = Green.spawn(() -> {
                Green.sleep(Duration.ofMillis(50));
                return "late";
            });
            long start = System.nanoTime();
            assertThatThrownBy(() -> g.get(Duration.ofMillis(10))).isInstanceOf(TimeoutException.class);
            assertThat(System.nanoTime() - start).isGreaterThanOrEqualTo(10_000_000L);
            assertThat(g.isDone()).isFalse();
            assertThat(g.get(Duration.ofSeconds(10))).isEqualTo("late");
        }
    }

    @ParameterizedTest
    @MethodSource("dev.greenhub.testsuite.EveryHub#hubs")
    void killBeforeStartMeansTheFunctionNeverRuns(String hub) {
        try (Scheduler s = Scheduler.open(hub)) {
            AtomicBoolean ran = new AtomicBoolean();
            List<GreenThread<?>> linked = new ArrayList<>();
            GreenThread<Boolean> g = Green.spawn(() -> ran.getAndSet(true));
            g.link(linked::add);
            g.kill();
            assertThat(g.isDone()).isTrue();
            assertThat(linked).containsExactly(g);
            Green.sleep(Duration.ofMillis(5));
            assertThat(ran).isFalse();
            assertThat(g.isStarted()).isFalse();
            assertThatThrownBy(g::get).isInstanceOf(GreenThreadException.class).hasCauseInstanceOf(GreenletExit.class);
        }
    }

    @ParameterizedTest
    @MethodSource("dev.greenhub.testsuite.EveryHub#hubs")
    void killOfASleepingGreenThreadIsDeliveredAtOnce(String hub) {
        try (Scheduler s = Scheduler.open(hub)) {
            List<String> log = new ArrayList<>();
            GreenThread<String> sleeper = Green.spawn(() -> {
                try {
                    Green.sleep(Duration.ofSeconds(20));
                    return "woke";
                } catch (GreenletExit e) {
                    log.add("exit delivered");
                    throw e;
                }
            });
            Green.sleep(); // let it start and go to sleep
            assertThat(sleeper.isStarted()).isTrue();
            long start = System.nanoTime();
            sleeper.kill();
            log.add("caller goes on");
            assertThat(log).containsExactly("exit delivered", "caller goes on");
            assertThat(sleeper.isDone()).isTrue();
            assertThat(System.nanoTime() - start).isLessThan(5_000_000_000L);
            assertThatThrownBy(sleeper::get).hasCauseInstanceOf(GreenletExit.class);
        }
    }

    @ParameterizedTest
    @MethodSource("dev.greenhub.testsuite.EveryHub#hubs")
    void killFromAnotherGreenThreadWithACustomException(String hub) {
        try (Scheduler s = Scheduler.open(hub)) {
            s.setExceptionReporter(null);
            IllegalStateException reason = new IllegalStateException("stop");
            GreenThread<String> victim = Green.spawn(() -> {
                Green.sleep(Duration.ofSeconds(20));
                return "woke";
            });
            GreenThread<Boolean> killer = Green.spawn(() -> {
                Green.sleep(Duration.ofMillis(1));
                victim.kill(reason);
                return victim.isDone();
            });
            assertThat(killer.get()).isTrue();
            assertThatThrownBy(victim::get).isInstanceOf(GreenThreadException.class).hasCause(reason);
        }
    }

    @ParameterizedTest
    @MethodSource("dev.greenhub.testsuite.EveryHub#hubs")
    void aKilledThreadMayCatchTheExitAndReturnAValue(String hub) {
        try (Scheduler s = Scheduler.open(hub)) {
            GreenThread<String> g = Green.spawn(() -> {
                try {
                    Green.sleep(Duration.ofSeconds(20));
                    return "woke";
                } catch (GreenletExit e) {
                    return "caught";
                }
            });
            Green.sleep();
            g.kill();
            assertThat(g.get()).isEqualTo("caught");
        }
    }

    @ParameterizedTest
    @MethodSource("dev.greenhub.testsuite.EveryHub#hubs")
    void killOfADeadThreadDoesNothing(String hub) {
        try (Scheduler s = Scheduler.open(hub)) {
            GreenThread<Integer> g = Green.spawn(() -> 7);
            assertThat(g.get()).isEqualTo(7);
            g.kill();
            assertThat(g.get()).isEqualTo(7);
        }
    }

    @ParameterizedTest
    @MethodSource("dev.greenhub.testsuite.EveryHub#hubs")
    void killingYourselfThrowsAtOnce(String hub) {
        try (Scheduler s = Scheduler.open(hub)) {
            List<String> log = new ArrayList<>();
            GreenThread<Void> g = Green.spawn(() -> {
                GreenThread<?> self = (GreenThread<?>) Green.current();
                try {
                    self.kill();
                    log.add("not reached");
                } catch (GreenletExit e) {
                    log.add("thrown");
                }
                return null;
            });
            g.get();
            assertThat(log).containsExactly("thrown");
        }
    }

    @ParameterizedTest
    @MethodSource("dev.greenhub.testsuite.EveryHub#hubs")
    void cancelWorksOnlyBeforeStart(String hub) {
        try (Scheduler s = Scheduler.open(hub)) {
            AtomicBoolean ran = new AtomicBoolean();
            GreenThread<Boolean> notStarted = Green.spawn(() -> ran.getAndSet(true));
            assertThat(notStarted.cancel()).isTrue();
            assertThat(notStarted.cancel()).isFalse();
            GreenThread<Integer> started = Green.spawn(() -> {
                Green.sleep(Duration.ofMillis(5));
                return 1;
            });
            Green.sleep();
            assertThat(started.cancel()).isFalse();
            assertThat(started.get()).isEqualTo(1);
            assertThat(ran).isFalse();
            assertThatThrownBy(notStarted::get).hasCauseInstanceOf(GreenletExit.class);
        }
    }

    @ParameterizedTest
    @MethodSource("dev.greenhub.testsuite.EveryHub#hubs")
    void spawnAfterStartsNoEarlierAndCanBeCancelled(String hub) {
        try (Scheduler s = Scheduler.open(hub)) {
            long start = System.nanoTime();
            GreenThread<Long> g = Green.spawnAfter(Duration.ofMillis(20), System::nanoTime);
            AtomicBoolean ran = new AtomicBoolean();
            GreenThread<Boolean> cancelled = Green.spawnAfter(Duration.ofMillis(5), () -> ran.getAndSet(true));
            assertThat(cancelled.cancel()).isTrue();
            assertThat(g.get() - start).isGreaterThanOrEqualTo(20_000_000L);
            assertThat(ran).isFalse();
        }
    }

    @ParameterizedTest
    @MethodSource("dev.greenhub.testsuite.EveryHub#hubs")
    void linksRunOnExitAndALinkAddedAfterExitRunsAtOnce(String hub) {
        try (Scheduler s = Scheduler.open(hub)) {
            List<String> log = new ArrayList<>();
            GreenThread<Integer> g = Green.spawn(() -> {
                log.add("body");
                return 5;
            });
            g.link(t -> log.add("link1 " + t.get()));
            Consumer<GreenThread<Integer>> removed = t -> log.add("removed link");
            g.link(removed);
            g.link(t -> log.add("link3"));
            assertThat(g.unlink(removed)).isTrue();
            assertThat(g.unlink(removed)).isFalse();
            g.get();
            assertThat(log).containsExactly("body", "link1 5", "link3");
            g.link(t -> log.add("late link in " + Thread.currentThread().getName()));
            assertThat(log).containsExactly("body", "link1 5", "link3",
                    "late link in " + Thread.currentThread().getName());
        }
    }

    @ParameterizedTest
    @MethodSource("dev.greenhub.testsuite.EveryHub#hubs")
    void aFailingLinkIsReportedAndTheOthersStillRun(String hub) {
        try (Scheduler s = Scheduler.open(hub)) {
            List<Throwable> reported = new CopyOnWriteArrayList<>();
            s.setExceptionReporter((what, e) -> reported.add(e));
            List<String> log = new ArrayList<>();
            RuntimeException bad = new RuntimeException("bad link");
            GreenThread<Integer> g = Green.spawn(() -> 1);
            g.link(t -> {
                throw bad;
            });
            g.link(t -> log.add("second"));
            g.get();
            assertThat(log).containsExactly("second");
            assertThat(reported).containsExactly(bad);
        }
    }

    @ParameterizedTest
    @MethodSource("dev.greenhub.testsuite.EveryHub#hubs")
    void manyWaitersAllGetTheResult(String hub) {
        try (Scheduler s = Scheduler.open(hub)) {
            GreenThread<String> producer = Green.spawn(() -> {
                Green.sleep(Duration.ofMillis(5));
                return "v";
            });
            List<GreenThread<String>> waiters = new ArrayList<>();
            for (int i = 0; i < 10; i++) {
                waiters.add(Green.spawn(producer::get));
            }
            for (GreenThread<String> w : waiters) {
                assertThat(w.get()).isEqualTo("v");
            }
        }
    }

    @ParameterizedTest
    @MethodSource("dev.greenhub.testsuite.EveryHub#hubs")
    void currentIsTheGreenThreadOrTheMainGreenlet(String hub) {
        try (Scheduler s = Scheduler.open(hub)) {
            GreenThread<Greenlet> g = Green.spawn(Green::current);
            assertThat(g.get()).isSameAs(g);
            assertThat(Green.current()).isSameAs(s.mainGreenlet());
            assertThat(Green.inGreenThread()).isFalse();
            assertThat(Green.spawn(Green::inGreenThread).get()).isTrue();
            assertThat(Green.spawn(() -> Thread.currentThread().isVirtual()).get()).isTrue();
            assertThat(Green.spawn(Scheduler::current).get()).isSameAs(s);
        }
    }

    @ParameterizedTest
    @MethodSource("dev.greenhub.testsuite.EveryHub#hubs")
    void closeKillsLiveGreenThreadsAndUnbindsTheScheduler(String hub) {
        List<String> log = new CopyOnWriteArrayList<>();
        GreenThread<Void> sleeper;
        GreenThread<Void> notStarted;
        Scheduler s = Scheduler.open(hub);
        try {
            sleeper = Green.spawn(() -> {
                try {
                    Green.sleep(Duration.ofSeconds(30));
                } finally {
                    log.add("unwound");
                }
                return null;
            });
            Green.sleep();
            notStarted = Green.spawn(() -> {
                log.add("never");
                return null;
            });
        } finally {
            s.close();
        }
        assertThat(log).containsExactly("unwound");
        assertThat(sleeper.isDone()).isTrue();
        assertThat(notStarted.isDone()).isTrue();
        assertThat(s.isClosed()).isTrue();
        assertThat(Scheduler.currentIfPresent()).isEmpty();
    }
}
