package dev.greenhub.nativeio;

import java.io.IOException;

/**
 * A system call failed: names the call (with its arguments where they help) and the errno, as in
 * {@code "epoll_ctl(EPOLL_CTL_ADD, fd 7) failed: EBADF (9, Bad file descriptor)"}.
 */
public final class ErrnoException extends IOException {
    private static final long serialVersionUID = 1L;

    /** The call that failed, with its arguments. */
    private final String call;
    /** The errno the call set. */
    private final int errno;

    /**
     * Creates the exception.
     *
     * @param call the call and its arguments
     * @param errno the errno it set
     */
    public ErrnoException(String call, int errno) {
        super(call + " failed: " + Native.errnoName(errno) + " (" + errno + ", "
                + Native.strerror(errno) + ")");
        this.call = call;
        this.errno = errno;
    }

    /**
     * The call that failed, with its arguments.
     *
     * @return the call
     */
    public String call() {
        return call;
    }

    /**
     * The errno the call set.
     *
     * @return the errno value
     */
    public int errno() {
        return errno;
    }
}
