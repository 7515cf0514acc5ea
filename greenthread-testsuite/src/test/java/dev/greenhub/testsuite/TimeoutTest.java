package dev.greenhub.testsuite;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.fail;

import dev.greenhub.Event;
import dev.greenhub.Green;
import dev.greenhub.GreenThread;
import dev.greenhub.Scheduler;
import dev.greenhub.Timeout;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.locks.ReentrantLock;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Timeout and Green.withTimeout, ported from eventlet's tests/timeout_test.py and
 * tests/timeout_with_statement_test.py, on every hub.
 */
class TimeoutTest {
    private static final Duration DELAY = Duration.ofMillis(20);

    private static Duration times(int n) {
        return DELAY.multipliedBy(n);
    }

    /** test_cancellation: nothing happens if the block ends first. */
    @ParameterizedTest
    @MethodSource("dev.greenhub.testsuite.EveryHub#hubs")
    void blockEndingFirstCancelsTheTimeout(String hub) {
        try (Scheduler s = Scheduler.open(hub)) {
            Timeout t = Timeout.start(times(2));
            Green.sleep();
            assertThat(t.isPending()).isTrue();
            try (t) {
                assertThat(t.isPending()).isTrue();
                Green.sleep(DELAY);
            }
            assertThat(t.isPending()).isFalse();
            Green.sleep(times(3)); // would throw if it still fired
            assertThat(t.isExpired()).isFalse();
        }
    }

    /** test_raising_self: the timeout itself is raised. */
    @ParameterizedTest
    @MethodSource("dev.greenhub.testsuite.EveryHub#hubs")
    void theTimeoutRaisesItself(String hub) {
        try (Scheduler s = Scheduler.open(hub)) {
            Timeout t = Timeout.start(DELAY);
            long start = System.nanoTime();
            try (t) {
                Green.sleep(Duration.ofSeconds(10));
                fail("must raise Timeout");
            } catch (Timeout e) {
                assertThat(e).isSameAs(t);
                assertThat(t.isCause(e)).isTrue();
            }
            assertThat(System.nanoTime() - start).isGreaterThanOrEqualTo(DELAY.toNanos());
            assertThat(t.isExpired()).isTrue();
            assertThat(t.isPending()).isFalse();
            assertThat(t).hasMessage("timed out after 20 ms");
        }
    }

    /** test_raising_custom_exception. */
    @ParameterizedTest
    @MethodSource("dev.greenhub.testsuite.EveryHub#hubs")
    void aCustomExceptionIsRaisedUnchanged(String hub) {
        try (Scheduler s = Scheduler.open(hub)) {
            IOException custom = new IOException("Operation takes way too long");
            Throwable caught = null;
            try (Timeout t = Timeout.start(DELAY, custom)) {
                Green.sleep(Duration.ofSeconds(10));
            } catch (Exception e) {
                caught = e;
            }
            assertThat(caught).isSameAs(custom);
        }
    }

    /** test_cancel_timer_inside_block. */
    @ParameterizedTest
    @MethodSource("dev.greenhub.testsuite.EveryHub#hubs")
    void aCancelledTimeoutNeverFires(String hub) {
        try (Scheduler s = Scheduler.open(hub)) {
            try (Timeout t = Timeout.start(DELAY)) {
                assertThat(t.cancel()).isTrue();
                assertThat(t.cancel()).isFalse();
                Green.sleep(times(3));
                assertThat(t.isExpired()).isFalse();
                assertThat(t.isPending()).isFalse();
            }
            Timeout zero = Timeout.start(Duration.ZERO);
            zero.cancel();
            Green.sleep(DELAY);
            assertThat(zero.isExpired()).isFalse();
        }
    }

    /** test_silent_block: silent mode ends the block and gives a value. */
    @ParameterizedTest
    @MethodSource("dev.greenhub.testsuite.EveryHub#hubs")
    void silentModeEndsTheBlockWithAValue(String hub) throws Exception {
        try (Scheduler s = Scheduler.open(hub)) {
            long start = System.nanoTime();
            String r = Green.withTimeout(Duration.ofMillis(50), () -> {
                Green.sleep(Duration.ofSeconds(10));
                return "finished";
            }, "timed out");
            long elapsed = System.nanoTime() - start;
            assertThat(r).isEqualTo("timed out");
            assertThat(elapsed).isGreaterThanOrEqualTo(50_000_000L).isLessThan(5_000_000_000L);
        }
    }

    /** test_with_timeout. */
    @ParameterizedTest
    @MethodSource("dev.greenhub.testsuite.EveryHub#hubs")
    void withTimeoutRaisesOrReturns(String hub) throws Exception {
        try (Scheduler s = Scheduler.open(hub)) {
            assertThatThrownBy(() -> Green.withTimeout(DELAY, () -> {
                Green.sleep(times(10));
                return "late";
            })).isInstanceOf(Timeout.class);
            Object x = new Object();
            Object r = Green.withTimeout(DELAY, () -> {
                Green.sleep(times(10));
                return null;
            }, x);
            assertThat(r).isSameAs(x);
            r = Green.withTimeout(times(10), () -> {
                Green.sleep(DELAY);
                return "in time";
            }, x);
            assertThat(r).isEqualTo("in time");
            Green.sleep(times(10)); // nothing stray fires afterwards
        }
    }

