package dev.greenhub.internal;

import dev.greenhub.Scheduler;
import java.io.IOException;
import java.util.Objects;

/**
 * The scheduler's raw fd waits, for greenhub's own packages: {@code dev.greenhub.net} (green
 * sockets, pipes, datagrams) and the TCK's scheduler rules. Not API: applications wait for an fd
 * with {@link dev.greenhub.GreenIo#trampoline} and announce a close with
 * {@link dev.greenhub.GreenIo#notifyClose}; this package is not exported (only to the TCK).
 *
 * <p>Unlike {@code GreenIo.trampoline}, {@link #trampoline} reports a passed deadline as 0 and a
 * forgotten fd as a plain {@link java.nio.channels.AsynchronousCloseException}, so that each caller
 * words its own timeout and close errors (a socket's {@code SocketTimeoutException} names the
 * socket and the operation).
 *
 * <p>The scheduler's package connects its implementation once, when {@link Scheduler} is
 * initialized, which every call here has caused already by holding a scheduler.
 */
public final class FdWaits {
    /** What the scheduler's package implements. */
    public interface Access {
        /**
         * See {@link FdWaits#trampoline}.
         *
         * @param scheduler the caller's scheduler
         * @param fd the fd
         * @param interest READ, WRITE or both
         * @param deadlineNanos the deadline
         * @return the readiness bits, or 0
         * @throws IOException if the hub refuses the fd, or the fd was forgotten
         */
        int trampoline(Scheduler scheduler, int fd, int interest, long deadlineNanos) throws IOException;

        /**
         * See {@link FdWaits#forgetFd}.
         *
         * @param scheduler the caller's scheduler
         * @param fd the fd
         */
        void forgetFd(Scheduler scheduler, int fd);

        /**
         * See {@link FdWaits#fdInterest}.
         *
         * @param scheduler the caller's scheduler
         * @param fd the fd
         * @return the registered interest
         */
        int fdInterest(Scheduler scheduler, int fd);
    }

    private static volatile Access access;

    private FdWaits() {
    }

    /**
     * Connects the scheduler's implementation; called once, by {@link Scheduler}'s initializer.
     *
     * @param implementation the implementation
     * @throws IllegalStateException if one is connected already
     */
    public static synchronized void connect(Access implementation) {
        if (access != null) {
            throw new IllegalStateException("the scheduler's fd waits are connected already");
        }
        access = Objects.requireNonNull(implementation, "implementation");
    }

    /**
     * Waits until {@code fd} is ready for {@code interest}, the deadline passes, or the caller is
     * killed (eventlet's {@code trampoline}); the caller must be a thread of {@code scheduler}. The
     * fd's registration with the hub is kept between waits and changed only when the interest
     * changes; an fd that is ready while nobody waits loses that interest at the next poll.
     *
     * @param scheduler the caller's scheduler
     * @param fd the file descriptor
     * @param interest {@code Readiness.READ}, {@code WRITE} or both
     * @param deadlineNanos on the {@link System#nanoTime()} clock ({@link Deadlines#after}); {@link
     *     Long#MAX_VALUE} for none; a deadline already passed returns 0 at the next turn unless
     *     the fd is ready then
     * @return the readiness bits (READ/WRITE as asked, ERROR and HANGUP always), or 0 if the
     *     deadline passed first
     * @throws java.nio.channels.AsynchronousCloseException if {@link #forgetFd} is called for the
     *     fd while waiting
     * @throws IllegalStateException if another green thread already waits on the fd in that
     *     direction, or the scheduler is closed
     * @throws WrongThreadException if the caller is not a green thread of {@code scheduler}
     * @throws IllegalArgumentException if the interest is invalid, the fd negative or beyond the
     *     hub's limit
     * @throws IOException if the hub refuses the fd
     */
    public static int trampoline(Scheduler scheduler, int fd, int interest, long deadlineNanos) throws IOException {
        return of(scheduler).trampoline(scheduler, fd, interest, deadlineNanos);
    }

    /**
     * Forgets {@code fd} (eventlet's {@code notify_close}): unregisters it from the hub and resumes
     * its waiters, whose {@link #trampoline} throws {@link java.nio.channels.AsynchronousCloseException}.
     * Call it before closing an fd green threads may wait on, so that a new fd with the same number
     * starts afresh.
     *
     * @param scheduler the caller's scheduler
     * @param fd the fd
     * @throws WrongThreadException if the caller is not one of the scheduler's threads
     */
    public static void forgetFd(Scheduler scheduler, int fd) {
        of(scheduler).forgetFd(scheduler, fd);
    }

    /**
     * The interest the scheduler keeps registered for {@code fd} in its hub (diagnostics, tests).
     *
     * @param scheduler the caller's scheduler
     * @param fd the fd
     * @return READ/WRITE bits, or 0 if not registered
     * @throws WrongThreadException if the caller is not one of the scheduler's threads
     */
    public static int fdInterest(Scheduler scheduler, int fd) {
        return of(scheduler).fdInterest(scheduler, fd);
    }

    private static Access of(Scheduler scheduler) {
        Objects.requireNonNull(scheduler, "scheduler");
        return access; // set: holding a Scheduler means its class initializer has run
    }
}
