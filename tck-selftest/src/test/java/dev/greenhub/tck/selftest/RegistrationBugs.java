package dev.greenhub.tck.selftest;

import dev.greenhub.hub.Hub;
import dev.greenhub.hub.HubProvider;
import dev.greenhub.hub.ReadyHandler;
import dev.greenhub.hub.Readiness;
import dev.greenhub.nativeio.Fds;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/** Broken hubs whose bug is in register, unregister, interest() or registeredCount(). */
final class RegistrationBugs {
    private RegistrationBugs() {
    }

    /** register() on a registered fd adds the new interest to the old one instead of replacing it. */
    static final class AddsInterest extends BrokenProvider {
        AddsInterest(HubProvider base) {
            super("adds-interest", base);
        }

        @Override
        Hub wrap(Hub real) {
            return new ForwardingHub(real, name()) {
                @Override
                public void register(int fd, int interest) throws IOException {
                    Readiness.checkInterest(interest);
                    int old = fd >= 0 && !isClosed() ? delegate.interest(fd) : 0;
                    delegate.register(fd, interest | old);
                }
            };
        }
    }

    /** interest(fd) answers with the interest of the fd's first registration, never updated. */
    static final class InterestLies extends BrokenProvider {
        InterestLies(HubProvider base) {
            super("interest-lies", base);
        }

        @Override
        Hub wrap(Hub real) {
            return new ForwardingHub(real, name()) {
                private final Map<Integer, Integer> first = new HashMap<>();

                @Override
                public void register(int fd, int interest) throws IOException {
                    delegate.register(fd, interest);
                    first.putIfAbsent(fd, interest);
                }

                @Override
                public void unregister(int fd) throws IOException {
                    delegate.unregister(fd);
                    first.remove(fd);
                }

                @Override
                public int interest(int fd) {
                    checkOpen();
                    return first.getOrDefault(fd, 0);
                }
            };
        }
    }

    /** registeredCount() counts calls of register(), so a re-registration counts twice. */
    static final class CountsReRegistrations extends BrokenProvider {
        CountsReRegistrations(HubProvider base) {
            super("counts-re-registrations", base);
        }

        @Override
        Hub wrap(Hub real) {
            return new ForwardingHub(real, name()) {
                private int count;

                @Override
                public void register(int fd, int interest) throws IOException {
                    delegate.register(fd, interest);
                    count++;
                }

                @Override
                public void unregister(int fd) throws IOException {
                    delegate.unregister(fd);
                    count--;
                }

                @Override
                public int registeredCount() {
                    checkOpen();
                    return count;
                }
            };
        }
    }

    /**
     * The registration table is a dense array with swap-remove, and unregister forgets to update the
     * index of the fd it moves into the hole: a later unregister of the moved fd removes whatever
     * sits at its stale index (or fails with an IndexOutOfBoundsException). The real hub follows
     * the table, so the wrong fd stops being watched.
     */
    static final class SwapRemoveLosesIndex extends BrokenProvider {
        SwapRemoveLosesIndex(HubProvider base) {
            super("swap-remove-loses-index", base);
        }

        @Override
        Hub wrap(Hub real) {
            return new ForwardingHub(real, name()) {
                private final List<Integer> dense = new ArrayList<>();
                private final Map<Integer, Integer> index = new HashMap<>();

                @Override
                public void register(int fd, int interest) throws IOException {
                    delegate.register(fd, interest);
                    if (!index.containsKey(fd)) {
                        index.put(fd, dense.size());
                        dense.add(fd);
                    }
                }

                @Override
                public void unregister(int fd) throws IOException {
                    checkOpen();
                    Integer at = index.remove(fd);
                    if (at == null) {
                        delegate.unregister(fd); // throws what the real hub throws
                        return;
                    }
                    int victim = dense.get(at); // fd itself, unless its index went stale
                    int last = dense.removeLast();
                    if (at < dense.size()) {
                        dense.set(at, last); // the bug: index.put(last, at) is missing
                    }
                    index.remove(victim);
                    delegate.unregister(victim);
                }
            };
        }
    }

