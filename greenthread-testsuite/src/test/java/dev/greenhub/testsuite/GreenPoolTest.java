package dev.greenhub.testsuite;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.greenhub.Event;
import dev.greenhub.Green;
import dev.greenhub.GreenPile;
import dev.greenhub.GreenPool;
import dev.greenhub.GreenThread;
import dev.greenhub.GreenThreadException;
import dev.greenhub.Scheduler;
import dev.greenhub.Timeout;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Random;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** GreenPool and GreenPile, ported from eventlet's tests/greenpool_test.py, on every hub. */
class GreenPoolTest {

    /** eventlet's passthru: returns its argument after a few random short sleeps. */
    private static <T> T passthru(T arg, Random random) {
        while (random.nextBoolean()) {
            Green.sleep(Duration.ofNanos(random.nextInt(1_000_000)));
        }
        return arg;
    }

    private static List<Integer> range(int n) {
        return IntStream.range(0, n).boxed().toList();
    }

    /** test_spawn. */
    @ParameterizedTest
    @MethodSource("dev.greenhub.testsuite.EveryHub#hubs")
    void spawnReturnsGreenThreadsWithTheResults(String hub) {
        try (Scheduler s = Scheduler.open(hub)) {
            GreenPool p = new GreenPool(4);
            Random random = new Random(1);
            List<GreenThread<Integer>> waiters = new ArrayList<>();
            for (int i = 0; i < 10; i++) {
                int n = i;
                waiters.add(p.spawn(() -> passthru(n, random)));
            }
            assertThat(waiters.stream().map(GreenThread::get).toList()).isEqualTo(range(10));
        }
    }

    /** test_spawn_n. */
    @ParameterizedTest
    @MethodSource("dev.greenhub.testsuite.EveryHub#hubs")
    void spawnNAndWaitAll(String hub) {
        try (Scheduler s = Scheduler.open(hub)) {
            GreenPool p = new GreenPool(4);
            List<Integer> results = new ArrayList<>();
            for (int i = 0; i < 10; i++) {
                int n = i;
                p.spawnN(() -> {
                    Green.sleep(Duration.ofMillis(10));
                    results.add(n);
                });
            }
            p.waitAll();
            assertThat(results).isEqualTo(range(10));
            assertThat(p.running()).isZero();
            assertThat(p.free()).isEqualTo(4);
        }
    }

    /** The pool never runs more tasks at once than its size. */
    @ParameterizedTest
    @MethodSource("dev.greenhub.testsuite.EveryHub#hubs")
    void neverRunsMoreThanItsSize(String hub) {
        try (Scheduler s = Scheduler.open(hub)) {
            GreenPool p = new GreenPool(5);
            AtomicInteger now = new AtomicInteger();
            AtomicInteger max = new AtomicInteger();
            Random random = new Random(7);
            List<Integer> done = new ArrayList<>();
            for (int i = 0; i < 60; i++) {
                int n = i;
                p.spawnN(() -> {
                    max.accumulateAndGet(now.incrementAndGet(), Math::max);
                    assertThat(p.running()).isLessThanOrEqualTo(5);
                    Green.sleep(Duration.ofNanos(random.nextInt(2_000_000)));
                    now.decrementAndGet();
                    done.add(n);
                });
                assertThat(p.running()).isLessThanOrEqualTo(5);
            }
            p.waitAll();
            assertThat(max.get()).isEqualTo(5);
            assertThat(done).containsExactlyInAnyOrderElementsOf(range(60));
            assertThat(now.get()).isZero();
        }
    }

