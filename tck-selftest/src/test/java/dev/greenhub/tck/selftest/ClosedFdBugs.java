package dev.greenhub.tck.selftest;

import dev.greenhub.hub.Hub;
import dev.greenhub.hub.HubProvider;
import dev.greenhub.hub.Readiness;
import dev.greenhub.nativeio.Fds;
import java.io.IOException;
import java.util.HashSet;
import java.util.Set;

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
