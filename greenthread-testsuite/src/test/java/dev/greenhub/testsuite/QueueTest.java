package dev.greenhub.testsuite;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.greenhub.Event;
import dev.greenhub.Green;
import dev.greenhub.GreenQueue;
import dev.greenhub.GreenThread;
import dev.greenhub.Scheduler;
import dev.greenhub.Timeout;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.Random;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** GreenQueue, ported from eventlet's tests/queue_test.py, on every hub. */
class QueueTest {

    /** eventlet's do_bail: a getter that a zero Timeout ends. */
    private static String doBail(GreenQueue<String> q) {
        Timeout t = Timeout.start(Duration.ZERO);
        try (t) {
            return q.get();
        } catch (Timeout e) {
            if (e != t) {
                throw e;
            }
            return "timed out";
        }
    }

    private static Void run(Runnable r) {
        r.run();
        return null;
    }

    /** test_send_first. */
    @ParameterizedTest
    @MethodSource("dev.greenhub.testsuite.EveryHub#hubs")
    void putThenGet(String hub) {
        try (Scheduler s = Scheduler.open(hub)) {
            GreenQueue<String> q = new GreenQueue<>();
            q.put("hi");
            assertThat(q.size()).isEqualTo(1);
            assertThat(q.get()).isEqualTo("hi");
            assertThat(q.isEmpty()).isTrue();
            assertThat(q.isFull()).isFalse();
            assertThat(q.maxSize()).isEqualTo(OptionalInt.empty());
        }
    }

    /** test_send_last. */
    @ParameterizedTest
    @MethodSource("dev.greenhub.testsuite.EveryHub#hubs")
    void aWaitingGetterReceivesALaterPut(String hub) {
        try (Scheduler s = Scheduler.open(hub)) {
            GreenQueue<String> q = new GreenQueue<>();
            GreenThread<String> gt = Green.spawn(() -> Green.withTimeout(Duration.ofSeconds(10), q::get));
            Green.sleep();
            Green.sleep();
            assertThat(q.getting()).isEqualTo(1);
            q.put("hi2");
            assertThat(gt.get()).isEqualTo("hi2");
        }
    }

    /** test_max_size: a bounded queue makes the third put wait. */
    @ParameterizedTest
    @MethodSource("dev.greenhub.testsuite.EveryHub#hubs")
    void aBoundedQueueMakesPutWait(String hub) {
        try (Scheduler s = Scheduler.open(hub)) {
            GreenQueue<String> q = new GreenQueue<>(2);
            List<String> results = new ArrayList<>();
            GreenThread<Void> gt = Green.spawn(() -> run(() -> {
                for (String x : List.of("a", "b", "c")) {
                    q.put(x);
                    results.add(x);
                }
            }));
            Green.sleep();
            assertThat(results).containsExactly("a", "b");
            assertThat(q.isFull()).isTrue();
            assertThat(q.putting()).isEqualTo(1);
            assertThat(q.get()).isEqualTo("a");
            Green.sleep();
            assertThat(results).containsExactly("a", "b", "c");
            assertThat(q.get()).isEqualTo("b");
            assertThat(q.get()).isEqualTo("c");
            gt.get();
        }
    }

    /** test_zero_max_size: a channel's put waits for a getter. */
    @ParameterizedTest
    @MethodSource("dev.greenhub.testsuite.EveryHub#hubs")
    void aChannelPutWaitsForAGetter(String hub) {
        try (Scheduler s = Scheduler.open(hub)) {
            GreenQueue<String> q = new GreenQueue<>(0);
            Event<String> evt = new Event<>();
            GreenThread<Void> sender = Green.spawn(() -> run(() -> {
                q.put("hi");
                evt.send("done");
            }));
            Green.sleep();
            assertThat(evt.isReady()).isFalse();
            assertThat(q.isEmpty()).isTrue();
            assertThat(q.isFull()).isTrue();
            GreenThread<String> receiver = Green.spawn(q::get);
            assertThat(receiver.get()).isEqualTo("hi");
            assertThat(evt.await()).isEqualTo("done");
            sender.get();
        }
    }

