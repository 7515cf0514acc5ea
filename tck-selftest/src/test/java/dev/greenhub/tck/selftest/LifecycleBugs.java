package dev.greenhub.tck.selftest;

import dev.greenhub.hub.Hub;
import dev.greenhub.hub.HubProvider;
import dev.greenhub.nativeio.Fds;
import dev.greenhub.nativeio.Native;
import java.io.IOException;
import java.util.LinkedHashSet;
import java.util.Set;

/** Broken hubs whose bug is in close() or in the use of a closed hub. */
final class LifecycleBugs {
    private LifecycleBugs() {
    }

    /** close() closes the registered fds as well as its own. */
    static final class CloseClosesRegisteredFds extends BrokenProvider {
        CloseClosesRegisteredFds(HubProvider base) {
            super("close-closes-registered-fds", base);
        }

        @Override
        Hub wrap(Hub real) {
            return new ForwardingHub(real, name()) {
                private final Set<Integer> registered = new LinkedHashSet<>();

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
                public void close() {
                    if (!isClosed()) {
                        registered.forEach(fd -> Native.libc().close(fd));
                    }
                    delegate.close();
                }
            };
        }
    }

    /**
     * The hub keeps a native fd of its own (here a pipe) and close() closes it without checking
     * whether it already did: a second close() closes whatever file has taken those numbers since.
     */
    static final class SecondCloseClosesReusedFd extends BrokenProvider {
        SecondCloseClosesReusedFd(HubProvider base) {
            super("second-close-closes-reused-fd", base);
        }

        @Override
        Hub wrap(Hub real) throws IOException {
            int[] own = Fds.pipe();
            return new ForwardingHub(real, name()) {
                @Override
                public void close() {
                    Native.libc().close(own[0]);
                    Native.libc().close(own[1]);
                    delegate.close();
                }
            };
        }
    }

    /** After close(), interest() and registeredCount() answer 0 instead of throwing IllegalStateException. */
    static final class AnswersAfterClose extends BrokenProvider {
        AnswersAfterClose(HubProvider base) {
            super("answers-after-close", base);
        }

        @Override
        Hub wrap(Hub real) {
            return new ForwardingHub(real, name()) {
                @Override
                public int interest(int fd) {
                    return isClosed() ? 0 : delegate.interest(fd);
                }

                @Override
                public int registeredCount() {
                    return isClosed() ? 0 : delegate.registeredCount();
                }
            };
        }
    }
}
