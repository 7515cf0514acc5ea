package dev.greenhub.hub.epoll;

import dev.greenhub.hub.Readiness;
import dev.greenhub.nativeio.ErrnoException;
import dev.greenhub.nativeio.Native;
import dev.greenhub.nativeio.NativeBuffer;
import dev.greenhub.nativeio.NativeHub;
import dev.greenhub.nativeio.StructLayout;
import dev.greenhub.nativeio.WakeupFd;
import java.io.IOException;
import java.time.Duration;
import java.util.Locale;
import java.util.Objects;

/**
 * A {@link dev.greenhub.hub.Hub} over Linux epoll(7), level-triggered.
 *
 * <h2>Contract and limits</h2>
 * Behaves as {@link dev.greenhub.hub.Hub} says. {@link #fdLimit()} is {@link Integer#MAX_VALUE}:
 * the only limits are the process's fd limit and the kernel's {@code max_user_watches}. Each
 * registration is added to the kernel at once, so {@link #register} of an fd the kernel refuses
 * (not open: EBADF; a regular file: EPERM) throws an {@link ErrnoException} naming the call. The
 * hub's own fds (its epoll fd and wakeup fd) are refused with an {@link IllegalArgumentException}.
 * One {@code epoll_wait} returns at most 4096 events (the event array starts at 256 and doubles
 * whenever a wait fills it); fds left over are reported by the next poll, as readiness is
 * level-triggered. Interest READ is {@code EPOLLIN|EPOLLRDHUP}, WRITE is {@code EPOLLOUT}; the
 * kernel's {@code EPOLLIN|EPOLLPRI} is reported as READ, {@code EPOLLOUT} as WRITE,
 * {@code EPOLLERR} as ERROR and {@code EPOLLHUP|EPOLLRDHUP} as HANGUP. Timeouts are rounded up to
 * whole milliseconds.
 *
 * <h2>Closed fds</h2>
 * The kernel silently forgets an fd that is closed without being unregistered (or, when another fd
 * still refers to the same open file, keeps reporting it under the old number). So the hub checks
 * each registration with {@code epoll_ctl(EPOLL_CTL_MOD)} at least once per closed-fd detection
 * interval (1 s unless {@link #open(Duration)} says otherwise); an fd that is no longer open (EBADF),
 * or whose number now belongs to another file (ENOENT, EPERM), is reported with
 * {@link Readiness#ERROR} by every poll from then on until it is unregistered. The checks go in
 * sweeps of half the interval over the registrations, each poll checking the share that fell due
 * since the one before, so that no single poll pays for all of them; while fds are registered, a
 * blocking wait is cut when the sweep under way must finish, so an unlimited poll still notices a
 * closed fd within the interval. The checks cost two {@code epoll_ctl} per registered fd per
 * interval.
 * Events the kernel keeps reporting for a registration the hub can no longer reach (an fd closed
 * behind its back while its file stays open elsewhere, then unregistered) are dropped, and the hub
 * then rebuilds its epoll set from its own table so that such an event cannot make waits spin.
 * Each kernel registration carries its registration's generation (kept by {@link NativeHub}) in its
 * event data ({@code generation << 32 | fd}), so an event of
 * an older registration of a reused fd number is never reported for the new one.
 *
 * <h2>Threading</h2>
 * Owned by one thread; only {@link #wakeup()} may be called from any thread.
 */
public final class EpollHub extends NativeHub {
    /** The provider name. */
    public static final String NAME = "epoll";
    /** The default closed-fd detection interval. */
    public static final Duration DEFAULT_CLOSED_FD_DETECTION = Duration.ofSeconds(1);

    static final int INITIAL_EVENTS = 256;
    static final int MAX_EVENTS = 4096;

    private static final int EVENT_SIZE = StructLayout.EPOLL_EVENT_SIZE;
    private static final int DATA_OFFSET = StructLayout.EPOLL_EVENT_DATA_OFFSET;

    private final EpollCalls.Lib lib;
    private final long detectionNanos;
    private NativeBuffer events;
    private EpollSet set;
    private final ClosedFdSweep sweep;

    private boolean staleSeen;
    private long rebuildNotBefore;
    private long rebuilds;

