package dev.greenhub.tck.selftest;

import dev.greenhub.hub.Hub;
import dev.greenhub.hub.HubProvider;
import dev.greenhub.hub.ReadyHandler;
import dev.greenhub.hub.Readiness;
import dev.greenhub.nativeio.Native;
import dev.greenhub.nativeio.NativeBuffer;
import dev.greenhub.nativeio.WakeupFd;
import java.io.IOException;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import jnr.ffi.LibraryLoader;
import jnr.ffi.Platform;
import jnr.ffi.Pointer;
import jnr.ffi.types.size_t;

/**
 * A small, self-contained poll(2) hub written the way a hub author would: the base of the broken
 * hubs whose bug is inside the wait loop, where a wrapper of a real hub cannot reach. Correct as
 * written (it passes the kit); a broken hub overrides one of its hooks.
 *
 * <p>Linux only (the kit's native helpers are), one {@code struct pollfd} array rebuilt per poll.
 */
class SmallPollHub implements Hub {
    /** poll(2), bound with jnr-ffi; public because jnr implements it in a class loader of its own. */
    public interface PollLib {
        /**
         * poll(2).
         *
         * @param fds the pollfd array
         * @param nfds its length
         * @param timeout milliseconds, -1 for no limit
         * @return what poll(2) returns
         */
        int poll(Pointer fds, @size_t long nfds, int timeout);
    }

    private static final PollLib LIB = LibraryLoader.create(PollLib.class)
            .load(Platform.getNativePlatform().getStandardCLibraryName());
    private static final int POLLIN = 0x1;
    private static final int POLLOUT = 0x4;
    private static final int POLLERR = 0x8;
    private static final int POLLHUP = 0x10;
    private static final int POLLNVAL = 0x20;
    private static final int POLLRDHUP = 0x2000;
    private static final int SLOT = 8;

    private final String name;
    private final WakeupFd wakeup;
    private final Map<Integer, Integer> interests = new LinkedHashMap<>();
    /** The generation of each registration, so that a poll never reports a newer one with older readiness. */
    private final Map<Integer, Long> generations = new HashMap<>();
    private long nextGeneration;
    private boolean closed;

    SmallPollHub(String name) throws IOException {
        this.name = name;
        this.wakeup = WakeupFd.open();
    }

    /**
     * Whether a wait that poll(2) ended with EINTR goes on with the time left. The correct answer is
     * yes; a broken hub says no, and its poll returns early with nothing.
     *
     * @return true to wait again
     */
    boolean waitAgainAfterEintr() {
        return true;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public int fdLimit() {
        return Integer.MAX_VALUE;
    }

    @Override
    public void register(int fd, int interest) {
        checkOpen();
        if (fd < 0) {
            throw new IllegalArgumentException("fd " + fd + " is negative");
        }
        if (fd >= fdLimit()) {
            throw new IllegalArgumentException("fd " + fd + " is beyond the " + name + " hub's limit of " + fdLimit());
        }
        Readiness.checkInterest(interest);
        if (interests.put(fd, interest) == null) {
            generations.put(fd, ++nextGeneration);
        }
    }

    @Override
    public void unregister(int fd) {
        checkOpen();
        if (interests.remove(fd) == null) {
            throw new IllegalArgumentException("fd " + fd + " is not registered with the " + name + " hub");
        }
        generations.remove(fd);
    }

    @Override
    public int interest(int fd) {
        checkOpen();
        return interests.getOrDefault(fd, 0);
    }

    @Override
    public int registeredCount() {
        checkOpen();
        return interests.size();
    }

    @Override
    public int poll(long timeoutNanos, ReadyHandler handler) throws IOException {
        checkOpen();
        int[] fds = new int[interests.size() + 1];
        long[] polled = new long[fds.length];
        fds[0] = wakeup.readFd();
        int count = 1;
        for (int fd : interests.keySet()) {
            polled[count] = generations.get(fd);
            fds[count++] = fd;
        }
        long deadline = System.nanoTime() + timeoutNanos;
        try (NativeBuffer pollfds = NativeBuffer.allocate((long) count * SLOT)) {
            for (int i = 0; i < count; i++) {
                pollfds.putInt((long) i * SLOT, fds[i]);
                pollfds.putShort((long) i * SLOT + 4, (short) (i == 0 ? POLLIN : events(interests.get(fds[i]))));
            }
            while (true) {
                long left = timeoutNanos < 0 ? -1 : Math.max(0, deadline - System.nanoTime());
                int n = LIB.poll(pollfds.pointer(), count, millisCeil(left));
                if (n < 0) {
                    int errno = Native.errno();
                    if (errno == Native.EINTR && waitAgainAfterEintr()) {
                        continue;
                    }
                    if (errno == Native.EINTR) {
                        return 0;
                    }
                    throw new IOException("poll(" + count + " fds): errno " + errno);
                }
                if (n > 0) {
                    return dispatch(pollfds, fds, polled, count, handler);
                }
                if (timeoutNanos >= 0 && deadline - System.nanoTime() <= 0) {
                    return 0;
                }
            }
        }
    }

    private int dispatch(NativeBuffer pollfds, int[] fds, long[] polled, int count, ReadyHandler handler) {
        int reported = 0;
        if (pollfds.getShort(6) != 0) {
            wakeup.drain();
        }
        for (int i = 1; i < count && !closed; i++) {
            int revents = pollfds.getShort((long) i * SLOT + 6) & 0xFFFF;
            int interest = interests.getOrDefault(fds[i], 0);
            if (interest == 0 || generations.get(fds[i]) != polled[i]) {
                continue; // unregistered by the handler, or registered again since this poll began
            }
            int ops = readiness(revents) & (interest | Readiness.ERROR | Readiness.HANGUP);
            if (interest != 0 && ops != 0) {
                reported++;
                handler.ready(fds[i], ops);
            }
        }
        return reported;
    }

    @Override
    public void wakeup() {
        checkOpen();
        wakeup.signal();
    }

    @Override
    public boolean isClosed() {
        return closed;
    }

    @Override
    public void close() {
        if (!closed) {
            closed = true;
            wakeup.close();
        }
    }

    private void checkOpen() {
        if (closed) {
            throw new IllegalStateException("the " + name + " hub is closed");
        }
    }

    private static int events(int interest) {
        return ((interest & Readiness.READ) != 0 ? POLLIN | POLLRDHUP : 0)
                | ((interest & Readiness.WRITE) != 0 ? POLLOUT : 0);
    }

    private static int readiness(int revents) {
        return ((revents & POLLIN) != 0 ? Readiness.READ : 0)
                | ((revents & POLLOUT) != 0 ? Readiness.WRITE : 0)
                | ((revents & (POLLERR | POLLNVAL)) != 0 ? Readiness.ERROR : 0)
                | ((revents & (POLLHUP | POLLRDHUP)) != 0 ? Readiness.HANGUP : 0);
    }

    private static int millisCeil(long nanos) {
        return nanos < 0 ? -1 : (int) Math.min(Integer.MAX_VALUE, (nanos + 999_999) / 1_000_000);
    }

    /** The provider of small poll hubs, with the poll hub's capabilities. */
    static class Provider extends BrokenProvider {
        Provider(String bug) {
            super(bug, POLL);
        }

        @Override
        public Hub open() throws IOException {
            return new SmallPollHub(name());
        }

        @Override
        Hub wrap(Hub real) {
            throw new UnsupportedOperationException("a small poll hub wraps no real hub");
        }
    }
}