    /** test_waiting. */
    @ParameterizedTest
    @MethodSource("dev.greenhub.testsuite.EveryHub#hubs")
    void waitingCountsBlockedSpawners(String hub) {
        try (Scheduler s = Scheduler.open(hub)) {
            GreenPool pool = new GreenPool(1);
            Event<Void> done = new Event<>();
            List<GreenThread<Void>> waiters = new ArrayList<>();
            assertThat(pool.running()).isZero();
            for (int i = 0; i < 3; i++) {
                waiters.add(Green.spawn(() -> {
                    pool.spawn(done::await).get();
                    return null;
                }));
                Green.sleep();
                assertThat(pool.waiting()).isEqualTo(i);
            }
            assertThat(pool.running()).isEqualTo(1);
            done.send(null);
            waiters.forEach(GreenThread::get);
            assertThat(pool.waiting()).isZero();
            assertThat(pool.running()).isZero();
        }
    }

    /** test_multiple_coros. */
    @ParameterizedTest
    @MethodSource("dev.greenhub.testsuite.EveryHub#hubs")
    void tasksInterleaveAtBlockingPoints(String hub) {
        try (Scheduler s = Scheduler.open(hub)) {
            Event<Void> evt = new Event<>();
            List<String> results = new ArrayList<>();
            GreenPool pool = new GreenPool(2);
            GreenThread<Void> done = pool.spawn(() -> {
                results.add("cons1");
                evt.await();
                results.add("cons2");
                return null;
            });
            pool.spawnN(() -> {
                results.add("prod");
                evt.send(null);
            });
            done.get();
            assertThat(results).containsExactly("cons1", "prod", "cons2");
        }
    }

    /** test_reentrant: a task spawning into its own full pool runs the new task itself. */
    @ParameterizedTest
    @MethodSource("dev.greenhub.testsuite.EveryHub#hubs")
    void spawningIntoItsOwnFullPoolDoesNotDeadlock(String hub) {
        try (Scheduler s = Scheduler.open(hub)) {
            GreenPool pool = new GreenPool(1);
            GreenThread<String> outer = pool.spawn(() -> {
                GreenThread<String> inner = pool.spawn(() -> "reenter");
                return inner.get();
            });
            assertThat(outer.get()).isEqualTo("reenter");
            Event<String> evt = new Event<>();
            List<String> ran = new ArrayList<>();
            pool.spawnN(() -> {
                pool.spawnN(() -> ran.add("reenter"));
                evt.send("done");
            });
            assertThat(evt.await()).isEqualTo("done");
            assertThat(ran).containsExactly("reenter");
            GreenThread<Object> failing = pool.spawn(() -> pool.spawn(() -> {
                throw new IllegalStateException("inner failure");
            }));
            s.setExceptionReporter((what, e) -> { });
            @SuppressWarnings("unchecked")
            GreenThread<Object> inner = (GreenThread<Object>) failing.get();
            assertThatThrownBy(inner::get).isInstanceOf(GreenThreadException.class)
                    .hasRootCauseMessage("inner failure");
            pool.waitAll();
        }
    }

    /** test_resize. */
    @ParameterizedTest
    @MethodSource("dev.greenhub.testsuite.EveryHub#hubs")
    void resizeChangesTheLimit(String hub) {
        try (Scheduler s = Scheduler.open(hub)) {
            GreenPool pool = new GreenPool(2);
            Event<Void> evt = new Event<>();
            pool.spawn(evt::await);
            pool.spawn(evt::await);
            assertThat(pool.free()).isZero();
            assertThat(pool.running()).isEqualTo(2);
            pool.resize(1);
            assertThat(pool.free()).isEqualTo(-1);
            evt.send(null);
            Green.sleep();
            Green.sleep();
            assertThat(pool.free()).isEqualTo(1);
            assertThat(pool.running()).isZero();
            assertPoolHasFree(pool, 1);
            pool.resize(2);
            assertThat(pool.free()).isEqualTo(2);
            assertPoolHasFree(pool, 2);
            assertThat(pool.size()).isEqualTo(2);
        }
    }

