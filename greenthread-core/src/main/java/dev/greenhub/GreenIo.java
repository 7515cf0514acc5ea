package dev.greenhub;

import dev.greenhub.hub.Readiness;
import java.io.IOException;
import java.nio.channels.AsynchronousCloseException;
import java.time.Duration;
import java.util.Objects;

/**
 * Green waits on raw file descriptors — sockets, pipes, ttys — through the calling thread's
 * {@link Scheduler} and its hub (eventlet's {@code trampoline} and {@code notify_close}). This is
 * greenhub's one public way to wait for an fd; green sockets, pipes and datagram sockets
 * ({@code dev.greenhub.net}) wait the same way inside their read and write methods.
 *
 * <p>The fd must be in non-blocking mode for the code that then reads or writes it not to block
 * the hub.
 *
 * <p>A bad fd (not open, or closed behind greenhub's back) is reported the way the hub's system
 * call reports it, so code must handle both:
 * <pre>{@code
 * try {
 *     int ready = GreenIo.trampoline(fd, Readiness.READ, Duration.ofSeconds(5));
 *     if ((ready & Readiness.ERROR) != 0) {
 *         // the poll hub: poll(2) marks a bad fd POLLNVAL, returned as ERROR
 *     }
 * } catch (IOException e) {
 *     // the epoll hub: epoll_ctl(2) refuses a bad fd with EBADF when it is registered
 * }
 * }</pre> The hub registration is kept between waits and changed only when the interest
 * changes, so a busy connection costs no registration call per read.
 *
 * <h2>Threading</h2>
 * A wait parks the calling green thread (a platform thread runs its scheduler's loop meanwhile).
 * At most one thread waits to read, and one to write, a given fd of a scheduler at a time.
 * {@link #notifyClose(int)} must be called from a thread of the scheduler that waits on the fd.
 */
public final class GreenIo {
    private GreenIo() {
    }

    /**
     * Waits until {@code fd} is ready for {@code interest} or {@code timeout} passes.
     *
     * @param fd the file descriptor
     * @param interest {@link Readiness#READ}, {@link Readiness#WRITE}, or both
     * @param timeout how long at most; null for no limit
     * @return the readiness bits: READ/WRITE as asked, plus ERROR or HANGUP when the fd failed or
     *     its peer hung up (then a read or write reports the detail); on the poll hub ERROR also
     *     for an fd that is not open
     * @throws IoTimeoutException if the timeout passed first; its message names the fd and the wait
     * @throws IoClosedException if {@link #notifyClose(int)} was called for the fd while waiting
     * @throws IllegalStateException if another thread already waits on the fd in that direction
     *     ("second simultaneous read/write on fd N"), or the scheduler is closed
     * @throws IllegalArgumentException if the interest is invalid, the timeout negative, or the fd
     *     beyond the hub's limit (select: 1024)
     * @throws IOException if the hub refuses the fd (for example, on the epoll hub, one that is not
     *     open: EBADF)
     */
    public static int trampoline(int fd, int interest, Duration timeout) throws IOException {
        long deadline = timeout == null ? Long.MAX_VALUE
                : Scheduler.deadlineAfter(Scheduler.delayNanos(timeout, "timeout"));
        return await(Scheduler.current(), fd, interest, deadline, timeout);
    }

    private static int await(Scheduler scheduler, int fd, int interest, long deadline, Duration timeout)
            throws IOException {
        Objects.requireNonNull(scheduler, "scheduler");
        long start = System.nanoTime();
        int ops;
        try {
            ops = scheduler.trampoline(fd, interest, deadline);
        } catch (IoClosedException e) {
            throw e;
        } catch (AsynchronousCloseException e) {
            IoClosedException closed = new IoClosedException("fd " + fd + " was closed through greenhub while "
                    + Fiber.label(Thread.currentThread()) + " waited to " + verb(interest) + " it");
            closed.initCause(e);
            throw closed;
        }
        if (ops == 0) {
            long waited = timeout != null ? timeout.toMillis() : (System.nanoTime() - start) / 1_000_000L;
            throw new IoTimeoutException("timed out after " + waited + " ms waiting to " + verb(interest)
                    + " fd " + fd);
        }
        return ops;
    }

    /**
     * Tells the calling thread's scheduler that {@code fd} is about to be closed (eventlet's
     * {@code notify_close}): it is unregistered from the hub, and the threads waiting on it are
     * resumed with an {@link IoClosedException}. Call it before closing an fd that green threads
     * may wait on, so that they wake at once and a new fd with the same number starts afresh.
     *
     * @param fd the fd
     * @throws WrongThreadException if the caller's scheduler is closed or it is a foreign thread
     */
    public static void notifyClose(int fd) {
        Scheduler.current().forgetFd(fd);
    }

    static String verb(int interest) {
        return switch (interest & Readiness.INTEREST_MASK) {
            case Readiness.READ -> "read";
            case Readiness.WRITE -> "write";
            default -> "read or write";
        };
    }
}
