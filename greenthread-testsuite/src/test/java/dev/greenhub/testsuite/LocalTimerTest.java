package dev.greenhub.testsuite;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.greenhub.Event;
import dev.greenhub.Green;
import dev.greenhub.GreenPool;
import dev.greenhub.GreenThread;
import dev.greenhub.GreenThreadException;
import dev.greenhub.GreenletExit;
import dev.greenhub.Scheduler;
import dev.greenhub.Timer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Green.spawnAfterLocal and Green.callLaterLocal on every hub; ported from eventlet's
 * tests/greenthread_test.py (SpawnAfterLocal: test_timer_fired,
 * test_timer_cancelled_upon_greenlet_exit, test_spawn_is_not_cancelled) and
 * tests/greenpool_test.py (test_timer_cancel), plus a kill of the creator and the outcome of a
 * cancelled local spawn. Orders are made by events and waits on outcomes, not by timing: the
 * delays only have to be longer than nothing.
 */
class LocalTimerTest {
    private static final Duration SHORT = Duration.ofMillis(20);

    // test_timer_fired: the creator still runs when the delay passes, so the spawn runs
    @ParameterizedTest
    @MethodSource("dev.greenhub.testsuite.EveryHub#hubs")
    void aLocalSpawnRunsWhileItsCreatorLives(String hub) {
        try (Scheduler s = Scheduler.open(hub)) {
            List<Integer> lst = new ArrayList<>(List.of(1));
            Event<Void> popped = new Event<>();
            GreenThread<GreenThread<Integer>> creator = Green.spawn(() -> {
                GreenThread<Integer> g = Green.spawnAfterLocal(SHORT, () -> {
                    int v = lst.removeLast();
                    popped.send(null);
                    return v;
                });
                popped.await(); // the creator outlives the delay
                return g;
            });
            assertThat(lst).containsExactly(1);
            assertThat(creator.get().get()).isEqualTo(1);
            assertThat(lst).isEmpty();
        }
    }

    // test_timer_cancelled_upon_greenlet_exit: the creator returns first, the spawn never runs
    @ParameterizedTest
    @MethodSource("dev.greenhub.testsuite.EveryHub#hubs")
    void aLocalSpawnIsCancelledWhenItsCreatorReturns(String hub) {
        try (Scheduler s = Scheduler.open(hub)) {
            List<Integer> lst = new ArrayList<>(List.of(1));
            GreenThread<GreenThread<Integer>> creator = Green.spawn(
                    () -> Green.spawnAfterLocal(SHORT, () -> lst.removeLast()));
            GreenThread<Integer> local = creator.get();
            // cancelled at the creator's end, not at its deadline: its outcome is there already
            assertThat(local.isDone()).isTrue();
            assertThat(local.isStarted()).isFalse();
            assertThatThrownBy(local::get).isInstanceOf(GreenThreadException.class)
                    .cause().isInstanceOf(GreenletExit.class).hasMessageContaining("spawnAfterLocal");
            Green.sleep(SHORT.multipliedBy(3));
            assertThat(lst).containsExactly(1);
            assertThat(s.liveCount()).isZero();
        }
    }

    /** A creator that is killed (not returning normally) cancels its local spawns and timers too. */
    @ParameterizedTest
    @MethodSource("dev.greenhub.testsuite.EveryHub#hubs")
    void aKilledCreatorCancelsItsLocalSpawnsAndTimers(String hub) {
        try (Scheduler s = Scheduler.open(hub)) {
            List<String> ran = new ArrayList<>();
            AtomicReference<GreenThread<Void>> local = new AtomicReference<>();
            AtomicReference<Timer> timer = new AtomicReference<>();
            Event<Void> armed = new Event<>();
            GreenThread<Void> creator = Green.spawn(() -> {
                local.set(Green.spawnAfterLocal(Duration.ofSeconds(30), () -> {
                    ran.add("spawn");
                    return null;
                }));
                timer.set(Green.callLaterLocal(Duration.ofSeconds(30), () -> ran.add("timer")));
                armed.send(null);
                Green.sleep(Duration.ofSeconds(60));
                return null;
            });
            armed.await();
            assertThat(timer.get().isCancelled()).isFalse();
            creator.kill();
            assertThat(creator.isDone()).isTrue();
            assertThat(timer.get().isCancelled()).isTrue();
            assertThat(local.get().isDone()).isTrue();
            assertThatThrownBy(() -> local.get().get()).cause().isInstanceOf(GreenletExit.class);
            assertThat(ran).isEmpty();
            assertThat(s.liveCount()).isZero();
        }
    }

