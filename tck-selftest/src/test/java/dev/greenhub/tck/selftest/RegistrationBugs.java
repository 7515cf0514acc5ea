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

    /**
     * Lazy narrowing: register() passes an interest change to the kernel only when it adds bits; a
     * narrower interest is applied by masking reports in user space, to save a system call. A
     * writable fd narrowed from READ|WRITE to READ still ends the kernel's wait at once, and the
     * poll returns early with nothing to report.
     */
    static final class LazyNarrowing extends BrokenProvider {
        LazyNarrowing(HubProvider base) {
            super("lazy-narrowing", base);
        }

        @Override
        Hub wrap(Hub real) {
            return new RewritingHub(real, name()) {
                /** The interest each fd was registered with; the kernel may watch more. */
                private final Map<Integer, Integer> wanted = new HashMap<>();

                @Override
                public void register(int fd, int interest) throws IOException {
                    Readiness.checkInterest(interest);
                    int watched = fd >= 0 && !isClosed() ? delegate.interest(fd) : 0;
                    if (watched == 0 || (interest & ~watched) != 0) {
                        delegate.register(fd, interest | watched);
                    }
                    wanted.put(fd, interest);
                }

                @Override
                public void unregister(int fd) throws IOException {
                    delegate.unregister(fd);
                    wanted.remove(fd);
                }

                @Override
                public int interest(int fd) {
                    checkOpen();
                    return wanted.getOrDefault(fd, 0);
                }

                @Override
                int rewrite(int fd, int ops) {
                    return ops & (wanted.getOrDefault(fd, 0) | Readiness.ERROR | Readiness.HANGUP);
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
}
