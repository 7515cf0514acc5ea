package dev.greenhub.testsuite;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.greenhub.BoundedSemaphore;
import dev.greenhub.CappedSemaphore;
import dev.greenhub.Green;
import dev.greenhub.GreenQueue;
import dev.greenhub.GreenThread;
import dev.greenhub.ItemPool;
import dev.greenhub.Scheduler;
import dev.greenhub.Semaphore;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * One reading of a timeout for every timed acquire (Semaphore, BoundedSemaphore,
 * CappedSemaphore, GreenQueue, ItemPool), on every hub; ported from eventlet's
 * tests/semaphore_test.py (test_non_blocking, test_timeout, test_timeout_non_blocking: Java has
 * separate methods, so blocking=False and a timeout cannot be mixed) and the bad-input cases of
 * tests/queue_test.py. Zero tries once without waiting or yielding; negative is refused naming
 * what to call instead; a huge timeout neither overflows nor fires.
 */
class TimedAcquireTest {
    private static final Duration WAIT = Duration.ofMillis(50);
    private static final Duration HUGE = Duration.ofSeconds(Long.MAX_VALUE);

    // test_non_blocking, test_timeout
    @ParameterizedTest
    @MethodSource("dev.greenhub.testsuite.EveryHub#hubs")
    void semaphoreNonBlockingAndTimedAcquire(String hub) {
        try (Scheduler s = Scheduler.open(hub)) {
            Semaphore sem = new Semaphore(0);
            assertThat(sem.tryAcquire()).isFalse();
            long start = System.nanoTime();
            assertThat(sem.tryAcquire(WAIT)).isFalse();
            assertThat(System.nanoTime() - start).isGreaterThanOrEqualTo(WAIT.toNanos());
            assertThat(sem.waiting()).isZero();
            assertThat(sem.counter()).isZero();
        }
    }

    /** Zero is one try that neither waits nor yields: a green thread ready to release does not run. */
    @ParameterizedTest
    @MethodSource("dev.greenhub.testsuite.EveryHub#hubs")
    void zeroTriesOnceWithoutYielding(String hub) throws Exception {
        try (Scheduler s = Scheduler.open(hub)) {
            Semaphore sem = new Semaphore(0);
            CappedSemaphore capped = new CappedSemaphore(0, 1);
            GreenQueue<String> queue = new GreenQueue<>(1);
            ItemPool<String> pool = new ItemPool<>(0, () -> "item");
            List<String> ran = new ArrayList<>();
            Green.spawn(() -> {
                ran.add("releaser");
                sem.release();
                return null;
            });
            assertThat(sem.tryAcquire(Duration.ZERO)).isFalse();
            assertThat(capped.tryAcquire(Duration.ZERO)).isFalse();
            assertThatThrownBy(() -> queue.get(Duration.ZERO)).isInstanceOf(TimeoutException.class);
            assertThat(pool.get(Duration.ZERO)).isEmpty();
            assertThat(ran).isEmpty(); // nothing yielded
            assertThat(sem.waiting()).isZero();
            // and when there is something, zero takes it
            queue.put("a");
            assertThat(queue.get(Duration.ZERO)).isEqualTo("a");
            queue.put("b");
            assertThatThrownBy(() -> queue.put("c", Duration.ZERO)).isInstanceOf(TimeoutException.class);
            assertThat(capped.tryRelease(Duration.ZERO)).isTrue();
            assertThat(capped.tryRelease(Duration.ZERO)).isFalse(); // at its limit
            assertThat(capped.tryAcquire(Duration.ZERO)).isTrue();
            Green.sleep();
            assertThat(ran).containsExactly("releaser");
            assertThat(sem.tryAcquire(Duration.ZERO)).isTrue();
        }
    }