    /** eventlet's assert_pool_has_free: exactly n spawns do not wait, the next one does. */
    private static void assertPoolHasFree(GreenPool pool, int n) {
        assertThat(pool.free()).isEqualTo(n);
        Event<Void> evt = new Event<>();
        try (Timeout t = Timeout.start(Duration.ofSeconds(5))) {
            for (int i = 0; i < n; i++) {
                pool.spawn(evt::await);
            }
        }
        Timeout t = Timeout.start(Duration.ZERO);
        try (t) {
            assertThatThrownBy(() -> pool.spawn(evt::await)).isSameAs(t);
        }
        assertThat(pool.waiting()).isZero();
        evt.send(null);
        pool.waitAll();
        assertThat(pool.free()).isEqualTo(n);
    }

    /** test_resize growing: waiting spawners get in at once. */
    @ParameterizedTest
    @MethodSource("dev.greenhub.testsuite.EveryHub#hubs")
    void growingLetsWaitingSpawnersIn(String hub) {
        try (Scheduler s = Scheduler.open(hub)) {
            GreenPool pool = new GreenPool(1);
            Event<Void> evt = new Event<>();
            pool.spawn(evt::await);
            GreenThread<Void> spawner = Green.spawn(() -> {
                pool.spawn(() -> "second");
                return null;
            });
            Green.sleep();
            assertThat(pool.waiting()).isEqualTo(1);
            pool.resize(2);
            spawner.get();
            assertThat(pool.waiting()).isZero();
            evt.send(null);
            pool.waitAll();
            assertThat(pool.free()).isEqualTo(2);
        }
    }

    /** test_spawn_n_2: once the pool is exhausted, spawning waits (and so yields). */
    @ParameterizedTest
    @MethodSource("dev.greenhub.testsuite.EveryHub#hubs")
    void aFullPoolMakesSpawnWait(String hub) {
        try (Scheduler s = Scheduler.open(hub)) {
            GreenPool p = new GreenPool(2);
            assertThat(p.free()).isEqualTo(2);
            List<Integer> r = new ArrayList<>();
            GreenThread<Void> gt = p.spawn(() -> {
                r.add(1);
                return null;
            });
            assertThat(p.free()).isEqualTo(1);
            gt.get();
            assertThat(r).containsExactly(1);
            Green.sleep();
            assertThat(p.free()).isEqualTo(2);
            p.spawnN(() -> r.add(2));
            assertThat(p.free()).isEqualTo(1);
            assertThat(r).containsExactly(1);
            p.spawnN(() -> r.add(3));
            assertThat(p.free()).isZero();
            assertThat(r).containsExactly(1);
            p.spawnN(() -> r.add(4));
            assertThat(r).containsExactly(1, 2, 3);
            Green.sleep();
            assertThat(r).containsExactly(1, 2, 3, 4);
        }
    }

    /** test_exceptions: a failing task frees its slot. */
    @ParameterizedTest
    @MethodSource("dev.greenhub.testsuite.EveryHub#hubs")
    void aFailingTaskFreesItsSlot(String hub) {
        try (Scheduler s = Scheduler.open(hub)) {
            List<Throwable> reported = new ArrayList<>();
            s.setExceptionReporter((what, e) -> reported.add(e));
            GreenPool p = new GreenPool(2);
            IllegalStateException boom = new IllegalStateException("boom");
            GreenThread<Object> g = p.spawn(() -> {
                throw boom;
            });
            assertThat(p.free()).isEqualTo(1);
            p.waitAll();
            assertThat(p.free()).isEqualTo(2);
            assertThatThrownBy(g::get).isInstanceOf(GreenThreadException.class).hasCause(boom);
            p.spawnN(() -> {
                throw boom;
            });
            assertThat(p.free()).isEqualTo(1);
            p.waitAll();
            assertThat(p.free()).isEqualTo(2);
            assertThat(reported).containsExactly(boom, boom);
            GreenThread<Void> killed = p.spawn(() -> {
                Green.sleep(Duration.ofSeconds(10));
                return null;
            });
            Green.sleep();
            killed.kill();
            p.waitAll();
            assertThat(p.free()).isEqualTo(2);
        }
    }