    /** test_with_outer_timer: an inner silent timeout does not swallow the outer one. */
    @ParameterizedTest
    @MethodSource("dev.greenhub.testsuite.EveryHub#hubs")
    void anInnerSilentTimeoutLetsTheOuterOneThrough(String hub) {
        try (Scheduler s = Scheduler.open(hub)) {
            Timeout[] outer = new Timeout[1];
            Throwable thrown = null;
            try (Timeout t = Timeout.start(DELAY)) {
                outer[0] = t;
                Green.withTimeout(times(10), () -> {
                    Green.sleep(times(20));
                    return "inner finished";
                }, "inner timed out");
                fail("the outer timeout must go through");
            } catch (Exception e) {
                thrown = e;
            }
            assertThat(thrown).isSameAs(outer[0]);
        }
    }

    /** test_nested_timeout: the shorter one fires, whichever is outside. */
    @ParameterizedTest
    @MethodSource("dev.greenhub.testsuite.EveryHub#hubs")
    void nestedTimeoutsFireTheShorterOne(String hub) {
        try (Scheduler s = Scheduler.open(hub)) {
            // outer shorter
            Timeout t1 = Timeout.start(DELAY);
            try (t1) {
                Timeout t2 = Timeout.start(times(5));
                try (t2) {
                    try {
                        Green.sleep(times(20));
                        fail("must time out");
                    } catch (Timeout e) {
                        assertThat(e).isSameAs(t1);
                    }
                    assertThat(t1.isPending()).isFalse();
                    assertThat(t2.isPending()).isTrue();
                }
                assertThat(t2.isPending()).isFalse();
            }
            // inner shorter
            Timeout t3 = Timeout.start(times(5));
            try (t3) {
                Timeout t4 = Timeout.start(DELAY);
                try (t4) {
                    try {
                        Green.sleep(times(20));
                        fail("must time out");
                    } catch (Timeout e) {
                        assertThat(e).isSameAs(t4);
                    }
                    assertThat(t3.isPending()).isTrue();
                    assertThat(t4.isPending()).isFalse();
                }
            }
            assertThat(t3.isPending()).isFalse();
            assertThat(t3.isExpired()).isFalse();
            Green.sleep(times(6));
        }
    }

    /** Both expire in one loop turn: the inner one is raised first, the outer one after it. */
    @ParameterizedTest
    @MethodSource("dev.greenhub.testsuite.EveryHub#hubs")
    void timeoutsExpiringInTheSameTurnAreBothDelivered(String hub) {
        try (Scheduler s = Scheduler.open(hub)) {
            GreenThread<List<String>> g = Green.spawn(() -> {
                List<String> seen = new ArrayList<>();
                Timeout outer = Timeout.start(Duration.ofMillis(10));
                try (outer) {
                    Timeout inner = Timeout.start(Duration.ofMillis(5));
                    try (inner) {
                        long until = System.nanoTime() + 30_000_000L;
                        while (System.nanoTime() < until) {
                            Thread.onSpinWait(); // both expire while the loop cannot run
                        }
                        Green.sleep();
                        seen.add("no timeout");
                    } catch (Timeout e) {
                        seen.add(e == inner ? "inner" : e == outer ? "outer" : "other");
                    }
                    Green.sleep(Duration.ofSeconds(10));
                    seen.add("outer never came");
                } catch (Timeout e) {
                    seen.add(e == outer ? "outer" : "other");
                }
                return seen;
            });
            assertThat(g.get()).containsExactly("inner", "outer");
        }
    }

    /** A platform thread waiting on an Event is timed out too. */
    @ParameterizedTest
    @MethodSource("dev.greenhub.testsuite.EveryHub#hubs")
    void aPlatformThreadIsTimedOut(String hub) {
        try (Scheduler s = Scheduler.open(hub)) {
            Event<String> never = new Event<>();
            Timeout t = Timeout.start(DELAY);
            try (t) {
                assertThatThrownBy(never::await).isSameAs(t);
            }
            assertThat(never.waiting()).isZero();
            Green.sleep(DELAY);
        }
    }

    /** A green thread in Thread.sleep is interrupted; closing withdraws the undelivered kill. */
    @ParameterizedTest
    @MethodSource("dev.greenhub.testsuite.EveryHub#hubs")
    void aJdkSleepIsInterruptedAndNothingStrayRemains(String hub) {
        try (Scheduler s = Scheduler.open(hub)) {
            GreenThread<List<String>> g = Green.spawn(() -> {
                List<String> seen = new ArrayList<>();
                Timeout t = Timeout.start(DELAY);
                try (t) {
                    Thread.sleep(10_000);
                    seen.add("slept");
                } catch (InterruptedException e) {
                    seen.add("interrupted, expired=" + t.isExpired());
                }
                seen.add("interrupt flag " + Thread.currentThread().isInterrupted());
                Green.sleep(times(2)); // a stray kill would be thrown here
                seen.add("slept afterwards");
                return seen;
            });
            assertThat(g.get()).containsExactly("interrupted, expired=true", "interrupt flag false",
                    "slept afterwards");
        }
    }

