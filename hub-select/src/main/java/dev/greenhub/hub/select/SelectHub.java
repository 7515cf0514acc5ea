package dev.greenhub.hub.select;

import dev.greenhub.hub.Readiness;
import dev.greenhub.nativeio.ErrnoException;
import dev.greenhub.nativeio.Fds;
import dev.greenhub.nativeio.Native;
import dev.greenhub.nativeio.NativeBuffer;
import dev.greenhub.nativeio.NativeHub;
import dev.greenhub.nativeio.StructLayout;
import dev.greenhub.nativeio.WakeupFd;
import java.io.IOException;
import jnr.ffi.Pointer;

/**
 * A {@link dev.greenhub.hub.Hub} over select(2), the most portable and the most limited backend.
 *
 * <h2>Limits</h2>
 * select(2) takes fds below FD_SETSIZE only, so {@link #fdLimit()} is 1024: registering fd 1024 or
 * above is an {@link IllegalArgumentException} that names the fd and the limit, thrown before any
 * native memory is touched. The hub's own wakeup fd must be below 1024 as well; {@link #open()}
 * fails, naming that fd, in a process that already has about 1024 fds open. Use the poll or epoll
 * hub for more fds. Only LP64 platforms (64-bit {@code long}) are supported, where an
 * {@code fd_set} is sixteen 64-bit words and a {@code struct timeval} is two 64-bit fields.
 *
 * <h2>Readiness</h2>
 * Level-triggered. A readable fd is reported as {@link Readiness#READ}, a writable one as
 * {@link Readiness#WRITE}; exceptfds are not used. select(2) cannot tell a hangup or a pending
 * socket error from plain readiness, so this hub never reports {@link Readiness#HANGUP} and
 * reports {@link Readiness#ERROR} only for fds closed behind its back: a peer that hung up or a
 * reset connection shows as READ (and WRITE), and the next read or write says what happened.
 * Timeouts are rounded up to whole microseconds; a poll never returns early.
 *
 * <h2>Closed-fd detection</h2>
 * An fd closed without {@link #unregister} makes select(2) fail with EBADF for the whole call. The
 * hub then looks for the culprits with {@code fcntl(F_GETFD)} over its registrations, marks them,
 * and selects again without blocking over the rest, so the same poll reports ERROR for the
 * culprits and the readiness of every other fd. A marked fd is left out of the {@code fd_set}s and
 * reported with ERROR by every poll (which therefore does not block) until it is unregistered;
 * registering it again (with any interest, with or without unregistering it first) clears the mark, so a
 * reused fd number works. Detection is immediate: the next poll after the close reports it. If the
 * number is taken by a new fd before that poll, select(2) cannot see the difference and watches
 * the new fd under the old registration, as poll(2) would.
 *
 * <h2>Threading</h2>
 * Owned by one thread, as {@link dev.greenhub.hub.Hub} says; only {@link #wakeup()} may be called
 * from any thread.
 */
public final class SelectHub extends NativeHub {
    /** The provider name. */
    static final String NAME = "select";
    private static final int TIMEVAL_BYTES = 2 * Long.BYTES;
    private static final int MICROS_PER_SECOND = 1_000_000;

    private final SelectLib.Calls lib;
    private final FdSet readSet;
    private final FdSet writeSet;
    /** {@code struct timeval { long tv_sec; long tv_usec; }}, rewritten before every call (Linux updates it). */
    private final NativeBuffer timeval;
    /** Highest fd in either set (the wakeup fd at least); recomputed when {@link #highestStale}. */
    private int highestFd;
    private boolean highestStale;
    private long selectCalls;

    private SelectHub(SelectLib.Calls lib, WakeupFd wakeup, FdSet readSet, FdSet writeSet, NativeBuffer timeval) {
        super(NAME, StructLayout.FD_SETSIZE, wakeup);
        this.lib = lib;
        this.readSet = readSet;
        this.writeSet = writeSet;
        this.timeval = timeval;
        readSet.add(wakeupFd());
        highestFd = wakeupFd();
    }

