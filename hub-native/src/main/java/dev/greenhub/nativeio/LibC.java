package dev.greenhub.nativeio;

import jnr.ffi.Pointer;
import jnr.ffi.annotations.In;
import jnr.ffi.annotations.Out;
import jnr.ffi.types.size_t;
import jnr.ffi.types.ssize_t;

/**
 * The libc calls every native hub needs, bound with jnr-ffi. Internal to greenhub's hubs: each hub
 * binds its own multiplexing call (epoll_*, poll, select) next to its code.
 *
 * <p>Every call saves errno; read it with {@link Native#errno()} straight after the call, on the
 * same thread, before anything else can run.
 */
public interface LibC {
    /** read(2). */
    @ssize_t long read(int fd, Pointer buf, @size_t long count);

    /** read(2) into a Java array. */
    @ssize_t long read(int fd, @Out byte[] buf, @size_t long count);

    /** write(2). */
    @ssize_t long write(int fd, Pointer buf, @size_t long count);

    /** write(2) from a Java array. */
    @ssize_t long write(int fd, @In byte[] buf, @size_t long count);

    /** close(2). Never retried on EINTR: on Linux the fd is released whatever it returns. */
    int close(int fd);

    /** pipe2(2). */
    int pipe2(@Out int[] fds, int flags);

    /** eventfd(2). */
    int eventfd(int initval, int flags);

    /** fcntl(2) with an int argument. */
    int fcntl(int fd, int cmd, int arg);

    /** socketpair(2). */
    int socketpair(int domain, int type, int protocol, @Out int[] sv);

    /** shutdown(2). */
    int shutdown(int fd, int how);

    /** dup(2). */
    int dup(int fd);

    /** dup2(2). */
    int dup2(int oldfd, int newfd);

    /** strerror(3). */
    String strerror(int errnum);
}