    /** test_imap. */
    @ParameterizedTest
    @MethodSource("dev.greenhub.testsuite.EveryHub#hubs")
    void imapReturnsResultsInInputOrder(String hub) {
        try (Scheduler s = Scheduler.open(hub)) {
            GreenPool p = new GreenPool(4);
            Random random = new Random(3);
            List<Integer> out = new ArrayList<>();
            p.imap((Integer x) -> passthru(x, random), range(10)).forEachRemaining(out::add);
            assertThat(out).isEqualTo(range(10));
        }
    }

    /** imap keeps input order even when later tasks finish first. */
    @ParameterizedTest
    @MethodSource("dev.greenhub.testsuite.EveryHub#hubs")
    void imapPreservesOrderWithOutOfOrderCompletion(String hub) {
        try (Scheduler s = Scheduler.open(hub)) {
            GreenPool p = new GreenPool(8);
            List<Integer> finished = new ArrayList<>();
            List<Integer> out = new ArrayList<>();
            List<Event<Void>> done = IntStream.range(0, 9).mapToObj(i -> new Event<Void>()).toList();
            done.get(8).send(null);
            p.imap((Integer x) -> {
                done.get(x + 1).await(); // each finishes after the one behind it: 7 first, 0 last
                finished.add(x);
                done.get(x).send(null);
                return x * 10;
            }, range(8)).forEachRemaining(out::add);
            assertThat(out).containsExactly(0, 10, 20, 30, 40, 50, 60, 70);
            assertThat(finished).containsExactly(7, 6, 5, 4, 3, 2, 1, 0);
        }
    }

    /** test_empty_imap. */
    @ParameterizedTest
    @MethodSource("dev.greenhub.testsuite.EveryHub#hubs")
    void imapOfNothingIsEmpty(String hub) {
        try (Scheduler s = Scheduler.open(hub)) {
            GreenPool p = new GreenPool(4);
            GreenPool.Results<Integer> it = p.imap((Integer x) -> x, List.of());
            assertThat(it.hasNext()).isFalse();
            assertThatThrownBy(it::next).isInstanceOf(NoSuchElementException.class);
        }
    }

    /** test_imap_raises: a failed item is reported at its position and iteration goes on. */
    @ParameterizedTest
    @MethodSource("dev.greenhub.testsuite.EveryHub#hubs")
    void imapReportsFailuresInPlace(String hub) {
        try (Scheduler s = Scheduler.open(hub)) {
            s.setExceptionReporter((what, e) -> { });
            GreenPool p = new GreenPool(4);
            Iterator<Object> it = p.imap((Integer x) -> {
                if (x == 1 || x == 7) {
                    throw new IllegalStateException("intentional error");
                }
                return x;
            }, range(10));
            List<Object> results = new ArrayList<>();
            while (it.hasNext()) {
                try {
                    results.add(it.next());
                } catch (GreenThreadException e) {
                    assertThat(e).hasRootCauseMessage("intentional error");
                    results.add("r");
                }
            }
            assertThat(results).containsExactly(0, "r", 2, 3, 4, 5, 6, "r", 8, 9);
        }
    }

    /** imap is lazy: an endless input is read only a pool's size ahead, and close stops it. */
    @ParameterizedTest
    @MethodSource("dev.greenhub.testsuite.EveryHub#hubs")
    void imapReadsTheInputLazily(String hub) {
        try (Scheduler s = Scheduler.open(hub)) {
            GreenPool p = new GreenPool(3);
            AtomicInteger read = new AtomicInteger();
            Iterable<Integer> endless = () -> new Iterator<>() {
                @Override
                public boolean hasNext() {
                    return true;
                }

                @Override
                public Integer next() {
                    return read.getAndIncrement();
                }
            };
            List<Integer> out = new ArrayList<>();
            try (GreenPool.Results<Integer> it = p.imap((Integer x) -> x + 1, endless)) {
                for (int i = 0; i < 20; i++) {
                    out.add(it.next());
                }
                Green.sleep(Duration.ofMillis(5));
                assertThat(read.get()).isLessThanOrEqualTo(20 + 3 + 3 + 1);
            }
            int readAtClose = read.get();
            Green.sleep(Duration.ofMillis(5));
            assertThat(read.get()).isEqualTo(readAtClose);
            assertThat(out).isEqualTo(IntStream.rangeClosed(1, 20).boxed().toList());
            p.waitAll();
        }
    }