    /**
     * Opens a select hub: its wakeup fd and three small native buffers.
     *
     * @return a new hub, owned by the calling thread
     * @throws IOException if the wakeup fd cannot be opened, or its number is 1024 or above
     * @throws UnsupportedOperationException if libc cannot be bound or the platform is not LP64
     */
    public static SelectHub open() throws IOException {
        Throwable loadError = Native.loadError();
        if (loadError != null) {
            throw new UnsupportedOperationException("the select hub needs libc bound with jnr-ffi, which failed: "
                    + loadError, loadError);
        }
        int longSize = Native.runtime().longSize();
        if (longSize != Long.BYTES) {
            throw new UnsupportedOperationException("the select hub supports LP64 platforms only (64-bit long),"
                    + " but long is " + longSize + " bytes on " + Native.cpu());
        }
        SelectLib.Calls lib = SelectLib.calls();
        WakeupFd wakeup = WakeupFd.open();
        FdSet read = null;
        FdSet write = null;
        NativeBuffer timeval = null;
        try {
            int fd = wakeup.readFd();
            if (fd >= StructLayout.FD_SETSIZE) {
                throw new IOException("the select hub's wakeup fd " + fd + " is beyond select(2)'s limit: an fd_set"
                        + " takes fds below FD_SETSIZE (" + StructLayout.FD_SETSIZE + "); this process has too many"
                        + " fds open for the select hub: use the poll or epoll hub");
            }
            read = new FdSet();
            write = new FdSet();
            timeval = NativeBuffer.allocate(TIMEVAL_BYTES);
            return new SelectHub(lib, wakeup, read, write, timeval);
        } catch (Throwable t) {
            if (timeval != null) {
                timeval.close();
            }
            if (write != null) {
                write.close();
            }
            if (read != null) {
                read.close();
            }
            wakeup.close();
            throw t;
        }
    }

    /** Fds registered since the last wait, to check once that they are open. */
    private int[] added = new int[16];
    private int addedCount;

    @Override
    protected String fdLimitMessage(int fd) {
        return "fd " + fd + " is beyond the select hub's limit: select(2) takes fds below FD_SETSIZE ("
                + StructLayout.FD_SETSIZE + "); use the poll or epoll hub for more fds";
    }

    @Override
    protected int waitOnce(long timeoutNanos) throws IOException {
        long timeout = timeoutNanos;
        if (markAddedFdsNotOpen() > 0) {
            timeout = 0; // reported with ERROR at once, as poll's POLLNVAL and epoll's EBADF are
        }
        boolean unexplainedEbadf = false;
        while (true) {
            int nfds = nfds();
            Pointer read = readSet.load(nfds);
            Pointer write = writeSet.load(nfds);
            Pointer tv = timeval(timeout);
            selectCalls++;
            int n = lib.select(nfds, read, write, null, tv);
            if (n > 0) {
                collect(nfds);
            }
            if (n >= 0) {
                return n;
            }
            int errno = Native.errno();
            if (errno != Native.EBADF) {
                return n; // the base class reads the errno again: nothing ran since the call
            }
            if (markClosedFds() > 0) {
                timeout = 0; // the marked fds are reported at once: collect the others without blocking
            } else {
                if (!Fds.isOpen(wakeupFd())) {
                    throw new ErrnoException(waitCall(timeout) + ": the select hub's own wakeup fd "
                            + wakeupFd() + " was closed behind its back", errno);
                }
                if (unexplainedEbadf) {
                    throw new ErrnoException(waitCall(timeout) + ": no registered fd is closed", errno);
                }
                // The culprit's number was reused between select and fcntl: select again.
                unexplainedEbadf = true;
            }
        }
    }

    @Override
    protected String waitCall(long timeoutNanos) {
        return "select(nfds " + nfds() + ", timeout "
                + (timeoutNanos < 0 ? "none" : microsCeil(timeoutNanos) + " us") + ")";
    }

    /**
     * Marks the fds registered since the last wait that are not open. select(2) does not fail for
     * them when their number is beyond the process's fd table (it silently ignores such fds), so
     * a wait on one would last its whole timeout.
     */
    private int markAddedFdsNotOpen() {
        int marked = 0;
        for (int i = 0; i < addedCount; i++) {
            int fd = added[i];
            if (interest(fd) != 0 && !isMarkedClosed(fd) && !Fds.isOpen(fd)) {
                markClosed(fd);
                leaveSets(fd);
                marked++;
            }
        }
        addedCount = 0;
        return marked;
    }

