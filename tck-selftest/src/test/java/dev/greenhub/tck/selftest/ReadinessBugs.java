package dev.greenhub.tck.selftest;

import dev.greenhub.hub.Hub;
import dev.greenhub.hub.HubProvider;
import dev.greenhub.hub.ReadyHandler;
import dev.greenhub.hub.Readiness;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/** Broken hubs whose bug is in which fds a poll reports. */
final class ReadinessBugs {
    private ReadinessBugs() {
    }

    /**
     * One-shot instead of level-triggered (EPOLLONESHOT, re-armed only when the fd is registered
     * again), optionally saved from looking dead by a maintenance task that re-arms every fd once a
     * second: an fd that stays ready is then reported again a second late, not by the next poll.
     */
    static final class OneShot extends BrokenProvider {
        /** Re-arms once a second: the fd is reported again, a second late. */
        static final long PERIODIC = TimeUnit.SECONDS.toNanos(1);
        /** Never re-arms: the fd is reported again only once registered again. */
        static final long NEVER = Long.MAX_VALUE / 4;

        private final long rearmNanos;

        OneShot(HubProvider base, long rearmNanos) {
            super(rearmNanos == NEVER ? "one-shot" : "one-shot-rearmed-periodically", base);
            this.rearmNanos = rearmNanos;
        }

        @Override
        Hub wrap(Hub real) {
            return new MaintainingHub(real, name(), rearmNanos) {
                /** Registered fds that reported and are not watched until re-armed, with their interest. */
                private final Map<Integer, Integer> disarmed = new HashMap<>();

                @Override
                void reported(int fd) throws IOException {
                    int interest = delegate.interest(fd);
                    if (interest != 0) {
                        delegate.unregister(fd);
                        disarmed.put(fd, interest);
                    }
                }

                @Override
                void maintain() throws IOException {
                    for (Map.Entry<Integer, Integer> e : disarmed.entrySet()) {
                        delegate.register(e.getKey(), e.getValue());
                    }
                    disarmed.clear();
                }

                @Override
                public void register(int fd, int interest) throws IOException {
                    delegate.register(fd, interest);
                    disarmed.remove(fd);
                }

                @Override
                public void unregister(int fd) throws IOException {
                    checkOpen();
                    if (disarmed.remove(fd) == null) {
                        delegate.unregister(fd);
                    }
                }

                @Override
                public int interest(int fd) {
                    checkOpen();
                    return disarmed.getOrDefault(fd, delegate.interest(fd));
                }

                @Override
                public int registeredCount() {
                    return delegate.registeredCount() + disarmed.size();
                }
            };
        }
    }

    /**
     * Reports at most the first {@link #KEPT} ready fds of a poll, always in registration order, so
     * the others starve for as long as the first ones stay ready.
     */
    static final class StarvesBeyondFirst extends BrokenProvider {
        static final int KEPT = 64;

        StarvesBeyondFirst(HubProvider base) {
            super("starves-beyond-first-" + KEPT, base);
        }

        @Override
        Hub wrap(Hub real) {
            return keepingFirst(real, name(), KEPT);
        }
    }

    /** A hub that passes on the first {@code kept} reports of each poll and drops the rest. */
    static Hub keepingFirst(Hub real, String name, int kept) {
        return new RewritingHub(real, name) {
            private int passed;

            @Override
            void beforePoll() {
                passed = 0;
            }

            @Override
            int rewrite(int fd, int ops) {
                return passed++ < kept ? ops : 0;
            }
        };
    }

    /**
     * Optimistic readiness: a newly registered fd is reported ready for its whole interest by the
     * next poll, as if every new socket were readable and writable, whether it is or not.
     */
    static final class NewFdsReportedReady extends BrokenProvider {
        NewFdsReportedReady(HubProvider base) {
            super("new-fds-reported-ready", base);
        }

