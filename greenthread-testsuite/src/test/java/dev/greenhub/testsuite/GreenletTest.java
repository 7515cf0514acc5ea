package dev.greenhub.testsuite;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.greenhub.Green;
import dev.greenhub.GreenThread;
import dev.greenhub.Greenlet;
import dev.greenhub.GreenletExit;
import dev.greenhub.Scheduler;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Greenlet switching rules (Python greenlet's), on every hub. */
class GreenletTest {

    @ParameterizedTest
    @MethodSource("dev.greenhub.testsuite.EveryHub#hubs")
    void valuesPassBothWaysAndTheResultGoesToTheParent(String hub) {
        try (Scheduler s = Scheduler.open(hub)) {
            Greenlet g = new Greenlet(first -> {
                Object second = Greenlet.current().parent().switchTo((Integer) first + 1);
                return "done " + second;
            });
            assertThat(g.parent()).isSameAs(s.mainGreenlet());
            assertThat(g.switchTo(1)).isEqualTo(2);
            assertThat(g.isStarted()).isTrue();
            assertThat(g.isDead()).isFalse();
            assertThat(g.switchTo("x")).isEqualTo("done x");
            assertThat(g.isDead()).isTrue();
        }
    }

    @ParameterizedTest
    @MethodSource("dev.greenhub.testsuite.EveryHub#hubs")
    void anExceptionEndingTheBodyIsThrownInTheParent(String hub) {
        try (Scheduler s = Scheduler.open(hub)) {
            IllegalStateException boom = new IllegalStateException("boom");
            Greenlet g = new Greenlet(v -> {
                throw boom;
            });
            assertThatThrownBy(g::switchTo).isSameAs(boom);
            assertThat(g.isDead()).isTrue();
        }
    }

    @ParameterizedTest
    @MethodSource("dev.greenhub.testsuite.EveryHub#hubs")
    void switchingToADeadGreenletGoesToItsNearestLiveAncestor(String hub) {
        try (Scheduler s = Scheduler.open(hub)) {
            List<String> log = new ArrayList<>();
            Greenlet[] inner = new Greenlet[1];
            Greenlet outer = new Greenlet(v -> {
                inner[0] = new Greenlet(w -> "inner result");
                log.add("outer got " + inner[0].switchTo());
                // inner is dead: switching to it goes to its parent, which is this greenlet itself
                log.add("self switch returned " + inner[0].switchTo("to the dead one"));
                Object fromMain = Greenlet.current().parent().switchTo("outer waiting");
                return "outer result " + fromMain;
            });
            assertThat(outer.switchTo()).isEqualTo("outer waiting");
            assertThat(inner[0].isDead()).isTrue();
            // inner is dead and its parent (outer) is alive and suspended: the switch lands there
            assertThat(inner[0].switchTo("via dead child")).isEqualTo("outer result via dead child");
            assertThat(log).containsExactly("outer got inner result", "self switch returned to the dead one");
        }
    }

    @ParameterizedTest
    @MethodSource("dev.greenhub.testsuite.EveryHub#hubs")
    void throwIntoAnUnstartedGreenletEndsItWithoutRunning(String hub) {
        try (Scheduler s = Scheduler.open(hub)) {
            AtomicBoolean ran = new AtomicBoolean();
            Greenlet g = new Greenlet(v -> ran.getAndSet(true));
            IllegalArgumentException error = new IllegalArgumentException("never start");
            assertThatThrownBy(() -> g.throwInto(error)).isSameAs(error);
            assertThat(g.isDead()).isTrue();
            assertThat(g.isStarted()).isFalse();
            Greenlet h = new Greenlet(v -> ran.getAndSet(true));
            assertThat(h.throwInto()).isInstanceOf(GreenletExit.class);
            assertThat(ran).isFalse();
        }
    }

    @ParameterizedTest
    @MethodSource("dev.greenhub.testsuite.EveryHub#hubs")
    void throwIntoASuspendedGreenletRaisesWhereItWaits(String hub) {
        try (Scheduler s = Scheduler.open(hub)) {
            Greenlet g = new Greenlet(v -> {
                try {
                    Greenlet.current().parent().switchTo("suspended");
                    return "not thrown";
                } catch (IllegalStateException e) {
                    return "caught " + e.getMessage();
                }
            });
            assertThat(g.switchTo()).isEqualTo("suspended");
            assertThat(g.throwInto(new IllegalStateException("x"))).isEqualTo("caught x");
        }
    }

    @ParameterizedTest
    @MethodSource("dev.greenhub.testsuite.EveryHub#hubs")
    void aGreenletBlockedElsewhereCannotBeSwitchedTo(String hub) {
        try (Scheduler s = Scheduler.open(hub)) {
            GreenThread<String> sleeper = Green.spawn(() -> {
                Green.sleep(Duration.ofMillis(20));
                return "slept";
            });
            Green.sleep();
            assertThatThrownBy(() -> sleeper.switchTo("no")).isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("not suspended in switchTo");
            assertThat(sleeper.get()).isEqualTo("slept");
        }
    }

    @ParameterizedTest
    @MethodSource("dev.greenhub.testsuite.EveryHub#hubs")
    void greenletsSwitchInsideAGreenThread(String hub) {
        try (Scheduler s = Scheduler.open(hub)) {
            GreenThread<List<String>> g = Green.spawn(() -> {
                List<String> log = new ArrayList<>();
                Greenlet a = new Greenlet(v -> {
                    log.add("a " + v);
                    return "a done";
                });
                assertThat(a.parent()).isSameAs(Green.current());
                log.add((String) a.switchTo(1));
                return log;
            });
            assertThat(g.get()).containsExactly("a 1", "a done");
        }
    }

    @ParameterizedTest
    @MethodSource("dev.greenhub.testsuite.EveryHub#hubs")
    void switchingToItselfReturnsTheValue(String hub) {
        try (Scheduler s = Scheduler.open(hub)) {
            assertThat(Greenlet.current().switchTo("same")).isEqualTo("same");
        }
    }
}