    @Override
    protected int addInterest(int fd, int interest, int oldInterest, int index, int generation) {
        if (oldInterest == 0) {
            if (addedCount == added.length) {
                added = java.util.Arrays.copyOf(added, addedCount * 2);
            }
            added[addedCount++] = fd;
        }
        if ((interest & Readiness.READ) != 0) {
            readSet.add(fd);
        } else {
            readSet.remove(fd);
        }
        if ((interest & Readiness.WRITE) != 0) {
            writeSet.add(fd);
        } else {
            writeSet.remove(fd);
        }
        if (fd > highestFd) {
            highestFd = fd;
        }
        return generation;
    }

    @Override
    protected void removeInterest(int fd, int oldInterest, int index, int movedFd) {
        leaveSets(fd);
    }

    @Override
    protected void closeNative() {
        try {
            readSet.close();
        } finally {
            try {
                writeSet.close();
            } finally {
                timeval.close();
            }
        }
    }

    /**
     * The nfds the next select call is given: the highest fd in either set plus one.
     *
     * @return nfds
     */
    int nfds() {
        if (highestStale) {
            highestFd = highestInSets();
            highestStale = false;
        }
        return highestFd + 1;
    }

    /**
     * How many select calls this hub made (for tests).
     *
     * @return the count
     */
    long selectCalls() {
        return selectCalls;
    }

    /**
     * Whether an fd is marked as closed behind the hub's back (for tests).
     *
     * @param fd any fd
     * @return true if marked
     */
    boolean isErrored(int fd) {
        return isMarkedClosed(fd);
    }

    /**
     * Whether an fd is in the master read or write set.
     *
     * @param fd a valid fd_set fd
     * @return true if select watches it
     */
    boolean isWatched(int fd) {
        return readSet.contains(fd) || writeSet.contains(fd);
    }

    private Pointer timeval(long timeoutNanos) {
        long micros = microsCeil(timeoutNanos);
        if (micros < 0) {
            return null;
        }
        putTimeval(timeval, micros);
        return timeval.pointer();
    }

    /**
     * Writes a {@code struct timeval} (two LP64 longs: seconds, then microseconds below a million).
     *
     * @param target a buffer of at least 16 bytes
     * @param micros the non-negative time in microseconds
     */
    static void putTimeval(NativeBuffer target, long micros) {
        target.putLong(0, micros / MICROS_PER_SECOND);
        target.putLong(Long.BYTES, micros % MICROS_PER_SECOND);
    }

    private void collect(int nfds) {
        int wake = wakeupFd();
        int words = FdSet.wordsFor(nfds);
        for (int w = 0; w < words; w++) {
            long readable = readSet.resultWord(w);
            long writable = writeSet.resultWord(w);
            long any = readable | writable;
            while (any != 0) {
                int bit = Long.numberOfTrailingZeros(any);
                long mask = 1L << bit;
                any &= ~mask;
                int fd = (w << 6) + bit;
                if (fd == wake) {
                    wakeupFired();
                    continue;
                }
                int ops = ((readable & mask) != 0 ? Readiness.READ : 0) | ((writable & mask) != 0 ? Readiness.WRITE : 0);
                addReady(fd, ops);
            }
        }
    }

    /** Finds registered fds that are no longer open, marks them and takes them out of the sets. */
    private int markClosedFds() {
        int marked = 0;
        int n = count();
        for (int i = 0; i < n; i++) {
            int fd = registeredFd(i);
            if (!isMarkedClosed(fd) && !Fds.isOpen(fd)) {
                markClosed(fd);
                leaveSets(fd);
                marked++;
            }
        }
        return marked;
    }

    private void leaveSets(int fd) {
        readSet.remove(fd);
        writeSet.remove(fd);
        if (fd == highestFd) {
            highestStale = true;
        }
    }

    private int highestInSets() {
        for (int w = FdSet.WORDS - 1; w >= 0; w--) {
            long bits = readSet.masterWord(w) | writeSet.masterWord(w);
            if (bits != 0) {
                return (w << 6) + 63 - Long.numberOfLeadingZeros(bits);
            }
        }
        return wakeupFd();
    }
}