        @Override
        Hub wrap(Hub real) {
            return new ForwardingHub(real, name()) {
                private final Set<Integer> fresh = new LinkedHashSet<>();

                @Override
                public void register(int fd, int interest) throws IOException {
                    boolean isNew = fd >= 0 && !isClosed() && delegate.interest(fd) == 0;
                    delegate.register(fd, interest);
                    if (isNew) {
                        fresh.add(fd);
                    }
                }

                @Override
                public void unregister(int fd) throws IOException {
                    delegate.unregister(fd);
                    fresh.remove(fd);
                }

                @Override
                public int poll(long timeoutNanos, ReadyHandler handler) throws IOException {
                    if (fresh.isEmpty()) {
                        return delegate.poll(timeoutNanos, handler);
                    }
                    Map<Integer, Integer> ready = new LinkedHashMap<>();
                    delegate.poll(0, ready::put);
                    for (int fd : fresh) {
                        ready.merge(fd, delegate.interest(fd), (a, b) -> a | b);
                    }
                    fresh.clear();
                    return dispatch(ready, handler);
                }
            };
        }
    }

    /**
     * The ready list is not cleared after dispatch: every poll reports again what the previous
     * poll reported (for fds still registered, within their interest), and returns at once.
     */
    static final class ReadyListNotCleared extends BrokenProvider {
        ReadyListNotCleared(HubProvider base) {
            super("ready-list-not-cleared", base);
        }

        @Override
        Hub wrap(Hub real) {
            return new ForwardingHub(real, name()) {
                private Map<Integer, Integer> last = Map.of();

                @Override
                public int poll(long timeoutNanos, ReadyHandler handler) throws IOException {
                    Map<Integer, Integer> ready = new LinkedHashMap<>();
                    delegate.poll(last.isEmpty() ? timeoutNanos : 0, ready::put);
                    for (Map.Entry<Integer, Integer> e : last.entrySet()) {
                        int interest = isClosed() ? 0 : delegate.interest(e.getKey());
                        int ops = e.getValue() & (interest | Readiness.ERROR | Readiness.HANGUP);
                        if (interest != 0 && ops != 0) {
                            ready.merge(e.getKey(), ops, (a, b) -> a | b);
                        }
                    }
                    last = Map.copyOf(ready);
                    return dispatch(ready, handler);
                }
            };
        }
    }

    /** Reports only the readiness bits asked for ({@code ops & interest}): ERROR and HANGUP are lost. */
    static final class ReportsOnlyInterestBits extends BrokenProvider {
        ReportsOnlyInterestBits(HubProvider base) {
            super("reports-only-interest-bits", base);
        }

        @Override
        Hub wrap(Hub real) {
            return new RewritingHub(real, name()) {
                @Override
                int rewrite(int fd, int ops) {
                    return ops & delegate.interest(fd);
                }
            };
        }
    }

    /** Reports READ and WRITE of one fd as two reports in the same poll, as kqueue's filters come. */
    static final class ReportsEachBitSeparately extends BrokenProvider {
        ReportsEachBitSeparately(HubProvider base) {
            super("reports-each-bit-separately", base);
        }

        @Override
        Hub wrap(Hub real) {
            return new ForwardingHub(real, name()) {
                @Override
                public int poll(long timeoutNanos, ReadyHandler handler) throws IOException {
                    List<int[]> reports = new ArrayList<>();
                    delegate.poll(timeoutNanos, (fd, ops) -> {
                        int rest = ops & ~Readiness.WRITE;
                        if (rest != 0) {
                            reports.add(new int[] {fd, rest});
                        }
                        if ((ops & Readiness.WRITE) != 0) {
                            reports.add(new int[] {fd, Readiness.WRITE});
                        }
                    });
                    for (int[] r : reports) {
                        handler.ready(r[0], r[1]);
                    }
                    return reports.size();
                }
            };
        }
    }

    /** Reports the collected readiness in order and returns how many were reported. */
    static int dispatch(Map<Integer, Integer> ready, ReadyHandler handler) {
        int n = 0;
        for (Map.Entry<Integer, Integer> e : ready.entrySet()) {
            n++;
            handler.ready(e.getKey(), e.getValue());
        }
        return n;
    }
}
