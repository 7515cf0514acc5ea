package dev.greenhub.nativeio;

import dev.greenhub.hub.Hub;
import dev.greenhub.hub.ReadyHandler;
import dev.greenhub.hub.Readiness;
import java.io.IOException;
import java.util.Objects;

/**
 * The {@link Hub} contract, once, for every native backend; a backend writes only its system
 * calls: one wait ({@link #waitOnce}), telling the kernel about an interest ({@link #addInterest},
 * {@link #removeInterest}) and freeing its resources ({@link #closeNative}).
 *
 * <h2>What this class owns</h2>
 * <ul>
 *   <li>Argument checks: fd range against {@link #fdLimit()}, the hub's own fds, interest bits,
 *       unregistering an fd that is not registered, use after close.</li>
 *   <li>The registration table: interest by fd, the registered fds densely (see
 *       {@link #addInterest} for how a backend's parallel array follows the moves), sized by the
 *       process's RLIMIT_NOFILE and sparse above it, so any fd below {@link #fdLimit()} can be
 *       registered without a huge allocation.</li>
 *   <li>One generation scheme against fd reuse: every registration gets a generation (a new one
 *       when an fd is registered after being unregistered, or registered again after being found
 *       closed); readiness is tagged with it when collected and dropped at dispatch when the fd's
 *       registration changed meanwhile. Backends that store a tag in the kernel (epoll's event
 *       data) use the same number: {@link #addInterest} receives it.</li>
 *   <li>Closed-fd reporting: a backend that finds a registered fd closed behind the hub's back
 *       calls {@link #markClosed}; from then on every poll reports it with {@link Readiness#ERROR}
 *       and does not block, and readiness the backend collects for it is dropped, until it is
 *       unregistered or registered again.</li>
 *   <li>The wait loop: {@link #waitOnce} is called until something is ready, the wakeup fd fired,
 *       or the deadline passed, so rounding, a backend's own shorter waits and EINTR (counted by
 *       {@link #interruptedWaits()}) never make a poll return early with nothing.</li>
 *   <li>The wakeup fd, and a {@link #close()} that may be called twice.</li>
 * </ul>
 *
 * <p>Not thread-safe except {@link #wakeup()}, as {@link Hub} says.
 */
public abstract class NativeHub implements Hub {
    private final String name;
    private final int fdLimit;
    private final WakeupFd wakeup;
    private final Registrations table = Registrations.forThisProcess();
    private final ReadyList ready = new ReadyList();
    private volatile boolean closed; // read by wakeup() on other threads: a close() must stop them, or it waits for them forever
    private boolean woken;
    private long interruptedWaits;

    /**
     * Creates the shared state.
     *
     * @param name the provider name, used in messages
     * @param fdLimit the exclusive upper bound of the fds the backend accepts
     * @param wakeup the wakeup fd; the hub owns it from now on and closes it in {@link #close()}
     */
    protected NativeHub(String name, int fdLimit, WakeupFd wakeup) {
        this.name = Objects.requireNonNull(name, "name");
        this.fdLimit = fdLimit;
        this.wakeup = Objects.requireNonNull(wakeup, "wakeup");
    }

    @Override
    public final String name() {
        return name;
    }

    @Override
    public final int fdLimit() {
        return fdLimit;
    }

    @Override
    public final boolean isClosed() {
        return closed;
    }

    @Override
    public final void register(int fd, int interest) throws IOException {
        checkOpen();
        checkFd(fd);
        Readiness.checkInterest(interest);
        int old = table.interest(fd);
        if (old == 0) {
            int generation = addInterest(fd, interest, 0, table.count(), table.newGeneration());
            table.add(fd, interest, generation);
        } else {
            // Also when the interest is unchanged: the number may now name another file (closed
            // behind the hub's back and reused), which the backend must tell the kernel about.
            boolean wasClosed = table.isClosed(fd);
            int generation = wasClosed ? table.newGeneration() : table.generation(fd);
            generation = addInterest(fd, interest, old, table.index(fd), generation);
            table.clearClosed(fd);
            table.update(fd, interest, generation);
        }
    }

    @Override
    public final void unregister(int fd) throws IOException {
        checkOpen();
        int old = table.interest(fd);
        if (old == 0) {
            throw new IllegalArgumentException("fd " + fd + " is not registered with the " + name + " hub");
        }
        int index = table.index(fd);
        int moved = table.remove(fd);
        removeInterest(fd, old, index, moved);
    }

    @Override
    public final int interest(int fd) {
        checkOpen();
        return table.interest(fd);
    }

    @Override
    public final int registeredCount() {
        checkOpen();
        return table.count();
    }

    @Override
    public final int poll(long timeoutNanos, ReadyHandler handler) throws IOException {
        checkOpen();
        Objects.requireNonNull(handler, "handler");
        awaitReadiness(timeoutNanos);
        return dispatch(handler);
    }

    @Override
    public final void wakeup() {
        if (closed) {
            throw closedException();
        }
        wakeup.signal();
    }

