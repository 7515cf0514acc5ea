package dev.greenhub.hub.poll;

import dev.greenhub.hub.Readiness;
import dev.greenhub.hub.poll.PollCall.PollLib;
import dev.greenhub.nativeio.Native;
import dev.greenhub.nativeio.NativeBuffer;
import dev.greenhub.nativeio.NativeHub;
import dev.greenhub.nativeio.StructLayout;
import dev.greenhub.nativeio.WakeupFd;
import java.io.IOException;

/**
 * A {@link dev.greenhub.hub.Hub} over poll(2).
 *
 * <h2>Contract</h2>
 * Level-triggered, as {@link dev.greenhub.hub.Hub} says. READ interest asks the kernel for
 * {@code POLLIN} (and {@code POLLRDHUP} on Linux), WRITE for {@code POLLOUT}; the kernel's answer
 * maps back as {@code POLLIN|POLLPRI} to READ, {@code POLLOUT} to WRITE, {@code POLLERR|POLLNVAL}
 * to ERROR and {@code POLLHUP|POLLRDHUP} to HANGUP.
 *
 * <h2>Limits and cost</h2>
 * No fd limit of its own ({@link #fdLimit()} is {@link Integer#MAX_VALUE}); the process's
 * RLIMIT_NOFILE still applies. The hub keeps one native {@code struct pollfd} array: slot 0 is the
 * wakeup fd, the registered fds follow densely. The array doubles when full and halves when at most
 * a quarter of it is used. register and unregister are O(1) and make no system call; each poll
 * passes the whole array to the kernel and scans it afterwards, so a poll costs O(registered fds).
 * Timeouts are rounded up to whole milliseconds (never down to 0, so a sub-millisecond timeout
 * cannot spin).
 *
 * <h2>Closed fds</h2>
 * The kernel is not told about an fd at register time, so registering a closed fd succeeds. An fd
 * that is closed (or was never open) is reported with {@link Readiness#ERROR} by the very next poll
 * ({@code POLLNVAL}) and by every poll after it until it is unregistered; the other fds are served
 * in the same polls. unregister of such an fd succeeds. Detection delay: none (TCK
 * {@code closed.fd.detection.ms=0}).
 *
 * <h2>Threading</h2>
 * Owned by one thread; only {@link #wakeup()} may be called from any thread.
 */
public final class PollHub extends NativeHub {
    /** The provider name. */
    public static final String NAME = "poll";

    static final int POLLIN = 0x1;
    static final int POLLPRI = 0x2;
    static final int POLLOUT = 0x4;
    static final int POLLERR = 0x8;
    static final int POLLHUP = 0x10;
    static final int POLLNVAL = 0x20;
    /** Linux only: the peer shut down its writing side. */
    static final int POLLRDHUP = 0x2000;

    /** Slots the array starts with (and never shrinks below). */
    static final int INITIAL_SLOTS = 64;

    private static final int SLOT = StructLayout.POLLFD_SIZE;
    private static final int EVENTS = StructLayout.POLLFD_EVENTS_OFFSET;
    private static final int REVENTS = StructLayout.POLLFD_REVENTS_OFFSET;

    private final PollLib lib;
    private final int readEvents;
    private NativeBuffer pollfds;
    /** How many slots {@link #pollfds} holds. */
    private int slots;
    private long pollCalls;

    private PollHub(PollLib lib, WakeupFd wakeup, NativeBuffer pollfds, int slots) {
        super(NAME, Integer.MAX_VALUE, wakeup);
        this.lib = lib;
        this.readEvents = Native.isLinux() ? POLLIN | POLLRDHUP : POLLIN;
        this.pollfds = pollfds;
        this.slots = slots;
        writeSlot(0, wakeupFd(), POLLIN);
    }

    /**
     * Opens a poll hub: its wakeup fd (an eventfd, or a pipe where there is none) and its pollfd
     * array.
     *
     * @return a new hub, owned by the calling thread
     * @throws IOException if the wakeup fd cannot be opened
     * @throws UnsupportedOperationException if libc or poll(2) cannot be bound, with the reason
     */
    public static PollHub open() throws IOException {
        PollLib lib = PollCall.lib();
        WakeupFd wakeup = WakeupFd.open();
        NativeBuffer buffer = null;
        try {
            buffer = NativeBuffer.allocate((long) INITIAL_SLOTS * SLOT);
            return new PollHub(lib, wakeup, buffer, INITIAL_SLOTS);
        } catch (RuntimeException | Error e) {
            if (buffer != null) {
                buffer.close();
            }
            wakeup.close();
            throw e;
        }
    }