    /** unregister() of an fd the OS already closed fails, as a careless epoll_ctl(DEL) does (EBADF). */
    static final class UnregisterOfClosedFdThrows extends BrokenProvider {
        UnregisterOfClosedFdThrows(HubProvider base) {
            super("unregister-of-closed-fd-throws", base);
        }

        @Override
        Hub wrap(Hub real) {
            return new ForwardingHub(real, name()) {
                @Override
                public void unregister(int fd) throws IOException {
                    if (!isClosed() && delegate.interest(fd) != 0 && !Fds.isOpen(fd)) {
                        throw new IOException("epoll_ctl(EPOLL_CTL_DEL, " + fd + "): EBADF (Bad file descriptor)");
                    }
                    delegate.unregister(fd);
                }
            };
        }
    }

    /**
     * register() with the interest an fd already has is skipped as a no-op. Harmless for poll(2),
     * which watches fd numbers; with epoll, which watches open files, an fd number closed behind the
     * hub's back and reused is then never watched.
     */
    static final class SkipsUnchangedRegister extends BrokenProvider {
        SkipsUnchangedRegister(HubProvider base) {
            super("skips-unchanged-register", base);
        }

        @Override
        Hub wrap(Hub real) {
            return new ForwardingHub(real, name()) {
                @Override
                public void register(int fd, int interest) throws IOException {
                    int current = fd >= 0 && !isClosed() ? delegate.interest(fd) : 0;
                    if (current != 0 && current == interest) {
                        return;
                    }
                    delegate.register(fd, interest);
                }
            };
        }
    }

    /**
     * No registration generations: the hub collects all readiness first and dispatches it after,
     * checking only that the fd is still registered. Readiness of a file whose fd the handler
     * unregistered, closed and registered again (same number, same interest) is reported for the new
     * file.
     */
    static final class NoGenerations extends BrokenProvider {
        NoGenerations(HubProvider base) {
            super("no-generations", base);
        }

        @Override
        Hub wrap(Hub real) {
            return new ForwardingHub(real, name()) {
                @Override
                public int poll(long timeoutNanos, ReadyHandler handler) throws IOException {
                    List<int[]> collected = new ArrayList<>();
                    delegate.poll(timeoutNanos, (fd, ops) -> collected.add(new int[] {fd, ops}));
                    int reported = 0;
                    for (int[] ready : collected) {
                        if (isClosed()) {
                            break;
                        }
                        int interest = delegate.interest(ready[0]);
                        int ops = ready[1] & (interest | Readiness.ERROR | Readiness.HANGUP);
                        if (interest != 0 && ops != 0) {
                            reported++;
                            handler.ready(ready[0], ops);
                        }
                    }
                    return reported;
                }
            };
        }
    }

    /**
     * unregister() forgets the fd in the hub's table but leaves it in the kernel's set, and polls
     * pass on whatever the kernel reports: an unregistered fd (or a new file with its number) is
     * still reported.
     */
    static final class UnregisterLeavesKernelWatching extends BrokenProvider {
        UnregisterLeavesKernelWatching(HubProvider base) {
            super("unregister-leaves-kernel-watching", base);
        }

        @Override
        Hub wrap(Hub real) {
            return new ForwardingHub(real, name()) {
                private final Set<Integer> forgotten = new HashSet<>();

                @Override
                public void register(int fd, int interest) throws IOException {
                    delegate.register(fd, interest);
                    forgotten.remove(fd);
                }

                @Override
                public void unregister(int fd) throws IOException {
                    if (interest(fd) == 0) {
                        throw new IllegalArgumentException("fd " + fd + " is not registered with the " + name()
                                + " hub");
                    }
                    forgotten.add(fd);
                }

                @Override
                public int interest(int fd) {
                    return forgotten.contains(fd) ? 0 : delegate.interest(fd);
                }

                @Override
                public int registeredCount() {
                    return delegate.registeredCount() - forgotten.size();
                }
            };
        }
    }

