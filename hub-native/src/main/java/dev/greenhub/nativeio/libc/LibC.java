package dev.greenhub.nativeio.libc;

import jnr.ffi.Pointer;
import jnr.ffi.annotations.In;
import jnr.ffi.annotations.Out;
import jnr.ffi.types.size_t;
import jnr.ffi.types.ssize_t;

/**
 * The libc calls every native hub needs, bound with jnr-ffi ({@code Native.libc()} in
 * {@code dev.greenhub.nativeio} loads it). Internal to greenhub's hubs: each hub binds its own
 * multiplexing call (epoll_*, poll, select) next to its code.
 *
 * <p>Alone in a package that module {@code dev.greenhub.nativeio} exports to everyone, because
 * jnr-ffi defines the implementation of a binding interface in a class loader of its own, whose
 * unnamed module must be able to access the interface; a qualified export cannot name an unnamed
 * module. The rest of the module is exported only to greenhub's hubs and TCK.
 *
 * <p>Every call saves errno; read it with {@code Native.errno()} straight after the call, on the
 * same thread, before anything else can run.
 */
public interface LibC {
    /** read(2).
     *
     * @param fd the fd to read
     * @param buf native memory of at least {@code count} bytes
     * @param count the most bytes to read
     * @return the bytes read, 0 at end of file, -1 with errno set */
    @ssize_t long read(int fd, Pointer buf, @size_t long count);

    /** read(2) into a Java array.
     *
     * @param fd the fd to read
     * @param buf an array of at least {@code count} bytes
     * @param count the most bytes to read
     * @return the bytes read, 0 at end of file, -1 with errno set */
    @ssize_t long read(int fd, @Out byte[] buf, @size_t long count);

    /** write(2).
     *
     * @param fd the fd to write
     * @param buf native memory of at least {@code count} bytes
     * @param count the bytes to write
     * @return the bytes written, -1 with errno set */
    @ssize_t long write(int fd, Pointer buf, @size_t long count);

    /** write(2) from a Java array.
     *
     * @param fd the fd to write
     * @param buf an array of at least {@code count} bytes
     * @param count the bytes to write
     * @return the bytes written, -1 with errno set */
    @ssize_t long write(int fd, @In byte[] buf, @size_t long count);

    /** close(2). Never retried on EINTR: on Linux the fd is released whatever it returns.
     *
     * @param fd the fd to close
     * @return 0, or -1 with errno set */
    int close(int fd);

    /** pipe2(2).
     *
     * @param fds receives the read end (index 0) and the write end (index 1)
     * @param flags O_CLOEXEC, O_NONBLOCK or 0
     * @return 0, or -1 with errno set */
    int pipe2(@Out int[] fds, int flags);

    /** eventfd(2).
     *
     * @param initval the counter's initial value
     * @param flags EFD_CLOEXEC, EFD_NONBLOCK, EFD_SEMAPHORE or 0
     * @return the new fd, or -1 with errno set */
    int eventfd(int initval, int flags);

    /** fcntl(2) with an int argument.
     *
     * @param fd the fd
     * @param cmd the command, such as F_GETFL
     * @param arg the command's argument (0 when it takes none)
     * @return the command's result, or -1 with errno set */
    int fcntl(int fd, int cmd, int arg);

    /** socketpair(2).
     *
     * @param domain AF_UNIX
     * @param type SOCK_STREAM or SOCK_DGRAM, optionally with SOCK_NONBLOCK/SOCK_CLOEXEC
     * @param protocol 0
     * @param sv receives the two connected fds
     * @return 0, or -1 with errno set */
    int socketpair(int domain, int type, int protocol, @Out int[] sv);

    /** shutdown(2).
     *
     * @param fd a socket fd
     * @param how SHUT_RD, SHUT_WR or SHUT_RDWR
     * @return 0, or -1 with errno set */
    int shutdown(int fd, int how);

    /** dup(2).
     *
     * @param fd the fd to duplicate
     * @return the new fd, or -1 with errno set */
    int dup(int fd);

    /** dup2(2).
     *
     * @param oldfd the fd to duplicate
     * @param newfd the fd number the copy takes (closed first if open)
     * @return {@code newfd}, or -1 with errno set */
    int dup2(int oldfd, int newfd);

    /** strerror(3).
     *
     * @param errnum an errno value
     * @return its description */
    String strerror(int errnum);
}
