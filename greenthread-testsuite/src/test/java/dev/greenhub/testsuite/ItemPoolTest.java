package dev.greenhub.testsuite;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.greenhub.Green;
import dev.greenhub.GreenThread;
import dev.greenhub.ItemPool;
import dev.greenhub.Scheduler;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * ItemPool on every hub; ported from eventlet's tests/pools_test.py (test_integers, test_free,
 * test_exhaustion, test_blocks_on_pool, test_create_contention, test_put_with_timed_out_getters,
 * TokenPool's test_it; test_resize is in GreenPoolMapTest).
 */
class ItemPoolTest {
    @ParameterizedTest
    @MethodSource("dev.greenhub.testsuite.EveryHub#hubs")
    void createsLazilyReusesAndCountsFree(String hub) throws Exception {
        try (Scheduler s = Scheduler.open(hub)) {
            AtomicInteger next = new AtomicInteger();
            ItemPool<Integer> pool = new ItemPool<>(4, next::getAndIncrement);
            assertThat(pool.free()).isEqualTo(4);
            assertThat(pool.get()).isEqualTo(0);
            Integer one = pool.get();
            assertThat(one).isEqualTo(1);
            assertThat(pool.free()).isEqualTo(2);
            pool.put(one);
            assertThat(pool.get()).isEqualTo(1); // reused, not created
            assertThat(pool.size()).isEqualTo(2);
            assertThat(pool.free()).isEqualTo(2);
        }
    }

    // test_exhaustion, test_blocks_on_pool: a getter waits green until an item comes back
    @ParameterizedTest
    @MethodSource("dev.greenhub.testsuite.EveryHub#hubs")
    void aGetterWaitsForAPutWhenEveryItemIsOut(String hub) throws Exception {
        try (Scheduler s = Scheduler.open(hub)) {
            ItemPool<String> pool = new ItemPool<>(1, () -> "the one");
            String item = pool.get();
            assertThat(pool.get(Duration.ofMillis(10))).isEmpty();
            List<String> order = new ArrayList<>();
            GreenThread<String> waiter = Green.spawn(() -> {
                order.add("waiting");
                String got = pool.get();
                order.add("got");
                return got;
            });
            Green.sleep();
            assertThat(pool.waiting()).isEqualTo(1);
            order.add("put");
            pool.put(item);
            assertThat(waiter.get()).isEqualTo("the one");
            assertThat(order).containsExactly("waiting", "put", "got");
            assertThat(pool.size()).isEqualTo(1);
        }
    }

    // test_create_contention: a creator that waits green does not let the pool exceed its size;
    // a failing creator leaves the pool as it was
    @ParameterizedTest
    @MethodSource("dev.greenhub.testsuite.EveryHub#hubs")
    void creationNeverExceedsTheMaximumAndAFailingCreatorGivesItsSlotBack(String hub) throws Exception {
        try (Scheduler s = Scheduler.open(hub)) {
            AtomicInteger made = new AtomicInteger();
            ItemPool<Integer> pool = new ItemPool<>(2, () -> {
                Green.sleep(Duration.ofMillis(1));
                return made.incrementAndGet();
            });
            List<GreenThread<Integer>> users = new ArrayList<>();
            for (int i = 0; i < 10; i++) {
                users.add(Green.spawn(() -> {
                    Integer item = pool.get();
                    Green.sleep();
                    pool.put(item);
                    return item;
                }));
            }
            for (GreenThread<Integer> u : users) {
                assertThat(u.get()).isBetween(1, 2);
            }
            assertThat(made.get()).isEqualTo(2);

            ItemPool<String> failing = new ItemPool<>(1, () -> {
                throw new IllegalStateException("cannot connect");
            });
            assertThatThrownBy(failing::get).hasMessage("cannot connect");
            assertThat(failing.free()).isEqualTo(1);
            assertThat(failing.size()).isZero();
            assertThatThrownBy(() -> pool.put(3)).isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("more items than were taken");
        }
    }

    // TokenPool test_it: tokens bound how many work at once
    @ParameterizedTest
    @MethodSource("dev.greenhub.testsuite.EveryHub#hubs")
    void tokensBoundConcurrency(String hub) throws Exception {
        try (Scheduler s = Scheduler.open(hub)) {
            ItemPool<Object> tokens = new ItemPool<>(3, Object::new);
            AtomicInteger inside = new AtomicInteger();
            AtomicInteger most = new AtomicInteger();
            List<GreenThread<Void>> workers = new ArrayList<>();
            for (int i = 0; i < 12; i++) {
                workers.add(Green.spawn(() -> {
                    Object token = tokens.get();
                    try {
                        most.accumulateAndGet(inside.incrementAndGet(), Math::max);
                        Green.sleep();
                        inside.decrementAndGet();
                    } finally {
                        tokens.put(token);
                    }
                    return null;
                }));
            }
            for (GreenThread<Void> w : workers) {
                w.get();
            }
            assertThat(most.get()).isEqualTo(3);
            assertThat(tokens.size()).isEqualTo(3);
        }
    }

    // test_put_with_timed_out_getters: getters whose Timeouts fired hold nothing; a put then
    // neither blocks nor hands the item to a dead getter
    @ParameterizedTest
    @MethodSource("dev.greenhub.testsuite.EveryHub#hubs")
    void aPutAfterTheGettersTimedOutKeepsTheItem(String hub) throws Exception {
        try (Scheduler s = Scheduler.open(hub)) {
            ItemPool<Integer> pool = new ItemPool<>(2, new AtomicInteger()::getAndIncrement);
            pool.get();
            pool.get();
            List<GreenThread<Integer>> getters = new ArrayList<>();
            for (int i = 0; i < 5; i++) {
                getters.add(Green.spawn(pool::get));
            }
            Green.sleep();
            assertThat(pool.waiting()).isEqualTo(5);
            for (GreenThread<Integer> g : getters) {
                s.callLater(Duration.ZERO, () -> g.kill(dev.greenhub.Timeout.never()));
            }
            Green.sleep();
            for (GreenThread<Integer> g : getters) {
                assertThatThrownBy(g::get).cause().isInstanceOf(dev.greenhub.Timeout.class);
            }
            assertThat(pool.waiting()).isZero();
            try (dev.greenhub.Timeout guard = dev.greenhub.Timeout.start(Duration.ofSeconds(10))) {
                assertThat(pool.put(0)).isTrue(); // does not block
            }
            assertThat(pool.free()).isEqualTo(1);
            assertThat(pool.get(Duration.ZERO)).contains(0);
        }
    }
}