    /** test_waitall_on_nothing and test_recursive_waitall. */
    @ParameterizedTest
    @MethodSource("dev.greenhub.testsuite.EveryHub#hubs")
    void waitAllOnNothingAndFromInside(String hub) {
        try (Scheduler s = Scheduler.open(hub)) {
            GreenPool p = new GreenPool();
            p.waitAll();
            assertThat(p.waitAll(Duration.ZERO)).isTrue();
            assertThat(p.size()).isEqualTo(GreenPool.DEFAULT_SIZE);
            GreenThread<Void> gt = p.spawn(() -> {
                p.waitAll();
                return null;
            });
            s.setExceptionReporter((what, e) -> { });
            assertThatThrownBy(gt::get).isInstanceOf(GreenThreadException.class)
                    .cause().isInstanceOf(IllegalStateException.class).hasMessageContaining("would never return");
            Event<Void> never = new Event<>();
            GreenThread<Void> stuck = p.spawn(never::await);
            assertThat(p.waitAll(Duration.ofMillis(5))).isFalse();
            stuck.kill();
            assertThat(p.waitAll(Duration.ofSeconds(5))).isTrue();
        }
    }

    /** test_greenpool_type_check. */
    @ParameterizedTest
    @MethodSource("dev.greenhub.testsuite.EveryHub#hubs")
    void badSizesAreRefused(String hub) {
        try (Scheduler s = Scheduler.open(hub)) {
            assertThat(new GreenPool(1).size()).isEqualTo(1);
            assertThat(new GreenPool(0).size()).isZero(); // as eventlet: spawners wait until resize
            assertThatThrownBy(() -> new GreenPool(-1)).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageStartingWith("GreenPool size must not be negative: -1");
            assertThatThrownBy(() -> new GreenPool(3).resize(-1)).isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> new GreenPile<String>(-5)).isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> new GreenPool(2).waitAll(Duration.ofMillis(-1)))
                    .isInstanceOf(IllegalArgumentException.class);
        }
    }

    /** GreenPile test_pile. */
    @ParameterizedTest
    @MethodSource("dev.greenhub.testsuite.EveryHub#hubs")
    void pileIteratesResultsInSpawnOrder(String hub) {
        try (Scheduler s = Scheduler.open(hub)) {
            GreenPile<Integer> p = new GreenPile<>(4);
            Random random = new Random(5);
            for (int i = 0; i < 10; i++) {
                int n = i;
                p.spawn(() -> passthru(n, random));
            }
            List<Integer> out = new ArrayList<>();
            for (int x : p) {
                out.add(x);
            }
            assertThat(out).isEqualTo(range(10));
            assertThat(p.hasNext()).isFalse();
        }
    }

    /** GreenPile test_pile_spawn_times_out: a timed-out spawn leaves the pile consistent. */
    @ParameterizedTest
    @MethodSource("dev.greenhub.testsuite.EveryHub#hubs")
    void aTimedOutPileSpawnLeavesThePileConsistent(String hub) {
        try (Scheduler s = Scheduler.open(hub)) {
            GreenPile<Object> p = new GreenPile<>(4);
            Random random = new Random(9);
            for (int i = 0; i < 4; i++) {
                int n = i;
                p.spawn(() -> passthru(n, random));
            }
            Timeout t = Timeout.start(Duration.ZERO);
            try (t) {
                assertThatThrownBy(() -> p.spawn(() -> "time out")).isSameAs(t);
            }
            for (int i = 4; i < 10; i++) {
                int n = i;
                p.spawn(() -> passthru(n, random));
            }
            List<Object> out = new ArrayList<>();
            p.forEachRemaining(out::add);
            assertThat(out).isEqualTo(range(10));
        }
    }

    /** GreenPile test_empty_pile. */
    @ParameterizedTest
    @MethodSource("dev.greenhub.testsuite.EveryHub#hubs")
    void anEmptyPileHasNoResults(String hub) {
        try (Scheduler s = Scheduler.open(hub)) {
            GreenPile<Integer> p = new GreenPile<>(4);
            assertThat(p.hasNext()).isFalse();
            assertThatThrownBy(p::next).isInstanceOf(NoSuchElementException.class);
        }
    }

    /** GreenPile test_constructing_from_pool: two piles share a pool, spawned from elsewhere. */
    @ParameterizedTest
    @MethodSource("dev.greenhub.testsuite.EveryHub#hubs")
    void pilesSharingAPool(String hub) {
        try (Scheduler s = Scheduler.open(hub)) {
            GreenPool pool = new GreenPool(2);
            GreenPile<Integer> pile1 = new GreenPile<>(pool);
            GreenPile<Integer> pile2 = new GreenPile<>(pool);
            Random random = new Random(11);
            AtomicInteger maxRunning = new AtomicInteger();
            for (Object[] job : new Object[][] {{pile1, 0}, {pile2, 100}}) {
                @SuppressWarnings("unchecked")
                GreenPile<Integer> pile = (GreenPile<Integer>) job[0];
                int unique = (Integer) job[1];
                Green.spawn(() -> {
                    for (int i = 0; i < 10; i++) {
                        int n = i + unique;
                        pile.spawn(() -> {
                            maxRunning.accumulateAndGet(pool.running(), Math::max);
                            return passthru(n, random);
                        });
                    }
                    return null;
                });
            }
            Green.sleep();
            List<Integer> out2 = new ArrayList<>();
            pile2.forEachRemaining(out2::add);
            List<Integer> out1 = new ArrayList<>();
            pile1.forEachRemaining(out1::add);
            assertThat(out2).isEqualTo(IntStream.range(100, 110).boxed().toList());
            assertThat(out1).isEqualTo(range(10));
            assertThat(maxRunning.get()).isLessThanOrEqualTo(2);
            assertThat(pile1.pool()).isSameAs(pool);
        }
    }

    /** Stress spawn_order_check: piles are strictly ordered per producer, failures in place. */
    @ParameterizedTest
    @MethodSource("dev.greenhub.testsuite.EveryHub#hubs")
    void pileOrderUnderPressure(String hub) {
        try (Scheduler s = Scheduler.open(hub)) {
            s.setExceptionReporter((what, e) -> { });
            GreenPile<int[]> p = new GreenPile<>(5);
            Random random = new Random(0);
            int iters = 100;
            for (int producer = 1; producer <= 3; producer++) {
                int unique = producer;
                Green.spawn(() -> {
                    for (int i = 0; i < iters; i++) {
                        int[] token = {unique, i};
                        p.spawn(() -> {
                            passthru(null, random);
                            if (random.nextInt(5) == 0) {
                                throw new IllegalStateException(token[0] + ":" + token[1]);
                            }
                            return token;
                        });
                    }
                    return null;
                });
            }
            p.spawn(() -> new int[] {0, 0});
            int[] latest = {-1, -1, -1, -1};
            int received = 0;
            while (p.hasNext()) {
                int unique;
                int order;
                try {
                    int[] token = p.next();
                    unique = token[0];
                    order = token[1];
                } catch (GreenThreadException e) {
                    String[] parts = e.getCause().getMessage().split(":");
                    unique = Integer.parseInt(parts[0]);
                    order = Integer.parseInt(parts[1]);
                }
                received++;
                assertThat(order).isGreaterThan(latest[unique]);
                latest[unique] = order;
            }
            assertThat(received).isEqualTo(3 * iters + 1);
            assertThat(latest[1]).isEqualTo(iters - 1);
            assertThat(latest[2]).isEqualTo(iters - 1);
            assertThat(latest[3]).isEqualTo(iters - 1);
        }
    }
}