    private EpollHub(WakeupFd wakeup, EpollCalls.Lib lib, EpollSet set, NativeBuffer events, long detectionNanos) {
        super(NAME, Integer.MAX_VALUE, wakeup);
        this.lib = lib;
        this.set = set;
        this.events = events;
        this.detectionNanos = detectionNanos;
        long now = System.nanoTime();
        this.sweep = new ClosedFdSweep(new ClosedFdSweep.Table() {
            @Override
            public int count() {
                return EpollHub.this.count();
            }

            @Override
            public int fdAt(int index) {
                return registeredFd(index);
            }

            @Override
            public void check(int fd) {
                checkStillOpen(fd);
            }
        }, detectionNanos, now);
        this.rebuildNotBefore = now;
    }

    /**
     * Opens an epoll hub with the default closed-fd detection interval of one second.
     *
     * @return the hub, owned by the calling thread
     * @throws IOException if the wakeup fd or the epoll fd cannot be had (EMFILE, ...)
     * @throws UnsupportedOperationException off Linux, or if libc cannot be bound
     */
    public static EpollHub open() throws IOException {
        return open(DEFAULT_CLOSED_FD_DETECTION);
    }

    /**
     * Opens an epoll hub that checks its registrations for closed fds at most once per
     * {@code closedFdDetection}.
     *
     * @param closedFdDetection the detection interval: positive, at most a day; shorter means an fd
     *     closed behind the hub's back is reported sooner, at one {@code epoll_ctl} per registered
     *     fd per interval
     * @return the hub, owned by the calling thread
     * @throws IllegalArgumentException if the interval is not positive or longer than a day
     * @throws IOException if the wakeup fd or the epoll fd cannot be had (EMFILE, ...)
     * @throws UnsupportedOperationException off Linux, or if libc cannot be bound
     */
    public static EpollHub open(Duration closedFdDetection) throws IOException {
        Objects.requireNonNull(closedFdDetection, "closedFdDetection");
        if (closedFdDetection.isNegative() || closedFdDetection.isZero()
                || closedFdDetection.compareTo(Duration.ofDays(1)) > 0) {
            throw new IllegalArgumentException("the closed-fd detection interval must be positive and at most"
                    + " a day, got " + closedFdDetection);
        }
        if (!isLinux()) {
            throw new UnsupportedOperationException(unsupportedReason());
        }
        EpollCalls.Lib lib = EpollCalls.lib();
        WakeupFd wakeup = WakeupFd.open();
        EpollSet set = null;
        try {
            set = EpollSet.open(lib, wakeup.readFd());
            NativeBuffer events = NativeBuffer.allocate((long) EVENT_SIZE * INITIAL_EVENTS);
            return new EpollHub(wakeup, lib, set, events, closedFdDetection.toNanos());
        } catch (Throwable t) {
            if (set != null) {
                set.close();
            }
            wakeup.close();
            throw t;
        }
    }

    /**
     * The closed-fd detection interval.
     *
     * @return the interval
     */
    public Duration closedFdDetection() {
        return Duration.ofNanos(detectionNanos);
    }

    @Override
    protected int waitOnce(long timeoutNanos) throws IOException {
        long now = System.nanoTime();
        sweep.run(now);
        long wait = timeoutNanos;
        if (count() > 0 && timeoutNanos != 0) {
            long untilSweep = sweep.nanosUntilDue(now);
            if (timeoutNanos < 0 || untilSweep < timeoutNanos) {
                wait = untilSweep;
            }
        }
        int capacity = (int) (events.size() / EVENT_SIZE);
        int n = set.wait(events, capacity, millisCeil(wait));
        for (int i = 0; i < n; i++) {
            long offset = (long) i * EVENT_SIZE;
            long data = events.getLong(offset + DATA_OFFSET);
            if (data == EpollSet.WAKEUP_DATA) {
                wakeupFired();
            } else if (!addReady((int) data, EpollCalls.readiness(events.getInt(offset)), (int) (data >>> 32))) {
                staleSeen = true;
            }
        }
        if (n == capacity && capacity < MAX_EVENTS) {
            NativeBuffer larger = NativeBuffer.allocate((long) EVENT_SIZE * Math.min(capacity * 2, MAX_EVENTS));
            events.close();
            events = larger;
        }
        if (staleSeen && now - rebuildNotBefore >= 0) {
            rebuild(now);
        }
        return n;
    }

    @Override
    protected String waitCall(long timeoutNanos) {
        return "epoll_wait(epfd " + set.fd() + ", " + eventCapacity() + " events, " + millisCeil(timeoutNanos) + " ms)";
    }

    @Override
    protected String ownFdName(int fd) {
        return fd == set.fd() ? "epoll fd" : null;
    }