    /** test_resize_up. */
    @ParameterizedTest
    @MethodSource("dev.greenhub.testsuite.EveryHub#hubs")
    void growingAChannelLetsThePutterIn(String hub) {
        try (Scheduler s = Scheduler.open(hub)) {
            GreenQueue<String> q = new GreenQueue<>(0);
            Event<String> evt = new Event<>();
            GreenThread<Void> sender = Green.spawn(() -> run(() -> {
                q.put("hi");
                evt.send("done");
            }));
            Green.sleep();
            assertThat(evt.isReady()).isFalse();
            q.resize(1);
            Green.sleep();
            assertThat(evt.isReady()).isTrue();
            assertThat(q.size()).isEqualTo(1);
            sender.get();
            assertThat(q.get()).isEqualTo("hi");
        }
    }

    /** test_resize_down: shrinking keeps the queued items. */
    @ParameterizedTest
    @MethodSource("dev.greenhub.testsuite.EveryHub#hubs")
    void shrinkingKeepsTheItems(String hub) {
        try (Scheduler s = Scheduler.open(hub)) {
            GreenQueue<Integer> q = new GreenQueue<>(5);
            for (int i = 0; i < 5; i++) {
                q.put(i);
            }
            q.resize(1);
            Green.sleep();
            assertThat(q.size()).isEqualTo(5);
            assertThat(q.isFull()).isTrue();
            assertThat(q.offer(99)).isFalse();
            List<Integer> out = new ArrayList<>();
            Integer x;
            while ((x = q.poll()) != null) {
                out.add(x);
            }
            assertThat(out).containsExactly(0, 1, 2, 3, 4);
            assertThat(q.maxSize()).isEqualTo(OptionalInt.of(1));
        }
    }

    /** test_resize_to_Unlimited. */
    @ParameterizedTest
    @MethodSource("dev.greenhub.testsuite.EveryHub#hubs")
    void resizingToUnboundedLetsThePutterIn(String hub) {
        try (Scheduler s = Scheduler.open(hub)) {
            GreenQueue<String> q = new GreenQueue<>(0);
            Event<String> evt = new Event<>();
            GreenThread<Void> sender = Green.spawn(() -> run(() -> {
                q.put("hi");
                evt.send("done");
            }));
            Green.sleep();
            assertThat(evt.isReady()).isFalse();
            q.resizeUnbounded();
            Green.sleep();
            assertThat(evt.isReady()).isTrue();
            assertThat(q.isFull()).isFalse();
            assertThat(q.maxSize()).isEmpty();
            sender.get();
        }
    }

    /** test_multiple_waiters; greenhub also serves the getters in FIFO order. */
    @ParameterizedTest
    @MethodSource("dev.greenhub.testsuite.EveryHub#hubs")
    void waitingGettersAreServedInFifoOrder(String hub) {
        try (Scheduler s = Scheduler.open(hub)) {
            GreenQueue<String> q = new GreenQueue<>();
            List<GreenThread<String>> gts = new ArrayList<>();
            for (int i = 0; i < 4; i++) {
                gts.add(Green.spawn(q::get));
                Green.sleep();
            }
            Green.sleep(Duration.ofMillis(10));
            assertThat(q.getting()).isEqualTo(4);
            for (String x : List.of("1", "2", "3", "4")) {
                q.put(x);
            }
            List<String> results = new ArrayList<>();
            for (GreenThread<String> gt : gts) {
                results.add(gt.get());
            }
            assertThat(results).containsExactly("1", "2", "3", "4");
        }
    }

    /** test_waiters_that_cancel. */
    @ParameterizedTest
    @MethodSource("dev.greenhub.testsuite.EveryHub#hubs")
    void aGetterThatBailsOutLeavesTheQueueUsable(String hub) {
        try (Scheduler s = Scheduler.open(hub)) {
            GreenQueue<String> q = new GreenQueue<>();
            GreenThread<String> gt = Green.spawn(() -> doBail(q));
            assertThat(gt.get()).isEqualTo("timed out");
            assertThat(q.getting()).isZero();
            q.put("hi");
            assertThat(q.get()).isEqualTo("hi");
        }
    }