    @Override
    protected int waitOnce(long timeoutNanos) throws IOException {
        int nfds = count() + 1;
        if (nfds > slots) {
            throw new IllegalStateException("poll hub bookkeeping is broken: " + nfds
                    + " fds to poll but the pollfd array holds " + slots);
        }
        pollCalls++;
        int n = PollCall.poll(lib, pollfds.pointer(), nfds, millisCeil(timeoutNanos));
        int found = 0;
        for (int slot = 0; slot < nfds && found < n; slot++) {
            int revents = pollfds.getShort((long) slot * SLOT + REVENTS) & 0xFFFF;
            if (revents == 0) {
                continue;
            }
            found++;
            int fd = pollfds.getInt((long) slot * SLOT);
            if (slot == 0) {
                if ((revents & POLLNVAL) != 0) {
                    throw new IOException("poll(" + nfds + " fds): the poll hub's own wakeup fd " + fd
                            + " was closed behind the hub's back (POLLNVAL)");
                }
                wakeupFired();
            } else {
                addReady(fd, readiness(revents));
            }
        }
        return n;
    }

    @Override
    protected String waitCall(long timeoutNanos) {
        return "poll(" + (count() + 1) + " fds, timeout " + millisCeil(timeoutNanos) + " ms)";
    }

    @Override
    protected int addInterest(int fd, int interest, int oldInterest, int index, int generation) {
        int slot = index + 1;
        if (slot >= slots) {
            resize(Math.max(slots * 2, slot + 1));
        }
        writeSlot(slot, fd, events(interest));
        return generation;
    }

    @Override
    protected void removeInterest(int fd, int oldInterest, int index, int movedFd) {
        int last = count() + 1;
        if (movedFd >= 0) {
            long from = (long) last * SLOT;
            int lastFd = pollfds.getInt(from);
            if (lastFd != movedFd) {
                throw new IllegalStateException("poll hub bookkeeping is broken: the last pollfd slot "
                        + last + " holds fd " + lastFd + ", expected fd " + movedFd);
            }
            writeSlot(index + 1, movedFd, pollfds.getShort(from + EVENTS) & 0xFFFF);
        }
        pollfds.zero((long) last * SLOT, SLOT);
        int used = count() + 1;
        if (slots > INITIAL_SLOTS && used <= slots / 4) {
            shrink(Math.max(INITIAL_SLOTS, slots / 2));
        }
    }

    @Override
    protected void closeNative() {
        pollfds.close();
    }

    /**
     * How many times this hub called poll(2).
     *
     * @return the count
     */
    long pollCalls() {
        return pollCalls;
    }

    /** The capacity of the pollfd array, in slots. */
    int slotCapacity() {
        return slots;
    }

    /** The fd in a pollfd slot. */
    int slotFd(int slot) {
        return pollfds.getInt((long) slot * SLOT);
    }

    /** The requested events in a pollfd slot. */
    int slotEvents(int slot) {
        return pollfds.getShort((long) slot * SLOT + EVENTS) & 0xFFFF;
    }

    /** The poll events for an interest. */
    int events(int interest) {
        int events = 0;
        if ((interest & Readiness.READ) != 0) {
            events |= readEvents;
        }
        if ((interest & Readiness.WRITE) != 0) {
            events |= POLLOUT;
        }
        return events;
    }

    /** The readiness bits for poll's revents. */
    static int readiness(int revents) {
        int ops = 0;
        if ((revents & (POLLIN | POLLPRI)) != 0) {
            ops |= Readiness.READ;
        }
        if ((revents & POLLOUT) != 0) {
            ops |= Readiness.WRITE;
        }
        if ((revents & (POLLERR | POLLNVAL)) != 0) {
            ops |= Readiness.ERROR;
        }
        if ((revents & (POLLHUP | POLLRDHUP)) != 0) {
            ops |= Readiness.HANGUP;
        }
        return ops;
    }

    private void writeSlot(int slot, int fd, int events) {
        long at = (long) slot * SLOT;
        pollfds.putInt(at, fd);
        pollfds.putShort(at + EVENTS, (short) events);
        pollfds.putShort(at + REVENTS, (short) 0);
    }

    /** Moves the array to one of {@code newSlots} slots; the old one is freed only on success. */
    private void resize(int newSlots) {
        NativeBuffer bigger = NativeBuffer.allocate((long) newSlots * SLOT);
        pollfds.copyTo(bigger, (long) slots * SLOT);
        pollfds.close();
        pollfds = bigger;
        slots = newSlots;
    }

    private void shrink(int newSlots) {
        NativeBuffer smaller;
        try {
            smaller = NativeBuffer.allocate((long) newSlots * SLOT);
        } catch (OutOfMemoryError e) {
            return; // keeping the larger array is correct, only wasteful
        }
        pollfds.copyTo(smaller, (long) (count() + 1) * SLOT);
        pollfds.close();
        pollfds = smaller;
        slots = newSlots;
    }
}
