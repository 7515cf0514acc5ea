package dev.greenhub.nativeio;

import dev.greenhub.nativeio.libc.LibC;
import java.io.IOException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The fd a hub watches so that another thread can interrupt its wait: an eventfd where the kernel
 * has one, otherwise a non-blocking pipe.
 *
 * <p>{@link #signal()} is thread-safe and coalescing: a flag records that a signal is pending, and
 * only the call that sets it writes to the fd, so any number of signals before {@link #drain()}
 * make the fd readable once. The owner drains the fd before it clears the flag, so a signal that
 * arrives while the hub is returning is never lost: either it finds the flag set (and the hub is
 * already returning) or it writes again.
 *
 * <p>{@link #close()} waits for signals in flight, so a signal can never write to an fd number
 * that was closed and reused by someone else.
 */
public final class WakeupFd implements AutoCloseable {
    private static final byte[] ONE = {1, 0, 0, 0, 0, 0, 0, 0};
    private static final int CLOSED = Integer.MIN_VALUE;

    private final int readFd;
    private final int writeFd;
    private final boolean eventfd;
    private final AtomicBoolean pending = new AtomicBoolean();
    /** Signals in flight, or {@link #CLOSED} once closing has started. */
    private final AtomicInteger users = new AtomicInteger();
    private final byte[] drainBuffer = new byte[64];

    private WakeupFd(int readFd, int writeFd, boolean eventfd) {
        this.readFd = readFd;
        this.writeFd = writeFd;
        this.eventfd = eventfd;
    }

    /**
     * Opens an eventfd, or a pipe where eventfd is missing.
     *
     * @return the wakeup fd
     * @throws IOException if neither can be had
     */
    public static WakeupFd open() throws IOException {
        LibC libc = Native.libc();
        int flags = Native.O_NONBLOCK | Native.O_CLOEXEC;
        int fd = Native.isLinux() ? libc.eventfd(0, flags) : -1;
        if (fd >= 0) {
            return new WakeupFd(fd, fd, true);
        }
        int[] fds = Fds.pipe();
        return new WakeupFd(fds[0], fds[1], false);
    }

    /**
     * The fd to watch for READ.
     *
     * @return the read side
     */
    public int readFd() {
        return readFd;
    }

    /**
     * The fd {@link #signal()} writes to: the same as {@link #readFd()} for an eventfd, the pipe's
     * write side otherwise.
     *
     * @return the write side
     */
    public int writeFd() {
        return writeFd;
    }

    /**
     * Whether this is an eventfd (one fd) rather than a pipe (two fds).
     *
     * @return true for eventfd
     */
    public boolean isEventFd() {
        return eventfd;
    }

    /**
     * Makes {@link #readFd()} readable unless a signal is already pending. Thread-safe, never
     * blocks.
     *
     * @throws IllegalStateException if closed
     */
    public void signal() {
        int u;
        do {
            u = users.get();
            if (u == CLOSED) {
                throw new IllegalStateException("hub is closed: wakeup() after close()");
            }
        } while (!users.compareAndSet(u, u + 1));
        try {
            if (pending.compareAndSet(false, true)) {
                long n = Native.libc().write(writeFd, ONE, eventfd ? 8 : 1);
                // EAGAIN: the counter or the pipe is full, so the fd is readable anyway.
                if (n < 0 && Native.errno() != Native.EAGAIN) {
                    pending.set(false);
                    throw new IllegalStateException(Native.error("write(wakeup fd " + writeFd + ")"));
                }
            }
        } finally {
            users.decrementAndGet();
        }
    }

    /**
     * Whether a signal is pending (set by {@link #signal()} and not yet drained).
     *
     * @return true if pending
     */
    public boolean isPending() {
        return pending.get();
    }

    /**
     * Empties the fd, then clears the pending flag. Called by the owner when the fd is readable.
     *
     * @return true if anything was drained
     */
    public boolean drain() {
        LibC libc = Native.libc();
        boolean any = false;
        while (true) {
            long n = libc.read(readFd, drainBuffer, eventfd ? 8 : drainBuffer.length);
            if (n > 0) {
                any = true;
                if (eventfd) {
                    break;
                }
                continue;
            }
            if (n < 0 && Native.errno() == Native.EINTR) {
                continue;
            }
            break;
        }
        pending.set(false);
        return any;
    }

    /** Closes the fd(s) once no signal is in flight. Idempotent. */
    @Override
    public void close() {
        int u;
        while (true) {
            u = users.get();
            if (u == CLOSED) {
                return;
            }
            if (u == 0 && users.compareAndSet(0, CLOSED)) {
                break;
            }
            Thread.onSpinWait();
        }
        Native.libc().close(readFd);
        if (writeFd != readFd) {
            Native.libc().close(writeFd);
        }
    }
}