    /**
     * register() calls the handler makes while a poll dispatches go to a copy of the table that the
     * poll then throws away: interest() shows them, the kernel never hears of them.
     */
    static final class HandlerRegistrationsLost extends BrokenProvider {
        HandlerRegistrationsLost(HubProvider base) {
            super("handler-registrations-lost", base);
        }

        @Override
        Hub wrap(Hub real) {
            return new ForwardingHub(real, name()) {
                private final Map<Integer, Integer> lost = new HashMap<>();
                private boolean dispatching;

                @Override
                public void register(int fd, int interest) throws IOException {
                    if (dispatching) {
                        checkOpen();
                        Readiness.checkInterest(interest);
                        lost.put(fd, interest);
                        return;
                    }
                    delegate.register(fd, interest);
                    lost.remove(fd);
                }

                @Override
                public void unregister(int fd) throws IOException {
                    if (lost.remove(fd) != null && delegate.interest(fd) == 0) {
                        return;
                    }
                    delegate.unregister(fd);
                }

                @Override
                public int interest(int fd) {
                    return lost.getOrDefault(fd, delegate.interest(fd));
                }

                @Override
                public int registeredCount() {
                    int count = delegate.registeredCount();
                    for (int fd : lost.keySet()) {
                        if (delegate.interest(fd) == 0) {
                            count++;
                        }
                    }
                    return count;
                }

                @Override
                public int poll(long timeoutNanos, ReadyHandler handler) throws IOException {
                    dispatching = true;
                    try {
                        return delegate.poll(timeoutNanos, handler);
                    } finally {
                        dispatching = false;
                    }
                }
            };
        }
    }

    /**
     * A periodic compaction (every {@link #PERIOD_NANOS}) rebuilds the kernel's set from the
     * registrations made since the previous compaction only: a registration older than that stops
     * being watched, though interest() and registeredCount() still show it.
     */
    static final class ForgetsOldRegistrations extends BrokenProvider {
        static final long PERIOD_NANOS = TimeUnit.SECONDS.toNanos(3);

        ForgetsOldRegistrations(HubProvider base) {
            super("forgets-old-registrations", base);
        }

        @Override
        Hub wrap(Hub real) {
            return new MaintainingHub(real, name(), PERIOD_NANOS) {
                /** Registrations made since the last compaction. */
                private final Set<Integer> recent = new HashSet<>();
                /** Registrations the compaction dropped from the kernel's set, with their interest. */
                private final Map<Integer, Integer> dropped = new HashMap<>();

                /** Registrations still in the kernel's set. */
                private final Set<Integer> watched = new HashSet<>();

                @Override
                void maintain() throws IOException {
                    for (int fd : List.copyOf(watched)) {
                        if (!recent.contains(fd)) {
                            dropped.put(fd, delegate.interest(fd));
                            delegate.unregister(fd);
                            watched.remove(fd);
                        }
                    }
                    recent.clear();
                }

                @Override
                public void register(int fd, int interest) throws IOException {
                    delegate.register(fd, interest);
                    dropped.remove(fd);
                    watched.add(fd);
                    recent.add(fd);
                }

                @Override
                public void unregister(int fd) throws IOException {
                    checkOpen();
                    if (dropped.remove(fd) == null) {
                        delegate.unregister(fd);
                    }
                    watched.remove(fd);
                    recent.remove(fd);
                }

                @Override
                public int interest(int fd) {
                    checkOpen();
                    return dropped.getOrDefault(fd, delegate.interest(fd));
                }

                @Override
                public int registeredCount() {
                    return delegate.registeredCount() + dropped.size();
                }
            };
        }
    }
}
