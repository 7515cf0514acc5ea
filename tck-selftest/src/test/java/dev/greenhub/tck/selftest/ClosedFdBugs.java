package dev.greenhub.tck.selftest;

import dev.greenhub.hub.Hub;
import dev.greenhub.hub.HubProvider;
import dev.greenhub.hub.Readiness;
import dev.greenhub.nativeio.Fds;
import dev.greenhub.hub.ReadyHandler;
import java.io.IOException;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/** Broken hubs whose bug is in how they treat an fd closed behind their back. */
final class ClosedFdBugs {
    private ClosedFdBugs() {
    }

    /** An fd closed behind the hub's back is silently ignored (POLLNVAL dropped) instead of reported ERROR. */
    static final class ClosedFdNotReported extends BrokenProvider {
        ClosedFdNotReported(HubProvider base) {
            super("closed-fd-not-reported", base);
        }

        @Override
        Hub wrap(Hub real) {
            return new RewritingHub(real, name()) {
                @Override
                int rewrite(int fd, int ops) {
                    return (ops & Readiness.ERROR) != 0 && !Fds.isOpen(fd) ? 0 : ops;
                }
            };
        }
    }

    /**
     * The EBADF path of a select-style hub: before waiting, the hub checks its registered fds, and
     * when one is no longer open it reports ERROR for the closed ones and returns, without waiting
     * for (or looking at) the others. Closed fds are reported as the contract asks, but while one
     * stays registered no other fd is ever reported.
     */
    static final class ClosedFdHidesOthers extends BrokenProvider {
        ClosedFdHidesOthers(HubProvider base) {
            super("closed-fd-hides-others", base);
        }

        @Override
        Hub wrap(Hub real) {
            return new ForwardingHub(real, name()) {
                private final Set<Integer> registered = new TreeSet<>();

                @Override
                public void register(int fd, int interest) throws IOException {
                    delegate.register(fd, interest);
                    registered.add(fd);
                }

                @Override
                public void unregister(int fd) throws IOException {
                    delegate.unregister(fd);
                    registered.remove(fd);
                }

                @Override
                public int poll(long timeoutNanos, ReadyHandler handler) throws IOException {
                    checkOpen();
                    List<Integer> bad = registered.stream().filter(fd -> !Fds.isOpen(fd)).toList();
                    if (bad.isEmpty()) {
                        return delegate.poll(timeoutNanos, handler);
                    }
                    int reported = 0;
                    for (int fd : bad) {
                        if (!isClosed() && registered.contains(fd)) {
                            reported++;
                            handler.ready(fd, Readiness.ERROR);
                        }
                    }
                    return reported;
                }
            };
        }
    }

    /**
     * An fd closed behind the hub's back is reported ERROR once, then dropped from the kernel's set
     * while it stays registered: silent until it is unregistered.
     */
    static final class ClosedFdReportedOnce extends BrokenProvider {
        ClosedFdReportedOnce(HubProvider base) {
            super("closed-fd-reported-once", base);
        }

        @Override
        Hub wrap(Hub real) {
            return new RewritingHub(real, name()) {
                private final Set<Integer> told = new HashSet<>();

                @Override
                int rewrite(int fd, int ops) {
                    if ((ops & Readiness.ERROR) == 0 || Fds.isOpen(fd)) {
                        return ops;
                    }
                    return told.add(fd) ? ops : 0;
                }

                @Override
                public void register(int fd, int interest) throws IOException {
                    delegate.register(fd, interest);
                    told.remove(fd);
                }

                @Override
                public void unregister(int fd) throws IOException {
                    delegate.unregister(fd);
                    told.remove(fd);
                }
            };
        }
    }
}
