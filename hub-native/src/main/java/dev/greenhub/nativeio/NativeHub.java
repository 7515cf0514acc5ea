package dev.greenhub.nativeio;

import dev.greenhub.hub.Hub;
import dev.greenhub.hub.ReadyHandler;
import dev.greenhub.hub.Readiness;
import java.io.IOException;
import java.util.Arrays;
import java.util.Objects;

/**
 * What every native {@link Hub} shares, so that each backend only writes its system calls:
 * argument checks, the registration table, the wakeup fd, the never-early wait loop, and dispatch
 * that never reports stale readiness.
 *
 * <h2>Registration table</h2>
 * Registered fds are kept densely: a new fd takes index {@code registeredCount() - 1}; when an fd
 * is unregistered, the fd at the last index moves into its index. Backends that keep a parallel
 * native array (poll's pollfd array) follow the same moves through the {@code index} and
 * {@code movedFd} arguments of {@link #addInterest} and {@link #removeInterest}. Each registration
 * gets a generation number, so readiness gathered for an fd that was unregistered (and perhaps
 * registered again under the same number) before it is dispatched is dropped.
 *
 * <h2>Waiting</h2>
 * {@link #poll} calls {@link #waitOnce} until something is ready, the wakeup fd fired, or the
 * deadline passed, so a backend's rounding or EINTR never makes poll return early. Backends round
 * timeouts up with {@link #millisCeil} or {@link #microsCeil} and report readiness with
 * {@link #addReady}; when they see {@link #wakeupFd()} readable they call {@link #wakeupFired()}.
 *
 * <p>Not thread-safe except {@link #wakeup()}, as {@link Hub} says.
 */
public abstract class NativeHub implements Hub {
    private static final int INITIAL = 64;

    private final String name;
    private final int fdLimit;
    private final WakeupFd wakeup;
    private boolean closed;

    /** Interest by fd; 0 when the fd is not registered. */
    private int[] interests = new int[INITIAL];
    /** Generation of each fd's current registration. */
    private int[] generations = new int[INITIAL];
    /** Dense index of each registered fd. */
    private int[] indexes = new int[INITIAL];
    /** Registered fds, densely. */
    private int[] registered = new int[INITIAL];
    private int count;
    private int nextGeneration = 1;

