package dev.greenhub.tck.selftest;

import dev.greenhub.hub.Hub;
import dev.greenhub.hub.HubProvider;
import dev.greenhub.hub.ReadyHandler;
import dev.greenhub.hub.Readiness;
import dev.greenhub.nativeio.Fds;
import dev.greenhub.nativeio.Native;
import java.io.IOException;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

/** Broken hubs whose bug is in wakeup(). */
final class WakeupBugs {
    private WakeupBugs() {
    }

    /**
     * A check-then-act race: wakeup() writes to the wakeup fd only while a poll is under way, and
     * otherwise sets a flag that the next poll checks before it starts waiting. A wakeup that lands
     * between that check and the start of the wait is lost until the poll ends for another reason.
     * The window (the poll's preparation between check and wait) is a few microseconds wide.
     */
    static final class LostWakeupRace extends BrokenProvider {
        LostWakeupRace(HubProvider base) {
            super("lost-wakeup-race", base);
        }

        @Override
        Hub wrap(Hub real) {
            return new ForwardingHub(real, name()) {
                private final AtomicBoolean pending = new AtomicBoolean();
                private volatile boolean polling;

                @Override
                public void wakeup() {
                    checkOpen();
                    if (polling) {
                        delegate.wakeup();
                    } else {
                        pending.set(true);
                    }
                }

                @Override
                public int poll(long timeoutNanos, ReadyHandler handler) throws IOException {
                    checkOpen();
                    if (pending.getAndSet(false)) {
                        return delegate.poll(0, handler);
                    }
                    LockSupport.parkNanos(20_000); // preparing the wait: the window of the race
                    polling = true;
                    try {
                        return delegate.poll(timeoutNanos, handler);
                    } finally {
                        polling = false;
                    }
                }
            };
        }
    }

    /** Every wakeup() makes one poll return: wakeups are counted, not coalesced. */
    static final class WakeupsDoNotCoalesce extends BrokenProvider {
        WakeupsDoNotCoalesce(HubProvider base) {
            super("wakeups-do-not-coalesce", base);
        }

        @Override
        Hub wrap(Hub real) {
            return new ForwardingHub(real, name()) {
                private final AtomicInteger pending = new AtomicInteger();

                @Override
                public void wakeup() {
                    checkOpen();
                    pending.incrementAndGet();
                    delegate.wakeup();
                }

                @Override
                public int poll(long timeoutNanos, ReadyHandler handler) throws IOException {
                    checkOpen();
                    if (pending.getAndUpdate(n -> Math.max(0, n - 1)) > 1) {
                        return delegate.poll(0, handler); // a counted wakeup still owed
                    }
                    return delegate.poll(timeoutNanos, handler);
                }
            };
        }
    }

    /** A poll ended by a wakeup counts the wakeup fd in its return value, as poll(2)'s result does. */
    static final class CountsWakeup extends BrokenProvider {
        CountsWakeup(HubProvider base) {
            super("counts-wakeup", base);
        }

        @Override
        Hub wrap(Hub real) {
            return new ForwardingHub(real, name()) {
                private final AtomicBoolean woken = new AtomicBoolean();

                @Override
                public void wakeup() {
                    checkOpen();
                    woken.set(true);
                    delegate.wakeup();
                }

                @Override
                public int poll(long timeoutNanos, ReadyHandler handler) throws IOException {
                    int n = delegate.poll(timeoutNanos, handler);
                    return woken.getAndSet(false) ? n + 1 : n;
                }
            };
        }
    }

    /** wakeup() wakes every open hub of the provider (one process-wide wakeup fd). */
    static final class WakesEveryHub extends BrokenProvider {
        private final Set<Hub> open = ConcurrentHashMap.newKeySet();

        WakesEveryHub(HubProvider base) {
            super("wakes-every-hub", base);
        }

        @Override
        Hub wrap(Hub real) {
            Hub hub = new ForwardingHub(real, name()) {
                @Override
                public void wakeup() {
                    checkOpen();
                    for (Hub h : open) {
                        try {
                            ((ForwardingHub) h).delegate.wakeup();
                        } catch (IllegalStateException closedMeanwhile) {
                            // that hub is closing; the others are still woken
                        }
                    }
                }

                @Override
                public void close() {
                    open.remove(this);
                    delegate.close();
                }
            };
            open.add(hub);
            return hub;
        }
    }

    /**
     * wakeup() checks that the hub is open, then writes to the hub's wakeup pipe; close() closes the
     * pipe without waiting for wakeups in flight. A wakeup() racing close() from another thread
     * writes its byte into whatever file took the pipe's number after the close (the window, the
     * time between the check and the write, is some tens of microseconds here).
     */
    static final class WakeupRacesClose extends BrokenProvider {
        private static final byte[] ONE = {1};

        WakeupRacesClose(HubProvider base) {
            super("wakeup-races-close", base);
        }

        @Override
        Hub wrap(Hub real) throws IOException {
            int[] pipe = Fds.pipe();
            try {
                real.register(pipe[0], Readiness.READ);
            } catch (IOException | RuntimeException e) {
                Fds.closeQuietly(pipe);
                throw e;
            }
            return new ForwardingHub(real, name()) {
                private volatile boolean closed;

                @Override
                public void wakeup() {
                    if (closed) {
                        throw new IllegalStateException("the " + name() + " hub is closed");
                    }
                    LockSupport.parkNanos(20_000); // the window between the check and the write
                    Native.libc().write(pipe[1], ONE, 1);
                }

                @Override
                public int poll(long timeoutNanos, ReadyHandler handler) throws IOException {
                    int[] reported = {0};
                    delegate.poll(timeoutNanos, (fd, ops) -> {
                        if (fd == pipe[0]) {
                            drain(pipe[0]);
                        } else {
                            reported[0]++;
                            handler.ready(fd, ops);
                        }
                    });
                    return reported[0];
                }

                @Override
                public void register(int fd, int interest) throws IOException {
                    if (fd == pipe[0] && !closed) {
                        throw new IllegalStateException("fd " + fd + " is the hub's own wakeup pipe");
                    }
                    delegate.register(fd, interest);
                }

                @Override
                public void unregister(int fd) throws IOException {
                    if (fd == pipe[0] && !closed) {
                        throw new IllegalArgumentException("fd " + fd + " is not registered with the " + name()
                                + " hub");
                    }
                    delegate.unregister(fd);
                }

                @Override
                public int interest(int fd) {
                    return fd == pipe[0] && !closed ? 0 : delegate.interest(fd);
                }

                @Override
                public int registeredCount() {
                    return delegate.registeredCount() - 1;
                }

                @Override
                public boolean isClosed() {
                    return closed;
                }

                @Override
                public void close() {
                    if (closed) {
                        return;
                    }
                    closed = true;
                    Fds.closeQuietly(pipe);
                    delegate.close();
                }
            };
        }

        private static void drain(int fd) {
            byte[] buffer = new byte[64];
            try {
                while (Fds.read(fd, buffer) > 0) {
                    // empty the pipe: the wakeups coalesce
                }
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }
    }
}