    /** test_getting_before_sending. */
    @ParameterizedTest
    @MethodSource("dev.greenhub.testsuite.EveryHub#hubs")
    void getBeforePut(String hub) {
        try (Scheduler s = Scheduler.open(hub)) {
            GreenQueue<String> q = new GreenQueue<>();
            GreenThread<Void> gt = Green.spawn(() -> run(() -> q.put("sent")));
            assertThat(q.get()).isEqualTo("sent");
            gt.get();
        }
    }

    /** test_two_waiters_one_dies: the item handed to the dying getter reaches the other one. */
    @ParameterizedTest
    @MethodSource("dev.greenhub.testsuite.EveryHub#hubs")
    void anItemHandedToADyingGetterReachesTheNextOne(String hub) {
        try (Scheduler s = Scheduler.open(hub)) {
            GreenQueue<String> q = new GreenQueue<>();
            GreenThread<String> dying = Green.spawn(() -> doBail(q));
            GreenThread<String> waiting = Green.spawn(q::get);
            Green.sleep();
            q.put("hi");
            assertThat(dying.get()).isEqualTo("timed out");
            assertThat(waiting.get()).isEqualTo("hi");
            assertThat(q.size()).isZero();
        }
    }

    /** test_two_bogus_waiters: nobody swallows the item. */
    @ParameterizedTest
    @MethodSource("dev.greenhub.testsuite.EveryHub#hubs")
    void gettersThatTimeOutDoNotSwallowTheItem(String hub) {
        try (Scheduler s = Scheduler.open(hub)) {
            GreenQueue<String> q = new GreenQueue<>();
            GreenThread<String> gt1 = Green.spawn(() -> doBail(q));
            GreenThread<String> gt2 = Green.spawn(() -> doBail(q));
            Green.sleep();
            q.put("sent");
            assertThat(gt1.get()).isEqualTo("timed out");
            assertThat(gt2.get()).isEqualTo("timed out");
            assertThat(q.get()).isEqualTo("sent");
        }
    }

    /** A timed get whose deadline passed just as an item was handed to it returns the item. */
    @ParameterizedTest
    @MethodSource("dev.greenhub.testsuite.EveryHub#hubs")
    void aTimedGetHandedAnItemAtItsDeadlineReturnsIt(String hub) {
        try (Scheduler s = Scheduler.open(hub)) {
            GreenQueue<String> q = new GreenQueue<>();
            GreenThread<String> getter = Green.spawn(() -> {
                try {
                    return q.get(Duration.ofMillis(5));
                } catch (TimeoutException e) {
                    return "timed out";
                }
            });
            Green.sleep();
            long until = System.nanoTime() + 20_000_000L;
            while (System.nanoTime() < until) {
                Thread.onSpinWait(); // the getter's deadline passes while the loop cannot run
            }
            q.put("x");
            assertThat(getter.get()).isEqualTo("x");
            assertThat(q.poll()).isNull();
            GreenThread<String> late = Green.spawn(() -> {
                try {
                    return q.get(Duration.ofMillis(5));
                } catch (TimeoutException e) {
                    return "timed out";
                }
            });
            assertThat(late.get()).isEqualTo("timed out");
        }
    }

    /** A getter killed after an item was handed to it puts the item back at the head. */
    @ParameterizedTest
    @MethodSource("dev.greenhub.testsuite.EveryHub#hubs")
    void aKilledGetterPutsItsItemBackAtTheHead(String hub) {
        try (Scheduler s = Scheduler.open(hub)) {
            GreenQueue<String> q = new GreenQueue<>();
            GreenThread<String> getter = Green.spawn(q::get);
            Green.sleep();
            q.put("a"); // handed to the getter, which has not resumed
            q.put("b");
            getter.kill();
            assertThat(getter.isDone()).isTrue();
            assertThat(q.size()).isEqualTo(2);
            assertThat(q.get()).isEqualTo("a");
            assertThat(q.get()).isEqualTo("b");
        }
    }