    private int[] readyFds = new int[INITIAL];
    private int[] readyOps = new int[INITIAL];
    private int[] readyGenerations = new int[INITIAL];
    private int readyCount;
    private boolean woken;

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
        int old = fd < interests.length ? interests[fd] : 0;
        if (old == 0) {
            ensureFdCapacity(fd);
            if (count == registered.length) {
                registered = Arrays.copyOf(registered, count * 2);
            }
            addInterest(fd, interest, 0, count);
            interests[fd] = interest;
            generations[fd] = nextGeneration++;
            indexes[fd] = count;
            registered[count++] = fd;
        } else {
            // Also when the interest is unchanged: the number may now name another file (closed
            // behind the hub's back and reused), which the backend must tell the kernel about.
            addInterest(fd, interest, old, indexes[fd]);
            interests[fd] = interest;
        }
    }

    @Override
    public final void unregister(int fd) throws IOException {
        checkOpen();
        int old = fd >= 0 && fd < interests.length ? interests[fd] : 0;
        if (old == 0) {
            throw new IllegalArgumentException("fd " + fd + " is not registered with the " + name + " hub");
        }
        int index = indexes[fd];
        int last = count - 1;
        int moved = index == last ? -1 : registered[last];
        interests[fd] = 0;
        generations[fd] = 0;
        if (moved >= 0) {
            registered[index] = moved;
            indexes[moved] = index;
        }
        count = last;
        removeInterest(fd, old, index, moved);
    }

    @Override
    public final int interest(int fd) {
        checkOpen();
        return fd >= 0 && fd < interests.length ? interests[fd] : 0;
    }

    @Override
    public final int registeredCount() {
        checkOpen();
        return count;
    }

    @Override
    public final int poll(long timeoutNanos, ReadyHandler handler) throws IOException {
        checkOpen();
        Objects.requireNonNull(handler, "handler");
        long deadline = timeoutNanos > 0 ? System.nanoTime() + timeoutNanos : 0;
        long wait = timeoutNanos;
        while (true) {
            readyCount = 0;
            woken = false;
            waitOnce(wait);
            if (readyCount > 0 || woken || timeoutNanos == 0) {
                break;
            }
            if (timeoutNanos > 0) {
                wait = deadline - System.nanoTime();
                if (wait <= 0) {
                    break;
                }
            }
        }
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
     * One native wait of at most {@code timeoutNanos} (negative: no limit; zero: do not block).
     * Reports ready fds with {@link #addReady} and the wakeup fd with {@link #wakeupFired()}.
     * Returns normally on EINTR with nothing reported; the caller waits again with the time left.
     *
     * @param timeoutNanos the longest wait
     * @throws IOException if the wait fails for another reason
     */
    protected abstract void waitOnce(long timeoutNanos) throws IOException;

    /**
     * Tells the kernel (or the backend's native array) about a new registration or a changed
     * interest. Called after all argument checks; the table is updated after it returns normally.
     *
     * @param fd the fd
     * @param interest the new interest
     * @param oldInterest the previous interest, or 0 for a new registration
     * @param index the fd's dense index (for a new fd: the index it will take)
     * @throws IOException if the kernel refuses
     */
    protected abstract void addInterest(int fd, int interest, int oldInterest, int index) throws IOException;

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
     * Records a ready fd for dispatch, tagged with its current registration's generation.
     *
     * @param fd a registered fd
     * @param ops the readiness bits
     */
    protected final void addReady(int fd, int ops) {
        addReady(fd, ops, generation(fd));
    }

    /**
     * Records a ready fd for dispatch with the generation the backend stored with it (epoll keeps
     * the generation in the event's data, so events of an older registration are dropped).
     *
     * @param fd the fd
     * @param ops the readiness bits
     * @param generation the generation the readiness belongs to
     */
    protected final void addReady(int fd, int ops, int generation) {
        if (readyCount == readyFds.length) {
            int n = readyCount * 2;
            readyFds = Arrays.copyOf(readyFds, n);
            readyOps = Arrays.copyOf(readyOps, n);
            readyGenerations = Arrays.copyOf(readyGenerations, n);
        }
        readyFds[readyCount] = fd;
        readyOps[readyCount] = ops;
        readyGenerations[readyCount] = generation;
        readyCount++;
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
     * The generation of an fd's current registration.
     *
     * @param fd any fd
     * @return its generation, or 0 if not registered
     */
    protected final int generation(int fd) {
        return fd >= 0 && fd < generations.length ? generations[fd] : 0;
    }

    /**
     * The registered fd at a dense index.
     *
     * @param index from 0 to {@code registeredCount() - 1}
     * @return the fd
     */
    protected final int registeredFd(int index) {
        Objects.checkIndex(index, count);
        return registered[index];
    }

    /**
     * How many fds are registered, without the closed check (for backends' own loops).
     *
     * @return the count
     */
    protected final int count() {
        return count;
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

    private int dispatch(ReadyHandler handler) {
        int reported = 0;
        int n = readyCount;
        for (int i = 0; i < n && !closed; i++) {
            int fd = readyFds[i];
            if (fd >= interests.length) {
                continue;
            }
            int current = interests[fd];
            if (current == 0 || generations[fd] != readyGenerations[i]) {
                continue;
            }
            int ops = readyOps[i];
            int report = (ops & (Readiness.ERROR | Readiness.HANGUP)) | (ops & current);
            if (report != 0) {
                reported++;
                handler.ready(fd, report);
            }
        }
        readyCount = 0;
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
    }

    private void ensureFdCapacity(int fd) {
        if (fd >= interests.length) {
            int n = Math.max(interests.length * 2, Integer.highestOneBit(fd) << 1);
            interests = Arrays.copyOf(interests, n);
            generations = Arrays.copyOf(generations, n);
            indexes = Arrays.copyOf(indexes, n);
        }
    }
}
