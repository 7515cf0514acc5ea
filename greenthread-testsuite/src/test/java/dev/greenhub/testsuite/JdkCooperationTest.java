package dev.greenhub.testsuite;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.greenhub.Event;
import dev.greenhub.Green;
import dev.greenhub.GreenThread;
import dev.greenhub.GreenThreadException;
import dev.greenhub.GreenletExit;
import dev.greenhub.Scheduler;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.locks.ReentrantLock;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The JDK cooperates (issue 3, item 6): while one green thread blocks in a JDK call, the other
 * green threads of its hub keep running; and a kill interrupts the blocked call. On every hub.
 */
class JdkCooperationTest {
    private static final Duration BOUND = Duration.ofSeconds(20);

    /** Five 1 ms sleeps by another green thread complete while {@code blocker} is still blocked. */
    private static void othersKeepRunningWhileBlocked(GreenThread<?> blocker) throws Exception {
        GreenThread<Integer> ticker = Green.spawn(() -> {
            int ticks = 0;
            for (int i = 0; i < 5; i++) {
                Green.sleep(Duration.ofMillis(1));
                ticks++;
            }
            return ticks;
        });
        assertThat(ticker.get(BOUND)).isEqualTo(5);
        assertThat(blocker.isStarted()).isTrue();
        assertThat(blocker.isDone()).as("the blocker is still blocked").isFalse();
    }

    private static void assertKilledOutOf(GreenThread<?> blocker, Class<? extends Throwable> jdkException) {
        assertThatThrownBy(() -> blocker.get(BOUND)).isInstanceOf(GreenThreadException.class)
                .cause().isInstanceOf(GreenletExit.class)
                .satisfies(exit -> assertThat(Arrays.asList(exit.getSuppressed()))
                        .anySatisfy(s -> assertThat(s).isInstanceOf(jdkException)));
    }

    @ParameterizedTest
    @MethodSource("dev.greenhub.testsuite.EveryHub#hubs")
    void threadSleep(String hub) throws Exception {
        try (Scheduler s = Scheduler.open(hub)) {
            GreenThread<String> sleeper = Green.spawn(() -> {
                Thread.sleep(100);
                return "slept";
            });
            Green.sleep();
            othersKeepRunningWhileBlocked(sleeper);
            assertThat(sleeper.get(BOUND)).isEqualTo("slept");

            GreenThread<String> longSleeper = Green.spawn(() -> {
                Thread.sleep(30_000);
                return "slept";
            });
            Green.sleep();
            longSleeper.kill();
            assertKilledOutOf(longSleeper, InterruptedException.class);
        }
    }

    @ParameterizedTest
    @MethodSource("dev.greenhub.testsuite.EveryHub#hubs")
    void contendedSynchronized(String hub) throws Exception {
        try (Scheduler s = Scheduler.open(hub)) {
            Object monitor = new Object();
            Event<Void> release = new Event<>();
            GreenThread<Void> holder = Green.spawn(() -> {
                synchronized (monitor) {
                    release.await(); // held until the check is made, however slow the machine
                }
                return null;
            });
            Green.sleep(); // the holder owns the monitor
            GreenThread<String> blocked = Green.spawn(() -> {
                synchronized (monitor) {
                    return "entered";
                }
            });
            Green.sleep();
            othersKeepRunningWhileBlocked(blocked);
            release.send(null);
            holder.get(BOUND);
            assertThat(blocked.get(BOUND)).isEqualTo("entered");
        }
    }

    @ParameterizedTest
    @MethodSource("dev.greenhub.testsuite.EveryHub#hubs")
    void killWhileBlockedOnAMonitorIsThrownOnceTheMonitorIsEntered(String hub) throws Exception {
        try (Scheduler s = Scheduler.open(hub)) {
            Object monitor = new Object();
            GreenThread<Void> holder = Green.spawn(() -> {
                synchronized (monitor) {
                    Green.sleep(Duration.ofMillis(30));
                }
                return null;
            });
            Green.sleep();
            GreenThread<String> blocked = Green.spawn(() -> {
                synchronized (monitor) {
                    Green.sleep(); // the first greenhub blocking point throws the kill
                    return "not killed";
                }
            });
            Green.sleep();
            blocked.kill(); // monitor entry is not interruptible (a JDK rule): the kill waits
            holder.get(BOUND);
            assertThatThrownBy(() -> blocked.get(BOUND)).hasCauseInstanceOf(GreenletExit.class);
        }
    }

