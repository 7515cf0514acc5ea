package dev.greenhub.hub.epoll;

import dev.greenhub.nativeio.Native;
import jnr.ffi.LibraryLoader;
import jnr.ffi.LibraryOption;
import jnr.ffi.Platform;
import jnr.ffi.Pointer;

/**
 * The epoll(7) system calls, bound with jnr-ffi. Every call saves errno: read it with
 * {@link Native#errno()} straight after a failed call, on the same thread.
 */
interface EpollLib {
    /** EPOLL_CTL_ADD. */
    int EPOLL_CTL_ADD = 1;
    /** EPOLL_CTL_DEL. */
    int EPOLL_CTL_DEL = 2;
    /** EPOLL_CTL_MOD. */
    int EPOLL_CTL_MOD = 3;

    /** EPOLLIN. */
    int EPOLLIN = 0x1;
    /** EPOLLPRI. */
    int EPOLLPRI = 0x2;
    /** EPOLLOUT. */
    int EPOLLOUT = 0x4;
    /** EPOLLERR. */
    int EPOLLERR = 0x8;
    /** EPOLLHUP. */
    int EPOLLHUP = 0x10;
    /** EPOLLRDHUP. */
    int EPOLLRDHUP = 0x2000;

    /** epoll_create1(2). */
    int epoll_create1(int flags);

    /** epoll_ctl(2); {@code event} points to one {@code struct epoll_event}. */
    int epoll_ctl(int epfd, int op, int fd, Pointer event);

    /** epoll_wait(2); {@code events} holds at least {@code maxevents} structs. */
    int epoll_wait(int epfd, Pointer events, int maxevents, int timeout);

    /** The binding, loaded on first use. */
    final class Holder {
        static final EpollLib LIB = LibraryLoader.create(EpollLib.class)
                .option(LibraryOption.SaveError, Boolean.TRUE)
                .load(Platform.getNativePlatform().getStandardCLibraryName());

        private Holder() {
        }
    }

    /**
     * The bound calls.
     *
     * @return the binding
     */
    static EpollLib get() {
        Native.libc();
        return Holder.LIB;
    }
}
