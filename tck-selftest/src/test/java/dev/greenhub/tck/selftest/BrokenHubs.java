package dev.greenhub.tck.selftest;

import dev.greenhub.hub.Hub;
import dev.greenhub.hub.ReadyHandler;
import dev.greenhub.hub.Readiness;
import dev.greenhub.nativeio.Fds;
import java.io.IOException;

/**
 * The first broken hubs, each over the real poll hub with one fault. They are also registered as
 * services so that the command-line runner can find them by name (see TckCommandLineTest); the
 * other broken hubs are grouped by the rule group they break ({@link RegistrationBugs} and so on).
 */
public final class BrokenHubs {
    private BrokenHubs() {
    }

    /** wakeup() does nothing. */
    public static final class IgnoresWakeup extends BrokenProvider {
        public IgnoresWakeup() {
            super("ignores-wakeup", POLL);
        }

        @Override
        Hub wrap(Hub real) {
            return new ForwardingHub(real, name()) {
                @Override
                public void wakeup() {
                    checkOpen();
                }
            };
        }
    }

    /** A positive timeout is halved: polls return before their deadline. */
    public static final class ReturnsEarly extends BrokenProvider {
        public ReturnsEarly() {
            super("returns-early", POLL);
        }

        @Override
        Hub wrap(Hub real) {
            return new ForwardingHub(real, name()) {
                @Override
                public int poll(long timeoutNanos, ReadyHandler handler) throws IOException {
                    return delegate.poll(timeoutNanos > 0 ? timeoutNanos / 2 : timeoutNanos, handler);
                }
            };
        }
    }

    /** Reports at most the first three ready fds of each poll and drops the rest. */
    public static final class DropsEvents extends BrokenProvider {
        static final int KEPT = 3;

        public DropsEvents() {
            super("drops-events", POLL);
        }

        @Override
        Hub wrap(Hub real) {
            return ReadinessBugs.keepingFirst(real, name(), KEPT);
        }
    }

    /** Opens a pipe with every hub and never closes it. */
    public static final class LeaksFds extends BrokenProvider {
        public LeaksFds() {
            super("leaks-fds", POLL);
        }

        @Override
        Hub wrap(Hub real) throws IOException {
            Fds.pipe(); // the leak: both fds stay open for good
            return new ForwardingHub(real, name());
        }
    }

    /** Reports WRITE readiness as READ. */
    public static final class WriteAsRead extends BrokenProvider {
        public WriteAsRead() {
            super("write-as-read", POLL);
        }

        @Override
        Hub wrap(Hub real) {
            return new RewritingHub(real, name()) {
                @Override
                int rewrite(int fd, int ops) {
                    return (ops & Readiness.WRITE) != 0 ? (ops & ~Readiness.WRITE) | Readiness.READ : ops;
                }
            };
        }
    }

    /** Never reports HANGUP, though its capabilities claim the feature: fails optional rules only. */
    public static final class DropsHangup extends BrokenProvider {
        public DropsHangup() {
            super("drops-hangup", POLL);
        }

        @Override
        Hub wrap(Hub real) {
            return new RewritingHub(real, name()) {
                @Override
                int rewrite(int fd, int ops) {
                    return ops & ~Readiness.HANGUP;
                }
            };
        }
    }
}
