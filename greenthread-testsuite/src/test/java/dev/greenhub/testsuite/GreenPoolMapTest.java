package dev.greenhub.testsuite;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.greenhub.Event;
import dev.greenhub.Green;
import dev.greenhub.GreenPool;
import dev.greenhub.GreenThread;
import dev.greenhub.ItemPool;
import dev.greenhub.Scheduler;
import java.time.Duration;
import java.util.AbstractMap;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * GreenPool's imap over several sources, starmap, zip and the pool of size 0, and ItemPool's
 * resize, on every hub; ported from eventlet's tests/greenpool_test.py (test_imap_multi_args,
 * test_starmap, test_greenpool_type_check's GreenPool(0), test_resize) and tests/pools_test.py
 * (test_resize).
 */
class GreenPoolMapTest {
    private static List<Integer> range(int from, int to) {
        return IntStream.range(from, to).boxed().toList();
    }

    // test_imap_multi_args: imap(passthru2, range(10), range(10, 20)) == zip(...)
    @ParameterizedTest
    @MethodSource("dev.greenhub.testsuite.EveryHub#hubs")
    void imapOverTwoSourcesPairsThemInOrder(String hub) {
        try (Scheduler s = Scheduler.open(hub)) {
            GreenPool p = new GreenPool(4);
            List<String> out = new ArrayList<>();
            p.imap((Integer a, Integer b) -> {
                Green.sleep(Duration.ofNanos((10 - a) * 100_000L)); // later inputs finish first
                return a + ":" + b;
            }, range(0, 10), range(10, 20)).forEachRemaining(out::add);
            assertThat(out).containsExactly("0:10", "1:11", "2:12", "3:13", "4:14", "5:15", "6:16", "7:17",
                    "8:18", "9:19");
            // the shorter source ends the iteration, as Python 3's zip
            List<Integer> sums = new ArrayList<>();
            p.imap((Integer a, String b) -> a + b.length(), range(0, 10), List.of("x", "yy", "zzz"))
                    .forEachRemaining(sums::add);
            assertThat(sums).containsExactly(1, 3, 5);
        }
    }

    // test_starmap: starmap(passthru, [(x,) for x in range(10)]) == range(10)
    @ParameterizedTest
    @MethodSource("dev.greenhub.testsuite.EveryHub#hubs")
    void starmapAppliesTheFunctionToEachArgumentList(String hub) {
        try (Scheduler s = Scheduler.open(hub)) {
            GreenPool p = new GreenPool(4);
            List<Object> out = new ArrayList<>();
            p.starmap(args -> args.get(0), range(0, 10).stream().map(List::of).toList()).forEachRemaining(out::add);
            assertThat(out).isEqualTo(new ArrayList<Object>(range(0, 10)));
            // three sources through zip
            List<Object> sums = new ArrayList<>();
            p.starmap(args -> (Integer) args.get(0) + (Integer) args.get(1) + (Integer) args.get(2),
                    GreenPool.zip(range(0, 5), range(10, 15), range(100, 200))).forEachRemaining(sums::add);
            assertThat(sums).containsExactly(110, 113, 116, 119, 122);
            // typed pairs
            List<Map.Entry<String, Integer>> pairs = List.of(new AbstractMap.SimpleEntry<>("a", 1),
                    new AbstractMap.SimpleEntry<>("b", 2));
            List<String> joined = new ArrayList<>();
            p.imap((Map.Entry<String, Integer> e) -> e.getKey().repeat(e.getValue()), pairs)
                    .forEachRemaining(joined::add);
            assertThat(joined).containsExactly("a", "bb");
        }
    }

    /** zip is lazy: an endless source is read only as far as the shortest one goes. */
    @ParameterizedTest
    @MethodSource("dev.greenhub.testsuite.EveryHub#hubs")
    void zipIsLazyAndRefusesNoSources(String hub) {
        try (Scheduler s = Scheduler.open(hub)) {
            AtomicInteger read = new AtomicInteger();
            Iterable<Integer> endless = () -> Stream.iterate(0, i -> i + 1).peek(i -> read.incrementAndGet()).iterator();
            List<Object> out = new ArrayList<>();
            new GreenPool(2).starmap(args -> args, GreenPool.zip(List.of("a", "b"), endless)).forEachRemaining(out::add);
            assertThat(out).containsExactly(List.of("a", 0), List.of("b", 1));
            assertThat(read.get()).isLessThanOrEqualTo(3);
            assertThatThrownBy(GreenPool::zip).isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("zip needs at least one source");
        }
    }