    @Override
    public final void close() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            closeNative();
        } finally {
            wakeup.close();
        }
    }

    /**
     * How many native waits a signal interrupted (EINTR); each was retried with the time left.
     * For tests and diagnostics; read it on the owning thread.
     *
     * @return the count since the hub was opened
     */
    public final long interruptedWaits() {
        return interruptedWaits;
    }

    /**
     * One native wait of at most {@code timeoutNanos} (negative: no limit; zero: do not block).
     * Reports ready fds with {@link #addReady} and the wakeup fd with {@link #wakeupFired()}. May
     * return sooner than asked with nothing reported (this class waits again with the time left).
     *
     * @param timeoutNanos the longest wait
     * @return the system call's result: negative when it failed, with its errno the last one
     *     saved on this thread (EINTR is retried by this class, any other errno fails the poll
     *     with an {@link ErrnoException} naming {@link #waitCall})
     * @throws IOException if the backend finds a failure of its own
     */
    protected abstract int waitOnce(long timeoutNanos) throws IOException;

    /**
     * Describes the wait call for an error message, such as {@code "poll(3 fds, timeout 5 ms)"}.
     *
     * @param timeoutNanos the timeout the failed wait was given
     * @return the description
     */
    protected abstract String waitCall(long timeoutNanos);

    /**
     * Tells the kernel (or the backend's native array) about a new registration or a changed
     * interest. Called after all argument checks; the table is updated after it returns normally.
     *
     * @param fd the fd
     * @param interest the new interest
     * @param oldInterest the previous interest, or 0 for a new registration
     * @param index the fd's dense index (for a new fd: the index it will take)
     * @param generation the registration's generation, to store in the kernel if the backend tags
     *     its kernel registrations
     * @return the generation the registration has from now on: {@code generation}, or one the
     *     backend took from {@link #newGeneration()} because the kernel now holds a registration
     *     of another file under this number
     * @throws IOException if the kernel refuses
     */
    protected abstract int addInterest(int fd, int interest, int oldInterest, int index, int generation)
            throws IOException;

    /**
     * Forgets a registration. Called after the table was updated; must tolerate an fd that the OS
     * already closed.
     *
     * @param fd the fd
     * @param oldInterest the interest it had
     * @param index the dense index it had
     * @param movedFd the fd that moved from the last index into {@code index}, or -1 if none did
     * @throws IOException if the kernel fails for a reason other than the fd being gone
     */
    protected abstract void removeInterest(int fd, int oldInterest, int index, int movedFd) throws IOException;

    /** Releases the backend's native resources (not the wakeup fd, which this class closes). */
    protected abstract void closeNative();

    /**
     * Names one of the backend's own fds, which cannot be registered. This class already refuses
     * the wakeup fd.
     *
     * @param fd the fd being registered
     * @return what the fd is (such as {@code "epoll fd"}), or null if it is not the backend's own
     */
    protected String ownFdName(int fd) {
        return null;
    }

    /**
     * Records readiness the wait found for a registered fd, tagged with its current generation.
     * Dropped if the fd is not registered, is marked closed (its ERROR is reported anyway), or the
     * readiness has no bit the fd asked for (ERROR and HANGUP always count).
     *
     * @param fd the fd
     * @param ops the {@link Readiness} bits
     */
    protected final void addReady(int fd, int ops) {
        int interest = table.interest(fd);
        int report = ops & (interest | Readiness.ERROR | Readiness.HANGUP);
        if (interest != 0 && report != 0 && (table.closedCount() == 0 || !table.isClosed(fd))) {
            ready.add(fd, report, table.generation(fd));
        }
    }

    /**
     * Records readiness the kernel tagged with a generation (epoll's event data), as
     * {@link #addReady(int, int)} does, if the tag is the fd's current generation.
     *
     * @param fd the fd
     * @param ops the {@link Readiness} bits
     * @param generation the tag the kernel returned
     * @return false if the tag is not the fd's current generation: the event belongs to a
     *     registration this hub no longer has
     */
    protected final boolean addReady(int fd, int ops, int generation) {
        if (generation == 0 || table.generation(fd) != generation) {
            return false;
        }
        addReady(fd, ops);
        return true;
    }

    /**
     * Marks a registered fd as closed behind the hub's back: every poll reports it with ERROR,
     * without blocking, until it is unregistered or registered again. The backend must stop
     * giving it to the kernel if the kernel would fail the whole wait for it.
     *
     * @param fd a registered fd
     */
    protected final void markClosed(int fd) {
        if (table.interest(fd) != 0) {
            table.markClosed(fd);
        }
    }

    /**
     * Whether {@link #markClosed} marked a registered fd.
     *
     * @param fd any fd
     * @return true if marked
     */
    protected final boolean isMarkedClosed(int fd) {
        return table.isClosed(fd);
    }

    /** Drains the wakeup fd and makes this poll return. Called when {@link #wakeupFd()} is readable. */
    protected final void wakeupFired() {
        wakeup.drain();
        woken = true;
    }

    /**
     * The fd the backend must watch for READ.
     *
     * @return the wakeup fd's read side
     */
    protected final int wakeupFd() {
        return wakeup.readFd();
    }

    /**
     * A generation no registration has had, for a backend that must re-register an fd with the
     * kernel under a new tag (see {@link #addInterest}).
     *
     * @return the generation
     */
    protected final int newGeneration() {
        return table.newGeneration();
    }

    /**
     * The generation of an fd's current registration.
     *
     * @param fd any fd
     * @return its generation, or 0 if not registered
     */
    protected final int generation(int fd) {
        return table.generation(fd);
    }

    /**
     * The registered fd at a dense index.
     *
     * @param index from 0 to {@code count() - 1}
     * @return the fd
     */
    protected final int registeredFd(int index) {
        Objects.checkIndex(index, table.count());
        return table.fdAt(index);
    }

    /**
     * How many fds are registered, without the closed check (for backends' own loops).
     *
     * @return the count
     */
    protected final int count() {
        return table.count();
    }

    /**
     * An exception for use of a closed hub.
     *
     * @return the exception, to throw
     */
    protected final IllegalStateException closedException() {
        return new IllegalStateException("the " + name + " hub is closed");
    }

    /**
     * The message for an fd at or above {@link #fdLimit()}; backends with a limit override it to
     * say where the limit comes from.
     *
     * @param fd the refused fd
     * @return the message
     */
    protected String fdLimitMessage(int fd) {
        return "fd " + fd + " is beyond the " + name + " hub's limit of " + fdLimit;
    }

    /**
     * Rounds a timeout up to whole milliseconds for an int-millisecond call.
     *
     * @param nanos the timeout: negative for no limit
     * @return -1 for no limit, else the milliseconds rounded up, at most {@link Integer#MAX_VALUE}
     */
    public static int millisCeil(long nanos) {
        if (nanos < 0) {
            return -1;
        }
        long ms = nanos / 1_000_000L + (nanos % 1_000_000L == 0 ? 0 : 1);
        return (int) Math.min(ms, Integer.MAX_VALUE);
    }

    /**
     * Rounds a timeout up to whole microseconds.
     *
     * @param nanos the timeout: negative for no limit
     * @return -1 for no limit, else the microseconds rounded up
     */
    public static long microsCeil(long nanos) {
        if (nanos < 0) {
            return -1;
        }
        return nanos / 1_000L + (nanos % 1_000L == 0 ? 0 : 1);
    }

    /**
     * Waits until readiness was collected, the wakeup fired, or the deadline passed. The deadline
     * arithmetic compares differences of {@link System#nanoTime()}, so it cannot overflow.
     */
    private void awaitReadiness(long timeoutNanos) throws IOException {
        long start = timeoutNanos > 0 ? System.nanoTime() : 0;
        long wait = timeoutNanos;
        while (true) {
            ready.clear();
            woken = false;
            int closedFds = table.closedCount();
            long thisWait = closedFds > 0 ? 0 : wait;
            int result = waitOnce(thisWait);
            if (result < 0) {
                int errno = Native.errno();
                if (errno != Native.EINTR) {
                    throw new ErrnoException(waitCall(thisWait), errno);
                }
                interruptedWaits++;
            }
            for (int i = 0; i < table.closedCount(); i++) {
                int fd = table.closedFdAt(i);
                ready.add(fd, Readiness.ERROR, table.generation(fd));
            }
            if (ready.count() > 0 || woken || timeoutNanos == 0) {
                return;
            }
            if (timeoutNanos > 0) {
                wait = timeoutNanos - (System.nanoTime() - start);
                if (wait <= 0) {
                    return;
                }
            }
        }
    }

    private int dispatch(ReadyHandler handler) {
        int reported = 0;
        int n = ready.count();
        for (int i = 0; i < n && !closed; i++) {
            int fd = ready.fd(i);
            int current = table.interest(fd);
            if (current == 0 || table.generation(fd) != ready.generation(i)) {
                continue;
            }
            int report = ready.ops(i) & (current | Readiness.ERROR | Readiness.HANGUP);
            if (report != 0) {
                reported++;
                handler.ready(fd, report);
            }
        }
        ready.clear();
        return reported;
    }

    private void checkOpen() {
        if (closed) {
            throw closedException();
        }
    }

    private void checkFd(int fd) {
        if (fd < 0) {
            throw new IllegalArgumentException("fd " + fd + " is negative");
        }
        if (fd >= fdLimit) {
            throw new IllegalArgumentException(fdLimitMessage(fd));
        }
        String own = fd == wakeup.readFd() || fd == wakeup.writeFd() ? "wakeup fd" : ownFdName(fd);
        if (own != null) {
            throw new IllegalArgumentException("fd " + fd + " is the " + name + " hub's own " + own
                    + " and cannot be registered with it (is it the stale number of an fd that was closed?)");
        }
    }
}