    /** test_waiting. */
    @ParameterizedTest
    @MethodSource("dev.greenhub.testsuite.EveryHub#hubs")
    void gettingCountsWaitingGetters(String hub) {
        try (Scheduler s = Scheduler.open(hub)) {
            GreenQueue<String> q = new GreenQueue<>();
            GreenThread<String> gt1 = Green.spawn(q::get);
            Green.sleep();
            assertThat(q.getting()).isEqualTo(1);
            q.put("hi");
            Green.sleep();
            assertThat(q.getting()).isZero();
            assertThat(gt1.get()).isEqualTo("hi");
            assertThat(q.getting()).isZero();
        }
    }

    /** test_channel_send: the getter runs before the putter goes on. */
    @ParameterizedTest
    @MethodSource("dev.greenhub.testsuite.EveryHub#hubs")
    void channelSend(String hub) {
        try (Scheduler s = Scheduler.open(hub)) {
            GreenQueue<String> channel = new GreenQueue<>(0);
            List<String> events = new ArrayList<>();
            GreenThread<Void> other = Green.spawn(() -> run(() -> {
                events.add(channel.get());
                events.add(channel.get());
            }));
            events.add("sending");
            channel.put("hello");
            events.add("sent hello");
            channel.put("world");
            events.add("sent world");
            assertThat(events).containsExactly("sending", "hello", "sent hello", "world", "sent world");
            other.get();
        }
    }

    /** test_channel_wait. */
    @ParameterizedTest
    @MethodSource("dev.greenhub.testsuite.EveryHub#hubs")
    void channelWait(String hub) {
        try (Scheduler s = Scheduler.open(hub)) {
            GreenQueue<String> channel = new GreenQueue<>(0);
            List<String> events = new ArrayList<>();
            GreenThread<Void> other = Green.spawn(() -> run(() -> {
                events.add("sending hello");
                channel.put("hello");
                events.add("sending world");
                channel.put("world");
                events.add("sent world");
            }));
            events.add("waiting");
            events.add(channel.get());
            events.add(channel.get());
            assertThat(events).containsExactly("waiting", "sending hello", "hello", "sending world", "world");
            Green.sleep();
            assertThat(events).containsExactly("waiting", "sending hello", "hello", "sending world", "world",
                    "sent world");
            other.get();
        }
    }