    // test_greenpool_type_check: GreenPool(0) is accepted; spawners wait until resize
    @ParameterizedTest
    @MethodSource("dev.greenhub.testsuite.EveryHub#hubs")
    void aPoolOfSizeZeroBlocksSpawnersUntilResized(String hub) {
        try (Scheduler s = Scheduler.open(hub)) {
            GreenPool p = new GreenPool(0);
            assertThat(p.size()).isZero();
            assertThat(p.free()).isZero();
            List<String> order = new ArrayList<>();
            GreenThread<Integer> spawner = Green.spawn(() -> {
                order.add("spawning");
                GreenThread<Integer> t = p.spawn(() -> 42);
                order.add("spawned");
                return t.get();
            });
            Green.sleep(Duration.ofMillis(20));
            assertThat(order).containsExactly("spawning");
            assertThat(p.waiting()).isEqualTo(1);
            assertThat(spawner.isDone()).isFalse();
            order.add("resize");
            p.resize(1);
            assertThat(spawner.get()).isEqualTo(42);
            assertThat(order).containsExactly("spawning", "resize", "spawned");
            // back to zero: the running ones finish, new spawns wait again
            p.resize(0);
            GreenThread<Integer> second = Green.spawn(() -> p.spawn(() -> 7).get());
            Green.sleep(Duration.ofMillis(20));
            assertThat(second.isDone()).isFalse();
            p.resize(2);
            assertThat(second.get()).isEqualTo(7);
            assertThatThrownBy(() -> new GreenPool(-1)).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageStartingWith("GreenPool size must not be negative: -1");
            assertThatThrownBy(() -> p.resize(-1)).isInstanceOf(IllegalArgumentException.class);
        }
    }

    /** imap on a pool of size 0 waits for the resize too, then delivers everything in order. */
    @ParameterizedTest
    @MethodSource("dev.greenhub.testsuite.EveryHub#hubs")
    void imapOnAPoolOfSizeZeroStartsAtTheResize(String hub) {
        try (Scheduler s = Scheduler.open(hub)) {
            GreenPool p = new GreenPool(0);
            Event<Void> resized = new Event<>();
            Green.spawn(() -> {
                Green.sleep(Duration.ofMillis(10));
                p.resize(3);
                resized.send(null);
                return null;
            });
            List<Integer> out = new ArrayList<>();
            p.imap((Integer x) -> x * 2, range(0, 6)).forEachRemaining(out::add);
            assertThat(resized.isReady()).isTrue();
            assertThat(out).containsExactly(0, 2, 4, 6, 8, 10);
        }
    }

    // pools_test test_resize: excess items put back are dropped; growing frees more
    @ParameterizedTest
    @MethodSource("dev.greenhub.testsuite.EveryHub#hubs")
    void itemPoolResize(String hub) {
        try (Scheduler s = Scheduler.open(hub)) {
            AtomicInteger next = new AtomicInteger();
            ItemPool<Integer> pool = new ItemPool<>(2, next::getAndIncrement);
            Integer a = pool.get();
            Integer b = pool.get();
            assertThat(pool.free()).isZero();
            assertThat(pool.resize(1)).isEmpty(); // nothing free to drop now
            assertThat(pool.put(a)).isFalse();    // dropped: two existed, the maximum is one
            assertThat(pool.put(b)).isTrue();
            assertThat(pool.free()).isEqualTo(1);
            assertThat(pool.size()).isEqualTo(1);
            assertThat(pool.maxSize()).isEqualTo(1);
            pool.resize(2);
            assertThat(pool.free()).isEqualTo(2);
            // shrinking drops free items at once, and hands them back to close
            Integer c = pool.get();
            Integer d = pool.get();
            assertThat(List.of(c, d)).contains(b);
            pool.put(c);
            pool.put(d);
            assertThat(pool.size()).isEqualTo(2);
            List<Integer> dropped = pool.resize(0);
            assertThat(dropped).hasSize(2).containsExactlyInAnyOrder(c, d);
            assertThat(pool.size()).isZero();
            assertThat(pool.free()).isZero();
            assertThat(pool.get(Duration.ofMillis(10))).isEmpty();
            assertThatThrownBy(() -> pool.resize(-1)).isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("maxSize must not be negative: -1");
        }
    }

    /** Growing lets a getter that waits on a full pool in at once. */
    @ParameterizedTest
    @MethodSource("dev.greenhub.testsuite.EveryHub#hubs")
    void itemPoolGrowingServesAWaitingGetter(String hub) {
        try (Scheduler s = Scheduler.open(hub)) {
            AtomicInteger next = new AtomicInteger();
            ItemPool<Integer> pool = new ItemPool<>(1, next::getAndIncrement);
            Integer first = pool.get();
            GreenThread<Integer> getter = Green.spawn(pool::get);
            Green.sleep();
            assertThat(pool.waiting()).isEqualTo(1);
            pool.resize(2);
            assertThat(getter.get()).isEqualTo(1); // a new item, created for it
            assertThat(first).isZero();
            // shrinking while a getter waits: the next put is dropped, the getter waits for the one after
            pool.resize(1);
            GreenThread<Integer> late = Green.spawn(pool::get);
            Green.sleep();
            assertThat(pool.put(first)).isFalse();
            Green.sleep();
            assertThat(late.isDone()).isFalse();
            assertThat(pool.put(1)).isTrue();
            assertThat(late.get()).isEqualTo(1);
        }
    }
}