    /** withTimeout reports the interruption of a JDK call as the Timeout. */
    @ParameterizedTest
    @MethodSource("dev.greenhub.testsuite.EveryHub#hubs")
    void withTimeoutTurnsTheInterruptionIntoTheTimeout(String hub) {
        try (Scheduler s = Scheduler.open(hub)) {
            LinkedBlockingQueue<String> jdkQueue = new LinkedBlockingQueue<>();
            GreenThread<Throwable> g = Green.spawn(() -> {
                try {
                    Green.withTimeout(DELAY, jdkQueue::take);
                    return null;
                } catch (Timeout e) {
                    return e;
                }
            });
            Throwable t = g.get();
            assertThat(t).isInstanceOf(Timeout.class);
            assertThat(t.getSuppressed()).singleElement().isInstanceOf(InterruptedException.class);
            GreenThread<String> silent = Green.spawn(() -> Green.withTimeout(DELAY, jdkQueue::take, "silent"));
            assertThat(silent.get()).isEqualTo("silent");
        }
    }

    /** A green thread blocked in a contended ReentrantLock.lockInterruptibly is interrupted. */
    @ParameterizedTest
    @MethodSource("dev.greenhub.testsuite.EveryHub#hubs")
    void aLockWaitIsInterrupted(String hub) throws Exception {
        try (Scheduler s = Scheduler.open(hub)) {
            ReentrantLock lock = new ReentrantLock();
            Thread holder = new Thread(() -> {
                lock.lock();
                try {
                    Thread.sleep(3_000);
                } catch (InterruptedException e) {
                    // released early by the test
                } finally {
                    lock.unlock();
                }
            });
            holder.start();
            while (!lock.isLocked()) {
                Thread.sleep(1);
            }
            GreenThread<String> g = Green.spawn(() -> Green.withTimeout(DELAY, () -> {
                lock.lockInterruptibly();
                lock.unlock();
                return "locked";
            }, "timed out"));
            assertThat(g.get()).isEqualTo("timed out");
            holder.interrupt();
            holder.join(10_000);
            assertThat(holder.isAlive()).isFalse();
        }
    }

    /** A green thread blocked in a java.net.Socket read is interrupted (the socket is closed). */
    @ParameterizedTest
    @MethodSource("dev.greenhub.testsuite.EveryHub#hubs")
    void aSocketReadIsInterrupted(String hub) throws Exception {
        try (Scheduler s = Scheduler.open(hub);
                ServerSocket server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
                Socket client = new Socket(InetAddress.getLoopbackAddress(), server.getLocalPort());
                Socket accepted = server.accept()) {
            GreenThread<String> g = Green.spawn(() -> {
                Timeout t = Timeout.start(DELAY);
                try (t; InputStream in = client.getInputStream()) {
                    int b = in.read();
                    return "read " + b;
                } catch (SocketException e) {
                    return "socket exception, expired=" + t.isExpired();
                }
            });
            assertThat(g.get()).isEqualTo("socket exception, expired=true");
            assertThat(client.isClosed()).isTrue();
            assertThat(accepted.getInputStream().read()).isEqualTo(-1);
        }
    }

    @ParameterizedTest
    @MethodSource("dev.greenhub.testsuite.EveryHub#hubs")
    void badDurationsAreRefused(String hub) {
        try (Scheduler s = Scheduler.open(hub)) {
            assertThatThrownBy(() -> Timeout.start(Duration.ofMillis(-1))).isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("duration must not be negative: PT-0.001S");
            assertThatThrownBy(() -> Green.withTimeout(Duration.ofSeconds(-1), () -> 1))
                    .isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> Timeout.start(null)).isInstanceOf(NullPointerException.class);
        }
    }

    /** A timed-out green thread that ended does not get a retry kill later. */
    @ParameterizedTest
    @MethodSource("dev.greenhub.testsuite.EveryHub#hubs")
    void aTimeoutLeftRunningByADeadGreenThreadIsHarmless(String hub) {
        try (Scheduler s = Scheduler.open(hub)) {
            Timeout[] leaked = new Timeout[1];
            GreenThread<String> g = Green.spawn(() -> {
                leaked[0] = Timeout.start(Duration.ofMillis(5));
                return "done";
            });
            assertThat(g.get()).isEqualTo("done");
            Green.sleep(times(2));
            assertThat(leaked[0].isExpired()).isTrue();
            assertThat(s.timerCount()).isZero();
        }
    }
}
