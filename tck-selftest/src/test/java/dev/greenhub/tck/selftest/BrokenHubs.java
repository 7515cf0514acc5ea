package dev.greenhub.tck.selftest;

import dev.greenhub.hub.Availability;
import dev.greenhub.hub.Hub;
import dev.greenhub.hub.HubProvider;
import dev.greenhub.hub.ReadyHandler;
import dev.greenhub.hub.Readiness;
import dev.greenhub.hub.poll.PollHubProvider;
import dev.greenhub.nativeio.Fds;
import java.io.IOException;

/**
 * Deliberately broken hubs: each a decorator over the real poll hub with one fault. They are also
 * registered as services (priority below every real hub) so that the command-line runner can
 * find them by name.
 */
public final class BrokenHubs {
    private BrokenHubs() {
    }

    /** A provider of poll hubs wrapped by one broken decorator. */
    abstract static class BrokenProvider implements HubProvider {
        private final HubProvider real = new PollHubProvider();
        private final String name;

        BrokenProvider(String name) {
            this.name = name;
        }

        abstract Hub wrap(Hub real, String name) throws IOException;

        @Override
        public final String name() {
            return name;
        }

        @Override
        public final int priority() {
            return -1000;
        }

        @Override
        public final Availability availability() {
            return real.availability();
        }

        @Override
        public final Hub open() throws IOException {
            Hub hub = real.open();
            try {
                return wrap(hub, name);
            } catch (IOException | RuntimeException e) {
                hub.close();
                throw e;
            }
        }
    }

    /** wakeup() does nothing. */
    public static final class IgnoresWakeup extends BrokenProvider {
        public IgnoresWakeup() {
            super("poll-ignores-wakeup");
        }

        @Override
        Hub wrap(Hub real, String name) {
            return new ForwardingHub(real, name) {
                @Override
                public void wakeup() {
                    if (isClosed()) {
                        throw new IllegalStateException("the " + name + " hub is closed");
                    }
                }
            };
        }
    }

    /** A positive timeout is halved: polls return before their deadline. */
    public static final class ReturnsEarly extends BrokenProvider {
        public ReturnsEarly() {
            super("poll-returns-early");
        }

        @Override
        Hub wrap(Hub real, String name) {
            return new ForwardingHub(real, name) {
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
            super("poll-drops-events");
        }

        @Override
        Hub wrap(Hub real, String name) {
            return new ForwardingHub(real, name) {
                @Override
                public int poll(long timeoutNanos, ReadyHandler handler) throws IOException {
                    int[] passed = {0};
                    delegate.poll(timeoutNanos, (fd, ops) -> {
                        if (passed[0] < KEPT) {
                            passed[0]++;
                            handler.ready(fd, ops);
                        }
                    });
                    return passed[0];
                }
            };
        }
    }

    /** Opens a pipe with every hub and never closes it. */
    public static final class LeaksFds extends BrokenProvider {
        public LeaksFds() {
            super("poll-leaks-fds");
        }

        @Override
        Hub wrap(Hub real, String name) throws IOException {
            Fds.pipe(); // the leak: both fds stay open for good
            return new ForwardingHub(real, name);
        }
    }

    /** Reports WRITE readiness as READ. */
    public static final class WriteAsRead extends BrokenProvider {
        public WriteAsRead() {
            super("poll-write-as-read");
        }

        @Override
        Hub wrap(Hub real, String name) {
            return new ForwardingHub(real, name) {
                @Override
                public int poll(long timeoutNanos, ReadyHandler handler) throws IOException {
                    return delegate.poll(timeoutNanos, (fd, ops) -> handler.ready(fd,
                            (ops & Readiness.WRITE) != 0 ? (ops & ~Readiness.WRITE) | Readiness.READ : ops));
                }
            };
        }
    }

    /** Never reports HANGUP, though its capabilities claim the feature: fails optional rules only. */
    public static final class DropsHangup extends BrokenProvider {
        public DropsHangup() {
            super("poll-drops-hangup");
        }

        @Override
        Hub wrap(Hub real, String name) {
            return new ForwardingHub(real, name) {
                @Override
                public int poll(long timeoutNanos, ReadyHandler handler) throws IOException {
                    int[] passed = {0};
                    delegate.poll(timeoutNanos, (fd, ops) -> {
                        int kept = ops & ~Readiness.HANGUP;
                        if (kept != 0) {
                            passed[0]++;
                            handler.ready(fd, kept);
                        }
                    });
                    return passed[0];
                }
            };
        }
    }
}