    @ParameterizedTest
    @MethodSource("dev.greenhub.testsuite.EveryHub#hubs")
    void reentrantLock(String hub) throws Exception {
        try (Scheduler s = Scheduler.open(hub)) {
            ReentrantLock lock = new ReentrantLock();
            GreenThread<Void> holder = Green.spawn(() -> {
                lock.lock();
                try {
                    Green.sleep(Duration.ofMillis(60));
                } finally {
                    lock.unlock();
                }
                return null;
            });
            Green.sleep();
            GreenThread<String> waiter = Green.spawn(() -> {
                lock.lock();
                try {
                    return "locked";
                } finally {
                    lock.unlock();
                }
            });
            Green.sleep();
            othersKeepRunningWhileBlocked(waiter);
            holder.get(BOUND);
            assertThat(waiter.get(BOUND)).isEqualTo("locked");

            lock.lock(); // now held by the carrier thread, a foreign owner for the green threads
            try {
                GreenThread<String> interruptible = Green.spawn(() -> {
                    lock.lockInterruptibly();
                    lock.unlock();
                    return "locked";
                });
                Green.sleep();
                othersKeepRunningWhileBlocked(interruptible);
                interruptible.kill();
                assertKilledOutOf(interruptible, InterruptedException.class);
            } finally {
                lock.unlock();
            }
        }
    }

    @ParameterizedTest
    @MethodSource("dev.greenhub.testsuite.EveryHub#hubs")
    void blockingQueueTake(String hub) throws Exception {
        try (Scheduler s = Scheduler.open(hub)) {
            BlockingQueue<String> queue = new LinkedBlockingQueue<>();
            GreenThread<String> taker = Green.spawn(queue::take);
            Green.sleep();
            othersKeepRunningWhileBlocked(taker);
            Thread producer = Thread.ofPlatform().start(() -> queue.add("from a platform thread"));
            assertThat(taker.get(BOUND)).isEqualTo("from a platform thread");
            producer.join(30_000);

            GreenThread<String> killed = Green.spawn(queue::take);
            Green.sleep();
            othersKeepRunningWhileBlocked(killed);
            killed.kill();
            assertKilledOutOf(killed, InterruptedException.class);
            assertThat(queue).isEmpty();
        }
    }

    @ParameterizedTest
    @MethodSource("dev.greenhub.testsuite.EveryHub#hubs")
    void blockingSocketRead(String hub) throws Exception {
        try (Scheduler s = Scheduler.open(hub);
             ServerSocket server = new ServerSocket(0, 10, InetAddress.getLoopbackAddress())) {
            GreenThread<Socket> acceptor = Green.spawn(server::accept);
            GreenThread<Integer> reader = Green.spawn(() -> {
                try (Socket client = new Socket(InetAddress.getLoopbackAddress(), server.getLocalPort());
                     InputStream in = client.getInputStream()) {
                    return in.read();
                }
            });
            try (Socket accepted = acceptor.get(BOUND)) {
                Green.sleep(Duration.ofMillis(1));
                othersKeepRunningWhileBlocked(reader);
                GreenThread<Void> writer = Green.spawn(() -> {
                    accepted.getOutputStream().write(42);
                    accepted.getOutputStream().flush();
                    return null;
                });
                writer.get(BOUND);
                assertThat(reader.get(BOUND)).isEqualTo(42);
            }

            GreenThread<Socket> acceptor2 = Green.spawn(server::accept);
            GreenThread<Integer> killed = Green.spawn(() -> {
                try (Socket client = new Socket(InetAddress.getLoopbackAddress(), server.getLocalPort())) {
                    return client.getInputStream().read();
                }
            });
            try (Socket accepted = acceptor2.get(BOUND)) {
                Green.sleep(Duration.ofMillis(1));
                othersKeepRunningWhileBlocked(killed);
                killed.kill();
                assertKilledOutOf(killed, SocketException.class);
            }
        }
    }
}