    /** test_channel_waiters: each item goes to exactly one getter, in FIFO order. */
    @ParameterizedTest
    @MethodSource("dev.greenhub.testsuite.EveryHub#hubs")
    void channelHandsEachItemToExactlyOneGetter(String hub) {
        try (Scheduler s = Scheduler.open(hub)) {
            GreenQueue<Integer> c = new GreenQueue<>(0);
            List<GreenThread<Integer>> getters = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                getters.add(Green.spawn(c::get));
            }
            Green.sleep();
            assertThat(c.getting()).isEqualTo(3);
            List<GreenThread<Void>> senders = new ArrayList<>();
            for (int i = 1; i <= 3; i++) {
                int n = i;
                senders.add(Green.spawn(() -> run(() -> c.put(n))));
            }
            senders.forEach(GreenThread::get);
            assertThat(c.getting()).isZero();
            List<Integer> results = new ArrayList<>();
            for (GreenThread<Integer> g : getters) {
                results.add(g.get());
            }
            assertThat(results).containsExactly(1, 2, 3);
            assertThat(c.poll()).isNull();
        }
    }

    /** A many-to-many channel: every item received exactly once, each sender's items in order. */
    @ParameterizedTest
    @MethodSource("dev.greenhub.testsuite.EveryHub#hubs")
    void itemsAreNeverLostOrDuplicated(String hub) {
        for (int maxSize : new int[] {0, 3}) {
            try (Scheduler s = Scheduler.open(hub)) {
                GreenQueue<Integer> q = new GreenQueue<>(maxSize);
                Random random = new Random(maxSize);
                List<GreenThread<Void>> senders = new ArrayList<>();
                for (int sender = 0; sender < 4; sender++) {
                    int base = sender * 1000;
                    senders.add(Green.spawn(() -> run(() -> {
                        for (int i = 0; i < 50; i++) {
                            q.put(base + i);
                            if (random.nextInt(4) == 0) {
                                Green.sleep();
                            }
                        }
                    })));
                }
                List<GreenThread<List<Integer>>> receivers = new ArrayList<>();
                for (int r = 0; r < 3; r++) {
                    receivers.add(Green.spawn(() -> {
                        List<Integer> got = new ArrayList<>();
                        while (true) {
                            int x = q.get();
                            if (x < 0) {
                                return got;
                            }
                            got.add(x);
                            if (random.nextInt(3) == 0) {
                                Green.sleep();
                            }
                        }
                    }));
                }
                senders.forEach(GreenThread::get);
                for (int r = 0; r < 3; r++) {
                    q.put(-1);
                }
                Map<Integer, Integer> seen = new HashMap<>();
                for (GreenThread<List<Integer>> r : receivers) {
                    int[] last = {-1, -1, -1, -1};
                    for (int x : r.get()) {
                        seen.merge(x, 1, Integer::sum);
                        assertThat(x % 1000).as("order from sender %d", x / 1000).isGreaterThan(last[x / 1000]);
                        last[x / 1000] = x % 1000;
                    }
                }
                assertThat(seen).hasSize(200).allSatisfy((k, v) -> assertThat(v).isEqualTo(1));
                assertThat(q.size()).isZero();
            }
        }
    }

    /** Waiting putters are let in in FIFO order. */
    @ParameterizedTest
    @MethodSource("dev.greenhub.testsuite.EveryHub#hubs")
    void waitingPuttersAreServedInFifoOrder(String hub) {
        try (Scheduler s = Scheduler.open(hub)) {
            GreenQueue<String> q = new GreenQueue<>(1);
            q.put("first");
            List<GreenThread<Void>> putters = new ArrayList<>();
            for (String x : List.of("p1", "p2", "p3")) {
                putters.add(Green.spawn(() -> run(() -> q.put(x))));
                Green.sleep();
            }
            assertThat(q.putting()).isEqualTo(3);
            assertThat(q.offer("newcomer")).isFalse();
            List<String> out = new ArrayList<>();
            for (int i = 0; i < 4; i++) {
                out.add(q.get());
            }
            assertThat(out).containsExactly("first", "p1", "p2", "p3");
            putters.forEach(GreenThread::get);
        }
    }

    /** test_channel_sender_timing_out. */
    @ParameterizedTest
    @MethodSource("dev.greenhub.testsuite.EveryHub#hubs")
    void aChannelPutTimesOutWithoutAGetter(String hub) {
        try (Scheduler s = Scheduler.open(hub)) {
            GreenQueue<String> c = new GreenQueue<>(0);
            long start = System.nanoTime();
            assertThatThrownBy(() -> c.put("hi", Duration.ofMillis(5))).isInstanceOf(TimeoutException.class)
                    .hasMessageContaining("full");
            assertThat(System.nanoTime() - start).isGreaterThanOrEqualTo(5_000_000L);
            assertThat(c.poll()).isNull();
            assertThat(c.putting()).isZero();
            assertThat(c.unfinishedTasks()).isZero();
            assertThatThrownBy(() -> c.get(Duration.ofMillis(5))).isInstanceOf(TimeoutException.class)
                    .hasMessageContaining("empty");
        }
    }

    /** test_task_done and test_join_doesnt_block_when_queue_is_already_empty. */
    @ParameterizedTest
    @MethodSource("dev.greenhub.testsuite.EveryHub#hubs")
    void taskDoneCountsDownToJoin(String hub) {
        try (Scheduler s = Scheduler.open(hub)) {
            GreenQueue<Object> channel = new GreenQueue<>(0);
            channel.join();
            Object x = new Object();
            GreenThread<Void> gt = Green.spawn(() -> run(() -> channel.put(x)));
            assertThat(channel.get()).isSameAs(x);
            assertThat(channel.unfinishedTasks()).isEqualTo(1);
            assertThat(channel.join(Duration.ofMillis(5))).isFalse();
            channel.taskDone();
            assertThat(channel.unfinishedTasks()).isZero();
            assertThat(channel.join(Duration.ZERO)).isTrue();
            assertThatThrownBy(channel::taskDone).isInstanceOf(IllegalStateException.class)
                    .hasMessage("taskDone() called more times than items were put");
            gt.get();
        }
    }

    /** join() waits for the workers' taskDone calls. */
    @ParameterizedTest
    @MethodSource("dev.greenhub.testsuite.EveryHub#hubs")
    void joinWaitsForEveryTask(String hub) {
        try (Scheduler s = Scheduler.open(hub)) {
            GreenQueue<Integer> q = new GreenQueue<>();
            List<Integer> processed = new ArrayList<>();
            for (int w = 0; w < 2; w++) {
                Green.spawnN(() -> {
                    while (true) {
                        int x = q.get();
                        Green.sleep(Duration.ofMillis(1));
                        processed.add(x);
                        q.taskDone();
                    }
                });
            }
            for (int i = 0; i < 10; i++) {
                q.put(i);
            }
            q.join();
            assertThat(processed).containsExactlyInAnyOrder(0, 1, 2, 3, 4, 5, 6, 7, 8, 9);
            assertThat(q.unfinishedTasks()).isZero();
        }
    }

    /** test_zero_length_queue_nonblocking_put: killed channel getters take nothing. */
    @ParameterizedTest
    @MethodSource("dev.greenhub.testsuite.EveryHub#hubs")
    void killedChannelGettersTakeNothing(String hub) {
        try (Scheduler s = Scheduler.open(hub)) {
            s.setExceptionReporter((what, e) -> { });
            GreenQueue<Integer> q = new GreenQueue<>(0);
            List<Integer> got = new ArrayList<>();
            List<GreenThread<Void>> good = new ArrayList<>();
            List<GreenThread<Void>> bad = new ArrayList<>();
            for (int i = 0; i < 10; i++) {
                good.add(Green.spawn(() -> run(() -> got.add(q.get()))));
                bad.add(Green.spawn(() -> run(() -> got.add(-q.get() - 100))));
            }
            Green.sleep();
            assertThat(q.getting()).isEqualTo(20);
            for (GreenThread<Void> b : bad) {
                b.kill(new IllegalStateException("kaboom"));
            }
            assertThat(q.getting()).isEqualTo(10);
            for (int i = 0; i < 10; i++) {
                q.put(i);
            }
            good.forEach(GreenThread::get);
            assertThat(got).containsExactly(0, 1, 2, 3, 4, 5, 6, 7, 8, 9);
            assertThat(bad).allMatch(GreenThread::isDone);
        }
    }

    /** test_put_nowait_simple and test_get_nowait_simple. */
    @ParameterizedTest
    @MethodSource("dev.greenhub.testsuite.EveryHub#hubs")
    void offerAndPollNeverWait(String hub) {
        try (Scheduler s = Scheduler.open(hub)) {
            GreenQueue<Integer> q = new GreenQueue<>(1);
            assertThat(q.offer(2)).isTrue();
            assertThat(q.offer(3)).isFalse();
            assertThat(q.poll()).isEqualTo(2);
            assertThat(q.poll()).isNull();
            GreenQueue<Integer> channel = new GreenQueue<>(0);
            assertThat(channel.offer(1)).isFalse();
            GreenThread<Integer> getter = Green.spawn(channel::get);
            Green.sleep();
            assertThat(channel.offer(10)).isTrue(); // test_put_nowait_unlock
            assertThat(getter.get()).isEqualTo(10);
            GreenThread<Void> putter = Green.spawn(() -> run(() -> channel.put(5)));
            Green.sleep();
            assertThat(channel.poll()).isEqualTo(5); // test_get_nowait_unlock
            putter.get();
            assertThat(channel.isEmpty()).isTrue();
        }
    }

    @ParameterizedTest
    @MethodSource("dev.greenhub.testsuite.EveryHub#hubs")
    void lifoQueueReturnsTheNewestFirst(String hub) {
        try (Scheduler s = Scheduler.open(hub)) {
            GreenQueue<Integer> q = GreenQueue.lifo();
            for (int i = 0; i < 5; i++) {
                q.put(i);
            }
            List<Integer> out = new ArrayList<>();
            for (int i = 0; i < 5; i++) {
                out.add(q.get());
            }
            assertThat(out).containsExactly(4, 3, 2, 1, 0);
            GreenQueue<Integer> bounded = GreenQueue.lifo(2);
            bounded.put(1);
            bounded.put(2);
            assertThat(bounded.offer(3)).isFalse();
            assertThat(bounded.get()).isEqualTo(2);
        }
    }

    @ParameterizedTest
    @MethodSource("dev.greenhub.testsuite.EveryHub#hubs")
    void priorityQueueReturnsTheLowestFirstAndFifoAmongEquals(String hub) {
        try (Scheduler s = Scheduler.open(hub)) {
            GreenQueue<Integer> q = GreenQueue.priority();
            for (int x : new int[] {5, 1, 4, 2, 3}) {
                q.put(x);
            }
            List<Integer> out = new ArrayList<>();
            for (int i = 0; i < 5; i++) {
                out.add(q.get());
            }
            assertThat(out).containsExactly(1, 2, 3, 4, 5);
            GreenQueue<String> byLength = GreenQueue.priority(3, Comparator.comparingInt(String::length));
            for (String x : List.of("ccc", "a1", "b", "a2")) {
                if (!byLength.offer(x)) {
                    assertThat(x).isEqualTo("a2");
                }
            }
            assertThat(byLength.get()).isEqualTo("b");
            byLength.put("a2");
            assertThat(byLength.get()).isEqualTo("a1");
            assertThat(byLength.get()).isEqualTo("a2");
            assertThat(byLength.get()).isEqualTo("ccc");
        }
    }

    @ParameterizedTest
    @MethodSource("dev.greenhub.testsuite.EveryHub#hubs")
    void badInputIsRefused(String hub) {
        try (Scheduler s = Scheduler.open(hub)) {
            assertThatThrownBy(() -> new GreenQueue<String>(-1)).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageStartingWith("queue maxSize must not be negative: -1");
            assertThatThrownBy(() -> GreenQueue.lifo(-2)).isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> GreenQueue.priority(-2)).isInstanceOf(IllegalArgumentException.class);
            GreenQueue<String> q = new GreenQueue<>(2);
            assertThatThrownBy(() -> q.resize(-1)).isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> q.put(null)).isInstanceOf(NullPointerException.class)
                    .hasMessage("queue items must not be null");
            assertThatThrownBy(() -> q.get(Duration.ofMillis(-1))).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("timeout must not be negative");
            assertThatThrownBy(() -> q.put("x", Duration.ofMillis(-1))).isInstanceOf(IllegalArgumentException.class);
            assertThat(q.size()).isZero();
            assertThat(q.unfinishedTasks()).isZero();
        }
    }

    /** A platform thread with its own scheduler feeds green threads of another one. */
    @ParameterizedTest
    @MethodSource("dev.greenhub.testsuite.EveryHub#hubs")
    void threadsOfTwoSchedulersShareAQueue(String hub) throws Exception {
        try (Scheduler s = Scheduler.open(hub)) {
            GreenQueue<Integer> q = new GreenQueue<>(2);
            List<Throwable> failures = new ArrayList<>();
            Thread producer = new Thread(() -> {
                try (Scheduler other = Scheduler.open(hub)) {
                    for (int i = 0; i < 20; i++) {
                        q.put(i);
                    }
                    q.put(-1);
                } catch (Throwable e) {
                    synchronized (failures) {
                        failures.add(e);
                    }
                }
            });
            producer.start();
            GreenThread<List<Integer>> consumer = Green.spawn(() -> {
                List<Integer> got = new ArrayList<>();
                int x;
                while ((x = q.get()) >= 0) {
                    got.add(x);
                }
                return got;
            });
            assertThat(consumer.get(Duration.ofSeconds(20))).hasSize(20).isSorted();
            producer.join(20_000);
            assertThat(producer.isAlive()).isFalse();
            synchronized (failures) {
                assertThat(failures).isEmpty();
            }
        }
    }
}
