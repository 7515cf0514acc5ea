package dev.greenhub.tck.selftest;

import dev.greenhub.hub.Hub;
import dev.greenhub.hub.HubProvider;
import dev.greenhub.hub.ReadyHandler;
import java.io.IOException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.LockSupport;
import java.util.function.LongUnaryOperator;

/** Broken hubs whose bug is in how long a poll waits. */
final class TimeoutBugs {
    private TimeoutBugs() {
    }

    /** A hub that passes the real hub a wrong timeout. */
    private static Hub changingTimeout(Hub real, String name, LongUnaryOperator timeout) {
        return new ForwardingHub(real, name) {
            @Override
            public int poll(long timeoutNanos, ReadyHandler handler) throws IOException {
                return delegate.poll(timeout.applyAsLong(timeoutNanos), handler);
            }
        };
    }

    /** poll(0) waits a little (2 ms) when nothing is ready, as a hub does that uses 1 ms ticks. */
    static final class ZeroTimeoutBlocks extends BrokenProvider {
        static final long WAIT_NANOS = TimeUnit.MILLISECONDS.toNanos(2);

        ZeroTimeoutBlocks(HubProvider base) {
            super("zero-timeout-blocks", base);
        }

        @Override
        Hub wrap(Hub real) {
            return changingTimeout(real, name(), t -> t == 0 ? WAIT_NANOS : t);
        }
    }

    /** Timeouts are rounded down to whole milliseconds (a sub-millisecond timeout becomes 0). */
    static final class RoundsMillisDown extends BrokenProvider {
        RoundsMillisDown(HubProvider base) {
            super("rounds-millis-down", base);
        }

        @Override
        Hub wrap(Hub real) {
            long ms = TimeUnit.MILLISECONDS.toNanos(1);
            return changingTimeout(real, name(), t -> t > 0 ? t / ms * ms : t);
        }
    }

    /** poll(0) takes a fast path that returns 0 without asking the kernel whether anything is ready. */
    static final class ZeroTimeoutNeverLooks extends BrokenProvider {
        ZeroTimeoutNeverLooks(HubProvider base) {
            super("zero-timeout-never-looks", base);
        }

        @Override
        Hub wrap(Hub real) {
            return new ForwardingHub(real, name()) {
                @Override
                public int poll(long timeoutNanos, ReadyHandler handler) throws IOException {
                    if (timeoutNanos == 0) {
                        checkOpen();
                        return 0;
                    }
                    return delegate.poll(timeoutNanos, handler);
                }
            };
        }
    }

    /** Never drains its wakeup fd after the first wakeup: from then on every poll returns at once. */
    static final class NeverDrainsWakeup extends BrokenProvider {
        NeverDrainsWakeup(HubProvider base) {
            super("never-drains-wakeup", base);
        }

        @Override
        Hub wrap(Hub real) {
            return new ForwardingHub(real, name()) {
                private volatile boolean everWoken;

                @Override
                public void wakeup() {
                    delegate.wakeup();
                    everWoken = true;
                }

                @Override
                public int poll(long timeoutNanos, ReadyHandler handler) throws IOException {
                    if (everWoken && !isClosed()) {
                        delegate.wakeup(); // the eventfd stays readable
                    }
                    return delegate.poll(timeoutNanos, handler);
                }
            };
        }
    }

    /** A zero timeout is taken for "no limit" ({@code timeout <= 0 ? -1 : ...}): poll(0) blocks. */
    static final class ZeroMeansNoLimit extends BrokenProvider {
        ZeroMeansNoLimit(HubProvider base) {
            super("zero-means-no-limit", base);
        }

        @Override
        Hub wrap(Hub real) {
            return changingTimeout(real, name(), t -> t <= 0 ? -1 : t);
        }
    }

    /** A negative timeout is clamped to zero ({@code Math.max(0, timeout)}): poll(-1) does not wait. */
    static final class NegativeMeansZero extends BrokenProvider {
        NegativeMeansZero(HubProvider base) {
            super("negative-means-zero", base);
        }

        @Override
        Hub wrap(Hub real) {
            return changingTimeout(real, name(), t -> Math.max(0, t));
        }
    }

    /**
     * A bounded poll looks at the fds once and then sleeps out its timeout, waking early only for
     * wakeup(): readiness that arrives during a bounded wait is seen only when the timeout ends.
     */
    static final class BoundedWaitIsBlind extends BrokenProvider {
        BoundedWaitIsBlind(HubProvider base) {
            super("bounded-wait-is-blind", base);
        }

        @Override
        Hub wrap(Hub real) {
            return new ForwardingHub(real, name()) {
                private final AtomicBoolean woken = new AtomicBoolean();
                private volatile Thread poller;

                @Override
                public void wakeup() {
                    checkOpen();
                    woken.set(true);
                    delegate.wakeup();
                    Thread t = poller;
                    if (t != null) {
                        LockSupport.unpark(t);
                    }
                }

                @Override
                public int poll(long timeoutNanos, ReadyHandler handler) throws IOException {
                    if (timeoutNanos <= 0) {
                        return delegate.poll(timeoutNanos, handler);
                    }
                    int n = delegate.poll(0, handler);
                    if (n > 0 || woken.getAndSet(false)) {
                        return n;
                    }
                    long deadline = System.nanoTime() + timeoutNanos;
                    poller = Thread.currentThread();
                    try {
                        long left;
                        while (!woken.get() && (left = deadline - System.nanoTime()) > 0) {
                            LockSupport.parkNanos(left);
                        }
                    } finally {
                        poller = null;
                    }
                    woken.set(false);
                    return delegate.poll(0, handler);
                }
            };
        }
    }

    /**
     * A bounded poll with nothing ready returns at once, reporting nothing, instead of waiting out its
     * timeout (the wait is skipped when the ready list is empty): a caller spins, never blocks.
     */
    static final class IdlePollReturnsAtOnce extends BrokenProvider {
        IdlePollReturnsAtOnce(HubProvider base) {
            super("idle-poll-returns-at-once", base);
        }

        @Override
        Hub wrap(Hub real) {
            return changingTimeout(real, name(), t -> t > 0 ? 0 : t);
        }
    }

    /**
     * A poll that poll(2) ends with EINTR (a signal for the polling thread) returns early, reporting
     * nothing, instead of waiting again with the time left. Inside the wait loop, so the bug is in
     * a small poll hub of its own.
     */
    static final class EintrEndsTheWait extends SmallPollHub.Provider {
        EintrEndsTheWait() {
            super("small-eintr-ends-the-wait");
        }

        @Override
        public Hub open() throws IOException {
            return new SmallPollHub(name()) {
                @Override
                boolean waitAgainAfterEintr() {
                    return false;
                }
            };
        }
    }
}