    @Override
    protected int addInterest(int fd, int interest, int oldInterest, int index, int generation) throws IOException {
        int kernelEvents = EpollCalls.kernelEvents(interest);
        if (oldInterest == 0) {
            int errno = set.ctl(EpollCalls.EPOLL_CTL_ADD, fd, kernelEvents, generation);
            if (errno == Native.EEXIST) {
                // The kernel still holds a registration of this same file under this number (it was
                // closed behind our back, unregistered, and came back): take it over.
                errno = set.ctl(EpollCalls.EPOLL_CTL_MOD, fd, kernelEvents, generation);
                if (errno != 0) {
                    throw new ErrnoException(set.describe("EPOLL_CTL_MOD", fd) + " after EEXIST from EPOLL_CTL_ADD", errno);
                }
            } else if (errno != 0) {
                throw new ErrnoException(set.describe("EPOLL_CTL_ADD", fd), errno);
            }
            return generation;
        }
        int errno = set.ctl(EpollCalls.EPOLL_CTL_MOD, fd, kernelEvents, generation);
        if (errno == Native.ENOENT) {
            // The kernel dropped the fd (closed behind our back) and the number now names another
            // file: register that file under a new generation, so that events of a registration of
            // the old file that the kernel may still hold are not taken for it.
            int fresh = newGeneration();
            errno = set.ctl(EpollCalls.EPOLL_CTL_ADD, fd, kernelEvents, fresh);
            if (errno != 0) {
                throw new ErrnoException(set.describe("EPOLL_CTL_ADD", fd) + " after ENOENT from EPOLL_CTL_MOD", errno);
            }
            return fresh;
        }
        if (errno != 0) {
            throw new ErrnoException(set.describe("EPOLL_CTL_MOD", fd), errno);
        }
        return generation;
    }

    @Override
    protected void removeInterest(int fd, int oldInterest, int index, int movedFd) throws IOException {
        sweep.removed(index, movedFd, count());
        int errno = set.ctl(EpollCalls.EPOLL_CTL_DEL, fd, 0, 0);
        // EBADF: closed behind our back; ENOENT, EPERM: and the number reused by another file.
        if (errno != 0 && !isGone(errno)) {
            throw new ErrnoException(set.describe("EPOLL_CTL_DEL", fd), errno);
        }
    }

    @Override
    protected void closeNative() {
        try {
            set.close();
        } finally {
            events.close();
        }
    }

    /** How many times the epoll set was rebuilt to shed unreachable registrations. */
    long rebuilds() {
        return rebuilds;
    }

    /** How many events one wait can return now. */
    int eventCapacity() {
        return (int) (events.size() / EVENT_SIZE);
    }

    /** The current epoll fd. */
    int epollFd() {
        return set.fd();
    }

    /** The tag of an fd's kernel registration (its registration's generation), 0 if none. */
    int tag(int fd) {
        return generation(fd);
    }

    static boolean isLinux() {
        return System.getProperty("os.name", "").toLowerCase(Locale.ROOT).startsWith("linux");
    }

    static String unsupportedReason() {
        return "epoll(7) exists only on Linux; this is " + System.getProperty("os.name") + " "
                + System.getProperty("os.arch");
    }

    private static boolean isGone(int errno) {
        return errno == Native.EBADF || errno == Native.ENOENT || errno == Native.EPERM;
    }

    /** Checks every live registration with a MOD that changes nothing; marks the fds that are gone. */
    /** Marks {@code fd} closed if the kernel no longer knows it under its number (a sweep's check). */
    private void checkStillOpen(int fd) {
        int interest = interest(fd);
        if (interest == 0 || isMarkedClosed(fd)) {
            return;
        }
        int errno = set.ctl(EpollCalls.EPOLL_CTL_MOD, fd, EpollCalls.kernelEvents(interest), generation(fd));
        if (errno != 0 && isGone(errno)) {
            markClosed(fd);
        }
    }

    private void rebuild(long now) {
        staleSeen = false;
        rebuildNotBefore = now + detectionNanos;
        EpollSet fresh;
        try {
            fresh = EpollSet.open(lib, wakeupFd());
        } catch (ErrnoException e) {
            return;
        }
        int n = count();
        for (int i = 0; i < n; i++) {
            int fd = registeredFd(i);
            if (isMarkedClosed(fd)) {
                continue;
            }
            int errno = fresh.ctl(EpollCalls.EPOLL_CTL_ADD, fd, EpollCalls.kernelEvents(interest(fd)), generation(fd));
            if (errno != 0 && isGone(errno)) {
                markClosed(fd);
            } else if (errno != 0) {
                fresh.close();
                return;
            }
        }
        set.close();
        set = fresh;
        rebuilds++;
    }
}
