package dev.greenhub.tck.selftest;

import dev.greenhub.hub.Hub;
import dev.greenhub.hub.HubProvider;
import dev.greenhub.hub.Readiness;
import java.io.IOException;

/** Broken hubs whose bug is in their limits or in how they refuse bad input. */
final class LimitBugs {
    private LimitBugs() {
    }

    /** fdLimit() says 65536 (a table size) while the hub takes any fd and its author declares no limit. */
    static final class FdLimitLies extends BrokenProvider {
        static final int CLAIMED = 65_536;

        FdLimitLies(HubProvider base) {
            super("fd-limit-lies", base);
        }

        @Override
        Hub wrap(Hub real) {
            return new ForwardingHub(real, name()) {
                @Override
                public int fdLimit() {
                    return CLAIMED;
                }
            };
        }
    }

    /**
     * A fixed table of 2^24 entries indexed by fd: register() of a larger fd below fdLimit() throws
     * ArrayIndexOutOfBoundsException instead of working or refusing it with an IOException.
     */
    static final class HugeFdOverflowsTable extends BrokenProvider {
        static final int TABLE = 1 << 24;

        HugeFdOverflowsTable(HubProvider base) {
            super("huge-fd-overflows-table", base);
        }

        @Override
        Hub wrap(Hub real) {
            return new ForwardingHub(real, name()) {
                @Override
                public void register(int fd, int interest) throws IOException {
                    checkOpen();
                    if (fd >= TABLE && fd < fdLimit()) {
                        throw new ArrayIndexOutOfBoundsException("Index " + fd + " out of bounds for length " + TABLE);
                    }
                    delegate.register(fd, interest);
                }
            };
        }
    }

    /** Bad fds are refused, but with a message that names neither the fd nor the limit. */
    static final class VagueErrors extends BrokenProvider {
        VagueErrors(HubProvider base) {
            super("vague-errors", base);
        }

        @Override
        Hub wrap(Hub real) {
            return new ForwardingHub(real, name()) {
                @Override
                public void register(int fd, int interest) throws IOException {
                    try {
                        delegate.register(fd, interest);
                    } catch (IllegalArgumentException e) {
                        throw new IllegalArgumentException("bad argument");
                    }
                }

                @Override
                public void unregister(int fd) throws IOException {
                    try {
                        delegate.unregister(fd);
                    } catch (IllegalArgumentException e) {
                        throw new IllegalArgumentException("bad argument");
                    }
                }
            };
        }
    }

    /** register() masks the interest to READ|WRITE instead of refusing other bits (-1 becomes READ|WRITE). */
    static final class MasksBadInterest extends BrokenProvider {
        MasksBadInterest(HubProvider base) {
            super("masks-bad-interest", base);
        }

        @Override
        Hub wrap(Hub real) {
            return new ForwardingHub(real, name()) {
                @Override
                public void register(int fd, int interest) throws IOException {
                    delegate.register(fd, interest & (Readiness.READ | Readiness.WRITE));
                }
            };
        }
    }
}