    // test_spawn_is_not_cancelled: an ordinary spawn outlives its creator
    @ParameterizedTest
    @MethodSource("dev.greenhub.testsuite.EveryHub#hubs")
    void anOrdinarySpawnOrTimerIsNotCancelled(String hub) {
        try (Scheduler s = Scheduler.open(hub)) {
            List<String> ran = new ArrayList<>();
            Event<Void> timerRan = new Event<>();
            GreenThread<GreenThread<Void>> creator = Green.spawn(() -> {
                s.callLater(Duration.ZERO, () -> {
                    ran.add("timer");
                    timerRan.send(null);
                });
                return Green.spawnAfter(Duration.ZERO, () -> {
                    ran.add("spawn");
                    return null;
                });
            });
            creator.get().get();
            timerRan.await();
            assertThat(ran).containsExactlyInAnyOrder("spawn", "timer");
        }
    }

    // greenpool_test test_timer_cancel: a pool task's local timer does not fire after it ends
    @ParameterizedTest
    @MethodSource("dev.greenhub.testsuite.EveryHub#hubs")
    void aPoolTasksLocalTimerDoesNotFireAfterTheTask(String hub) {
        try (Scheduler s = Scheduler.open(hub)) {
            List<Boolean> fired = new ArrayList<>();
            GreenPool pool = new GreenPool(2);
            GreenThread<Timer> worker = pool.spawn(() -> Green.callLaterLocal(Duration.ZERO, () -> fired.add(true)));
            Timer t = worker.get();
            Green.sleep();
            Green.sleep();
            assertThat(fired).isEmpty();
            assertThat(t.isCancelled()).isTrue();
            assertThat(t.isCalled()).isFalse();
        }
    }

    /** A local timer whose creator is still alive fires; one that started stops being bound. */
    @ParameterizedTest
    @MethodSource("dev.greenhub.testsuite.EveryHub#hubs")
    void aLocalTimerFiresWhileItsCreatorWaits(String hub) {
        try (Scheduler s = Scheduler.open(hub)) {
            Event<String> fired = new Event<>();
            GreenThread<String> creator = Green.spawn(() -> {
                Green.callLaterLocal(Duration.ZERO, () -> fired.send("fired"));
                return fired.await();
            });
            assertThat(creator.get()).isEqualTo("fired");
            // a local spawn that started runs on after its creator ends
            Event<Void> release = new Event<>();
            GreenThread<GreenThread<String>> c2 = Green.spawn(() -> {
                GreenThread<String> g = Green.spawnAfterLocal(Duration.ZERO, () -> {
                    release.await();
                    return "finished";
                });
                Green.sleep(); // let it start
                Green.sleep();
                return g;
            });
            GreenThread<String> started = c2.get();
            assertThat(started.isStarted()).isTrue();
            release.send(null);
            assertThat(started.get()).isEqualTo("finished");
        }
    }

    /** From a platform thread (a main greenlet never ends) they are ordinary timers and spawns. */
    @ParameterizedTest
    @MethodSource("dev.greenhub.testsuite.EveryHub#hubs")
    void fromAPlatformThreadTheyAreOrdinary(String hub) throws Exception {
        try (Scheduler s = Scheduler.open(hub)) {
            List<String> ran = new ArrayList<>();
            Timer t = Green.callLaterLocal(Duration.ZERO, () -> ran.add("timer"));
            GreenThread<String> g = Green.spawnAfterLocal(Duration.ZERO, () -> "spawn");
            assertThat(g.get()).isEqualTo("spawn");
            Green.sleep();
            assertThat(t.isCalled()).isTrue();
            assertThat(ran).containsExactly("timer");
            assertThatThrownBy(() -> Green.callLaterLocal(Duration.ofMillis(-1), () -> { }))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("must not be negative");
            assertThatThrownBy(() -> Green.spawnAfterLocal(Duration.ofMillis(-1), () -> null))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("must not be negative");
        }
    }
}
