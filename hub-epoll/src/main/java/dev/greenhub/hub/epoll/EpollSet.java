package dev.greenhub.hub.epoll;

import dev.greenhub.nativeio.ErrnoException;
import dev.greenhub.nativeio.Native;
import dev.greenhub.nativeio.NativeBuffer;
import dev.greenhub.nativeio.StructLayout;

/**
 * One epoll instance: its fd, with the hub's wakeup fd added when it is created, and the
 * {@code epoll_ctl} and {@code epoll_wait} calls on it. A registration's event data is
 * {@code generation << 32 | fd}; the wakeup fd's is {@link #WAKEUP_DATA}.
 *
 * <p>Not thread-safe: owned by the hub's thread.
 */
final class EpollSet implements AutoCloseable {
    /** Event data of the wakeup fd: fd -1, which no registration can have. */
    static final long WAKEUP_DATA = -1L;

    private static final int DATA_OFFSET = StructLayout.EPOLL_EVENT_DATA_OFFSET;

    private final EpollCalls.Lib lib;
    private final int epfd;
    /** The one {@code struct epoll_event} every epoll_ctl passes, rewritten before each call. */
    private final NativeBuffer ctlEvent;

    private EpollSet(EpollCalls.Lib lib, int epfd, NativeBuffer ctlEvent) {
        this.lib = lib;
        this.epfd = epfd;
        this.ctlEvent = ctlEvent;
    }

    /**
     * Creates an epoll instance watching {@code wakeupFd} for READ.
     *
     * @param lib the binding
     * @param wakeupFd the hub's wakeup fd
     * @return the set
     * @throws ErrnoException if epoll_create1 or adding the wakeup fd fails
     */
    static EpollSet open(EpollCalls.Lib lib, int wakeupFd) throws ErrnoException {
        int epfd = lib.epoll_create1(Native.O_CLOEXEC);
        if (epfd < 0) {
            throw Native.error("epoll_create1(EPOLL_CLOEXEC)");
        }
        NativeBuffer ctl = null;
        try {
            ctl = NativeBuffer.allocate(StructLayout.EPOLL_EVENT_SIZE);
            EpollSet set = new EpollSet(lib, epfd, ctl);
            int errno = set.ctlData(EpollCalls.EPOLL_CTL_ADD, wakeupFd, EpollCalls.EPOLLIN, WAKEUP_DATA);
            if (errno != 0) {
                throw new ErrnoException(set.describe("EPOLL_CTL_ADD", wakeupFd) + " of the wakeup fd", errno);
            }
            return set;
        } catch (Throwable t) {
            if (ctl != null) {
                ctl.close();
            }
            Native.libc().close(epfd);
            throw t;
        }
    }

    /**
     * The epoll fd.
     *
     * @return the fd
     */
    int fd() {
        return epfd;
    }

    /**
     * One epoll_ctl for a registration.
     *
     * @param op EPOLL_CTL_ADD, _MOD or _DEL
     * @param fd the fd
     * @param kernelEvents the EPOLL* bits
     * @param generation the registration's generation, stored in the event data's high half
     * @return 0, or the errno of the failed call
     */
    int ctl(int op, int fd, int kernelEvents, int generation) {
        return ctlData(op, fd, kernelEvents, ((long) generation << 32) | (fd & 0xFFFF_FFFFL));
    }

    /**
     * epoll_wait(2) into {@code events}.
     *
     * @param events room for at least {@code maxEvents} structs
     * @param maxEvents how many events at most
     * @param timeoutMillis -1 for no limit
     * @return the call's result; negative with errno saved on failure
     */
    int wait(NativeBuffer events, int maxEvents, int timeoutMillis) {
        return lib.epoll_wait(epfd, events.pointer(), maxEvents, timeoutMillis);
    }

    /**
     * Names an epoll_ctl call for an error message.
     *
     * @param op the operation's name, such as {@code "EPOLL_CTL_ADD"}
     * @param fd the fd
     * @return the description
     */
    String describe(String op, int fd) {
        return "epoll_ctl(epfd " + epfd + ", " + op + ", fd " + fd + ")";
    }

    @Override
    public void close() {
        try {
            Native.libc().close(epfd);
        } finally {
            ctlEvent.close();
        }
    }

    private int ctlData(int op, int fd, int kernelEvents, long data) {
        ctlEvent.putInt(0, kernelEvents);
        ctlEvent.putLong(DATA_OFFSET, data);
        if (lib.epoll_ctl(epfd, op, fd, ctlEvent.pointer()) == 0) {
            return 0;
        }
        return Native.errno();
    }
}
