package dev.greenhub.testsuite;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.greenhub.Green;
import dev.greenhub.GreenThread;
import dev.greenhub.Greenlet;
import dev.greenhub.Scheduler;
import dev.greenhub.hub.HubUnavailableException;
import dev.greenhub.internal.FdWaits;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Bad input gets a clear exception (issue 3, item 8), on every hub. */
class BadInputTest {

    @ParameterizedTest
    @MethodSource("dev.greenhub.testsuite.EveryHub#hubs")
    void negativeAndNanDurationsAreRefused(String hub) {
        try (Scheduler s = Scheduler.open(hub)) {
            Duration negative = Duration.ofMillis(-1);
            assertThatThrownBy(() -> Green.sleep(negative)).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("must not be negative").hasMessageContaining("PT-0.001S");
            assertThatThrownBy(() -> Green.sleep(Double.NaN)).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("NaN");
            assertThatThrownBy(() -> Green.sleep(-0.5)).isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> Green.sleep(Double.POSITIVE_INFINITY)).isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> Green.spawnAfter(negative, () -> 1)).isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> s.callLater(negative, () -> { })).isInstanceOf(IllegalArgumentException.class);
            GreenThread<Integer> g = Green.spawn(() -> 1);
            assertThatThrownBy(() -> g.get(negative)).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("timeout");
            assertThatThrownBy(() -> Green.sleep((Duration) null)).isInstanceOf(NullPointerException.class);
            assertThat(g.get()).isEqualTo(1);
            assertThat(s.timerCount()).isZero();
        }
    }

    @ParameterizedTest
    @MethodSource("dev.greenhub.testsuite.EveryHub#hubs")
    void getOnAGreenThreadFromItselfIsRefused(String hub) {
        try (Scheduler s = Scheduler.open(hub)) {
            GreenThread<String> g = Green.spawn(() -> {
                GreenThread<?> self = (GreenThread<?>) Green.current();
                try {
                    self.get();
                    return "waited";
                } catch (IllegalStateException e) {
                    return e.getMessage();
                }
            });
            assertThat(g.get()).contains("from itself");
        }
    }

    @ParameterizedTest
    @MethodSource("dev.greenhub.testsuite.EveryHub#hubs")
    void switchingToAGreenletOfAnotherCarrierIsRefused(String hub) throws Exception {
        try (Scheduler s = Scheduler.open(hub)) {
            Greenlet mine = new Greenlet(v -> "mine");
            CompletableFuture<Throwable> other = new CompletableFuture<>();
            Thread t = Thread.ofPlatform().name("other-carrier").start(() -> {
                try (Scheduler theirs = Scheduler.open(hub)) {
                    mine.switchTo("from another carrier");
                    other.complete(null);
                } catch (Throwable e) {
                    other.complete(e);
                }
            });
            Throwable thrown = other.get(30, TimeUnit.SECONDS);
            t.join(30_000);
            assertThat(thrown).isInstanceOf(WrongThreadException.class)
                    .hasMessageContaining("cannot switch to").hasMessageContaining("other-carrier");
            assertThat(mine.switchTo()).isEqualTo("mine");
        }
    }

    @ParameterizedTest
    @MethodSource("dev.greenhub.testsuite.EveryHub#hubs")
    void usingAClosedSchedulerIsRefused(String hub) {
        Scheduler s = Scheduler.open(hub);
        s.close();
        s.close(); // idempotent
        assertThatThrownBy(() -> s.spawn(() -> 1)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("is closed");
        assertThatThrownBy(() -> s.callLater(Duration.ZERO, () -> { })).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("is closed");
        assertThatThrownBy(() -> s.spawnN(() -> { })).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> FdWaits.trampoline(s, 0, 1, Long.MAX_VALUE)).isInstanceOf(IllegalStateException.class);
        // the thread gets a fresh scheduler on its next use
        try (Scheduler fresh = Scheduler.open(hub)) {
            assertThat(fresh).isNotSameAs(s);
            assertThat(Scheduler.current()).isSameAs(fresh);
        }
    }

    @ParameterizedTest
    @MethodSource("dev.greenhub.testsuite.EveryHub#hubs")
    void aSecondSchedulerOnOneThreadIsRefused(String hub) {
        try (Scheduler s = Scheduler.open(hub)) {
            assertThatThrownBy(() -> Scheduler.open(hub)).isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("already has an open scheduler");
        }
    }

    @ParameterizedTest
    @MethodSource("dev.greenhub.testsuite.EveryHub#hubs")
    void schedulerCallsFromAForeignThreadAreRefused(String hub) throws Exception {
        try (Scheduler s = Scheduler.open(hub)) {
            CompletableFuture<Throwable> result = new CompletableFuture<>();
            Thread t = Thread.ofPlatform().start(() -> {
                try {
                    s.callLater(Duration.ZERO, () -> { });
                    result.complete(null);
                } catch (Throwable e) {
                    result.complete(e);
                }
            });
            assertThat(result.get(30, TimeUnit.SECONDS)).isInstanceOf(WrongThreadException.class)
                    .hasMessageContaining("callLater");
            t.join(30_000);
            Thread closer = Thread.ofPlatform().start(() -> {
                try {
                    s.close();
                } catch (WrongThreadException expected) {
                    return;
                }
                throw new AssertionError("close from a foreign thread was accepted");
            });
            closer.join(30_000);
            assertThat(s.isClosed()).isFalse();
        }
    }

    @Test
    void anUnknownHubNameListsWhatIsThere() {
        assertThatThrownBy(() -> Scheduler.open("no-such-hub")).isInstanceOf(HubUnavailableException.class)
                .hasMessageContaining("no-such-hub").hasMessageContaining("epoll");
    }
}
