package dev.greenhub.hub.epoll;

import dev.greenhub.hub.Readiness;
import dev.greenhub.nativeio.Native;
import jnr.ffi.LibraryLoader;
import jnr.ffi.LibraryOption;
import jnr.ffi.Platform;
import jnr.ffi.Pointer;

/**
 * The epoll(7) system calls and constants. Every call saves errno: read it with
 * {@link Native#errno()} straight after a failed call, on the same thread.
 */
final class EpollCalls {
    static final int EPOLL_CTL_ADD = 1;
    static final int EPOLL_CTL_DEL = 2;
    static final int EPOLL_CTL_MOD = 3;

    static final int EPOLLIN = 0x1;
    static final int EPOLLPRI = 0x2;
    static final int EPOLLOUT = 0x4;
    static final int EPOLLERR = 0x8;
    static final int EPOLLHUP = 0x10;
    static final int EPOLLRDHUP = 0x2000;

    /**
     * The jnr-ffi binding. Public only because jnr defines its implementation in a class loader of
     * its own; the enclosing class keeps it out of reach outside this package.
     */
    public interface Lib {
        /** epoll_create1(2). */
        int epoll_create1(int flags);

        /** epoll_ctl(2); {@code event} points to one {@code struct epoll_event}. */
        int epoll_ctl(int epfd, int op, int fd, Pointer event);

        /** epoll_wait(2); {@code events} holds at least {@code maxevents} structs. */
        int epoll_wait(int epfd, Pointer events, int maxevents, int timeout);
    }

    private static final class Holder {
        static final Lib LIB = LibraryLoader.create(Lib.class)
                .option(LibraryOption.SaveError, Boolean.TRUE)
                .load(Platform.getNativePlatform().getStandardCLibraryName());
    }

    private EpollCalls() {
    }

    /**
     * The binding, loaded on first use.
     *
     * @return the calls
     * @throws UnsupportedOperationException if libc cannot be bound, with the reason
     */
    static Lib lib() {
        Native.libc();
        return Holder.LIB;
    }

    /**
     * The kernel events for an interest: READ is {@code EPOLLIN|EPOLLRDHUP}, WRITE {@code EPOLLOUT}.
     *
     * @param interest {@link Readiness} interest bits
     * @return the EPOLL* bits
     */
    static int kernelEvents(int interest) {
        int ev = 0;
        if ((interest & Readiness.READ) != 0) {
            ev |= EPOLLIN | EPOLLRDHUP;
        }
        if ((interest & Readiness.WRITE) != 0) {
            ev |= EPOLLOUT;
        }
        return ev;
    }

    /**
     * The readiness for the kernel's events: {@code EPOLLIN|EPOLLPRI} is READ, {@code EPOLLOUT}
     * WRITE, {@code EPOLLERR} ERROR, {@code EPOLLHUP|EPOLLRDHUP} HANGUP.
     *
     * @param kernelEvents the EPOLL* bits
     * @return the {@link Readiness} bits
     */
    static int readiness(int kernelEvents) {
        int ops = 0;
        if ((kernelEvents & (EPOLLIN | EPOLLPRI)) != 0) {
            ops |= Readiness.READ;
        }
        if ((kernelEvents & EPOLLOUT) != 0) {
            ops |= Readiness.WRITE;
        }
        if ((kernelEvents & EPOLLERR) != 0) {
            ops |= Readiness.ERROR;
        }
        if ((kernelEvents & (EPOLLHUP | EPOLLRDHUP)) != 0) {
            ops |= Readiness.HANGUP;
        }
        return ops;
    }
}
