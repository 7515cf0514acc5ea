package dev.greenhub.hub;

import java.io.IOException;

/**
 * An I/O readiness multiplexer over file descriptors: the part of a green-thread scheduler that
 * waits for fds and for time.
 *
 * <h2>Threading</h2>
 * A hub is owned by one thread, its scheduler's carrier. {@link #register}, {@link #unregister},
 * {@link #poll} and {@link #close} are called only by that thread (or with external
 * happens-before ordering); {@link #wakeup()} is the one method any thread may call at any time.
 *
 * <h2>Semantics</h2>
 * <ul>
 *   <li>Registrations are level-triggered: an fd that stays ready is reported by every poll.</li>
 *   <li>The hub does not own the fds registered with it: it never closes them, and
 *       {@link #close()} releases only the hub's own native resources.</li>
 *   <li>An fd that is closed behind the hub's back (without {@link #unregister}) is reported with
 *       {@link Readiness#ERROR} by every poll until it is unregistered, within the detection delay
 *       the hub documents; the other fds keep working. Its number, once reused by a new fd, works
 *       after it is registered again.</li>
 *   <li>Limits are explicit: {@link #fdLimit()} says which fds the hub can take, and an fd outside
 *       it is refused before any native memory is touched.</li>
 * </ul>
 *
 * <h2>Errors</h2>
 * Bad arguments are {@link IllegalArgumentException}s that name the fd and the limit; any use of a
 * closed hub is an {@link IllegalStateException}; a failed system call is an {@link IOException}
 * that names the call and the errno.
 */
public interface Hub extends AutoCloseable {

    /**
     * The name of the provider that opened this hub, such as {@code "epoll"}.
     *
     * @return the provider name
     */
    String name();

    /**
     * The exclusive upper bound of the fds this hub accepts: {@code 1024} for select(2)'s
     * FD_SETSIZE, {@link Integer#MAX_VALUE} when the hub has no limit of its own.
     *
     * @return the first fd number this hub refuses
     */
    int fdLimit();

    /**
     * Adds {@code fd} with the given interest, or replaces the interest of an fd already
     * registered.
     *
     * @param fd a non-negative fd below {@link #fdLimit()}
     * @param interest {@link Readiness#READ}, {@link Readiness#WRITE} or both
     * @throws IllegalArgumentException if the fd is negative or at/above the limit, or the interest
     *     is empty or has other bits
     * @throws IllegalStateException if the hub is closed
     * @throws IOException if the kernel refuses the fd (for example EBADF for a closed fd on a hub
     *     that registers with the kernel at once)
     */
    void register(int fd, int interest) throws IOException;

    /**
     * Forgets {@code fd}. Safe on an fd the OS already closed.
     *
     * @param fd a registered fd
     * @throws IllegalArgumentException if the fd is not registered with this hub
     * @throws IllegalStateException if the hub is closed
     * @throws IOException if the kernel reports a failure other than the fd being gone
     */
    void unregister(int fd) throws IOException;

    /**
     * The interest {@code fd} is registered with.
     *
     * @param fd any fd
     * @return its interest bits, or {@code 0} if it is not registered
     * @throws IllegalStateException if the hub is closed
     */
    int interest(int fd);

    /**
     * How many fds are registered.
     *
     * @return the count
     * @throws IllegalStateException if the hub is closed
     */
    int registeredCount();

    /**
     * Waits until at least one registered fd is ready, {@link #wakeup()} is called, or the timeout
     * passes, then reports each ready fd to {@code handler}.
     *
     * <p>Never returns early: a timeout is rounded up to the hub's resolution, an interrupted
     * system call (EINTR) is retried with the time that is left, and when the call returns with
     * nothing ready and no wakeup before the deadline it waits again. A wakeup is not reported to
     * the handler and is not counted.
     *
     * @param timeoutNanos how long to wait: negative for no limit, zero to look without blocking
     * @param handler receives each ready fd; see {@link ReadyHandler} for what it may do
     * @return how many fds were reported
     * @throws IllegalStateException if the hub is closed
     * @throws IOException if the wait fails for a reason other than EINTR
     */
    int poll(long timeoutNanos, ReadyHandler handler) throws IOException;

    /**
     * Makes the current {@link #poll} return, or the next one if none is under way. Thread-safe and
     * non-blocking; several calls before a poll returns coalesce into one return.
     *
     * @throws IllegalStateException if the hub is closed
     */
    void wakeup();

    /**
     * Whether {@link #close()} was called.
     *
     * @return true once closed
     */
    boolean isClosed();

    /**
     * Releases the hub's native resources (its own fds and memory). Idempotent. The fds that were
     * registered are not closed.
     */
    @Override
    void close();
}