    /** On a rendezvous channel, zero takes from a waiting putter and gives to a waiting getter. */
    @ParameterizedTest
    @MethodSource("dev.greenhub.testsuite.EveryHub#hubs")
    void zeroOnAChannelMeetsAWaitingPartner(String hub) throws Exception {
        try (Scheduler s = Scheduler.open(hub)) {
            GreenQueue<String> channel = new GreenQueue<>(0);
            GreenThread<Void> putter = Green.spawn(() -> {
                channel.put("from putter");
                return null;
            });
            Green.sleep();
            assertThat(channel.get(Duration.ZERO)).isEqualTo("from putter");
            putter.get();
            GreenThread<String> getter = Green.spawn(channel::get);
            Green.sleep();
            channel.put("to getter", Duration.ZERO);
            assertThat(getter.get()).isEqualTo("to getter");
        }
    }

    // test_timeout_non_blocking's spirit, and negative timeouts: refused with the fix named
    @ParameterizedTest
    @MethodSource("dev.greenhub.testsuite.EveryHub#hubs")
    void negativeTimeoutsAreRefusedNamingWhatToCallInstead(String hub) {
        try (Scheduler s = Scheduler.open(hub)) {
            Duration minus = Duration.ofMillis(-1);
            assertThatThrownBy(() -> new Semaphore(1).tryAcquire(minus)).isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("timeout must not be negative: PT-0.001S (Duration.ZERO or tryAcquire() tries once"
                            + " without waiting; acquire() waits without limit)");
            assertThatThrownBy(() -> new BoundedSemaphore(1).tryAcquire(minus))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("tryAcquire()");
            assertThatThrownBy(() -> new CappedSemaphore(0, 1).tryAcquire(minus))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("acquire() waits without limit");
            assertThatThrownBy(() -> new CappedSemaphore(0, 1).tryRelease(minus))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("release() waits without limit");
            assertThatThrownBy(() -> new GreenQueue<String>().get(minus))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("poll()");
            assertThatThrownBy(() -> new GreenQueue<String>(1).put("x", minus))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("offer(item)");
            assertThatThrownBy(() -> new ItemPool<>(1, () -> "x").get(minus))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("get() waits without limit");
            assertThatThrownBy(() -> new Semaphore(1).tryAcquire(null)).isInstanceOf(NullPointerException.class);
        }
    }

    /** A huge timeout does not overflow into the past: the wait lasts until the release. */
    @ParameterizedTest
    @MethodSource("dev.greenhub.testsuite.EveryHub#hubs")
    void hugeTimeoutsWaitUntilTheyAreServed(String hub) throws Exception {
        try (Scheduler s = Scheduler.open(hub)) {
            Semaphore sem = new Semaphore(0);
            CappedSemaphore capped = new CappedSemaphore(0, 1);
            GreenQueue<String> queue = new GreenQueue<>();
            ItemPool<String> pool = new ItemPool<>(1, () -> "item");
            String item = pool.get();
            List<Function<Void, Object>> waits = List.of(
                    x -> sem.tryAcquire(HUGE),
                    x -> capped.tryAcquire(HUGE),
                    x -> {
                        try {
                            return queue.get(HUGE);
                        } catch (TimeoutException e) {
                            return e;
                        }
                    },
                    x -> pool.get(HUGE));
            List<GreenThread<Object>> waiters = new ArrayList<>();
            for (Function<Void, Object> w : waits) {
                waiters.add(Green.spawn(() -> w.apply(null)));
            }
            Green.sleep(WAIT); // each is waiting, none timed out at once
            for (GreenThread<Object> g : waiters) {
                assertThat(g.isDone()).isFalse();
            }
            sem.release();
            capped.release();
            queue.put("q");
            pool.put(item);
            assertThat(waiters.get(0).get()).isEqualTo(true);
            assertThat(waiters.get(1).get()).isEqualTo(true);
            assertThat(waiters.get(2).get()).isEqualTo("q");
            assertThat(waiters.get(3).get()).isEqualTo(Optional.of("item"));
        }
    }
}
