package dev.greenhub.example.customhub;

import dev.greenhub.hub.Hub;
import dev.greenhub.hub.ReadyHandler;
import dev.greenhub.hub.Readiness;
import dev.greenhub.nativeio.ErrnoException;
import dev.greenhub.nativeio.Native;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.spi.AbstractSelector;
import java.nio.channels.spi.SelectorProvider;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import jnr.enxio.channels.NativeSelectorProvider;

/**
 * A {@link Hub} on jnr-enxio's {@link java.nio.channels.Selector} over raw fds (on Linux,
 * jnr-enxio's {@code PollSelector}, which calls poll(2)).
 *
 * <p>Each registration is an {@link FdChannel} registered with the selector; its
 * {@link SelectionKey} carries the registration. What the selector gets wrong is worked around
 * here:
 * <ul>
 *   <li>An fd closed behind the hub's back gets POLLNVAL, which the selector turns into a selected
 *       key with no ready operation; the hub reports that as {@link Readiness#ERROR}.</li>
 *   <li>The selector's {@code wakeup()} writes one byte per call and each return reads one, so
 *       wakeups would not coalesce; the hub keeps its own "wakeup pending" flag, calls the selector's
 *       {@code wakeup()} only when that flag goes up, and decides from the flag, not the pipe,
 *       whether a return was a wakeup. A stray byte left in the pipe makes one extra return, which
 *       the never-early loop waits through.</li>
 *   <li>The selector's wakeup pipe is checked, made non-blocking and close-on-exec, and closed by
 *       the hub (see {@link PollSelectorPipe}).</li>
 *   <li>A poll(2) failure other than EINTR makes the selector return -1 instead of throwing; the
 *       hub throws an {@link ErrnoException} with the saved errno.</li>
 * </ul>
 *
 * <h2>What it lacks</h2>
 * The selector folds POLLHUP and POLLERR into the registered interest, so this hub reports a
 * hangup or a socket error as READ and/or WRITE, never as {@link Readiness#HANGUP} or
 * {@link Readiness#ERROR} (only a closed fd is ERROR). The selector retries EINTR with the whole
 * timeout again, so a wait interrupted by a signal may last longer than asked (never shorter).
 * Its pollfd array is a direct {@link java.nio.ByteBuffer}, released by the garbage collector, not
 * by {@link #close()}.
 *
 * <h2>Threading</h2>
 * As {@link Hub} says: one owner thread; {@link #wakeup()} from any thread. An interrupt of the
 * owner thread makes {@link #poll} return as {@link #wakeup()} does (the
 * {@link java.nio.channels.Selector} contract the enxio selector follows); the interrupt status is
 * left set.
 */
final class EnxioHub implements Hub {
    /** The provider name, used in messages. */
    static final String NAME = "enxio";

    private static final int CLOSED = Integer.MIN_VALUE;

    private final SelectorProvider provider;
    private final AbstractSelector selector;
    private final PollSelectorPipe pipe;
    private final Map<Integer, Registration> registrations = new HashMap<>();
    private final List<Registration> readyRegistrations = new ArrayList<>();
    private final List<Integer> readyOps = new ArrayList<>();
    private final AtomicBoolean wakeupPending = new AtomicBoolean();
    /** wakeup() calls in flight, or {@link #CLOSED} once close() has started. */
    private final AtomicInteger wakers = new AtomicInteger();
    private volatile boolean closed;

    private EnxioHub(SelectorProvider provider, AbstractSelector selector, PollSelectorPipe pipe) {
        this.provider = provider;
        this.selector = selector;
        this.pipe = pipe;
    }

    /**
     * Opens a hub: a new enxio selector, with its wakeup pipe checked and hardened.
     *
     * @return the hub
     * @throws IOException if the selector or its pipe cannot be had
     */
    static EnxioHub open() throws IOException {
        SelectorProvider provider = NativeSelectorProvider.getInstance();
        AbstractSelector selector = provider.openSelector();
        PollSelectorPipe pipe;
        try {
            pipe = PollSelectorPipe.of(selector);
        } catch (IOException | RuntimeException e) {
            try {
                selector.close();
            } catch (IOException suppressed) {
                e.addSuppressed(suppressed);
            }
            throw e;
        }
        return new EnxioHub(provider, selector, pipe);
    }

    @Override
    public String name() {
        return NAME;
    }

    /**
     * No limit of its own: poll(2) takes any fd.
     *
     * @return {@link Integer#MAX_VALUE}
     */
    @Override
    public int fdLimit() {
        return Integer.MAX_VALUE;
    }

    @Override
    public void register(int fd, int interest) throws IOException {
        checkOpen();
        checkFd(fd);
        Readiness.checkInterest(interest);
        Registration current = registrations.get(fd);
        if (current != null) {
            if (current.interest != interest) {
                current.key.interestOps(selectionOps(interest));
                current.interest = interest;
            }
            return;
        }
        FdChannel channel = new FdChannel(provider, fd);
        channel.configureBlocking(false);
        SelectionKey key = channel.register(selector, selectionOps(interest));
        Registration registration = new Registration(fd, key, interest);
        key.attach(registration);
        registrations.put(fd, registration);
    }

    /**
     * Forgets {@code fd}: cancels its key, which the selector drops from its pollfd array before
     * its next poll(2). Never a system call, so an fd the OS already closed is no problem.
     */
    @Override
    public void unregister(int fd) {
        checkOpen();
        Registration registration = registrations.remove(fd);
        if (registration == null) {
            throw new IllegalArgumentException("fd " + fd + " is not registered with the " + NAME + " hub");
        }
        registration.key.cancel();
    }

    @Override
    public int interest(int fd) {
        checkOpen();
        Registration registration = registrations.get(fd);
        return registration == null ? 0 : registration.interest;
    }

    @Override
    public int registeredCount() {
        checkOpen();
        return registrations.size();
    }

    @Override
    public int poll(long timeoutNanos, ReadyHandler handler) throws IOException {
        checkOpen();
        Objects.requireNonNull(handler, "handler");
        long deadline = timeoutNanos > 0 ? System.nanoTime() + timeoutNanos : 0;
        long wait = timeoutNanos;
        readyRegistrations.clear();
        readyOps.clear();
        while (true) {
            select(wait);
            gatherSelectedKeys();
            boolean woken = wakeupPending.getAndSet(false) || Thread.currentThread().isInterrupted();
            if (!readyRegistrations.isEmpty() || woken || timeoutNanos == 0) {
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

    /**
     * Makes the current or next {@link #poll} return. Thread-safe, never blocks (the selector's
     * pipe is non-blocking; a full pipe is readable anyway). Calls while a wakeup is pending write
     * nothing.
     */
    @Override
    public void wakeup() {
        int n;
        do {
            n = wakers.get();
            if (n == CLOSED || closed) { // closed: a close() has started; new calls must not starve it
                throw closedException();
            }
        } while (!wakers.compareAndSet(n, n + 1));
        try {
            if (wakeupPending.compareAndSet(false, true)) {
                selector.wakeup();
            }
        } finally {
            wakers.decrementAndGet();
        }
    }

    @Override
    public boolean isClosed() {
        return closed;
    }

    /**
     * Closes the selector and its wakeup pipe; leaves the registered fds open. Waits for
     * {@link #wakeup()} calls in flight on other threads, so none of them can write to the pipe's
     * fd number after it is closed and perhaps reused.
     *
     * @throws UncheckedIOException if the selector fails to close (the pipe is closed anyway)
     */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        while (!wakers.compareAndSet(0, CLOSED)) {
            Thread.onSpinWait();
        }
        registrations.clear();
        readyRegistrations.clear();
        readyOps.clear();
        pipe.detach();
        try {
            selector.close();
        } catch (IOException e) {
            throw new UncheckedIOException("closing the " + NAME + " hub's selector", e);
        } finally {
            pipe.close();
        }
    }

    /**
     * The selector's wakeup pipe, for tests.
     *
     * @return the pipe
     */
    PollSelectorPipe wakeupPipe() {
        return pipe;
    }

    @Override
    public String toString() {
        return "EnxioHub[" + (closed ? "closed" : registrations.size() + " fds, wakeup pipe "
                + pipe.readFd() + "/" + pipe.writeFd()) + "]";
    }

    /** One native wait through the selector, with the timeout rounded up to whole milliseconds. */
    private void select(long timeoutNanos) throws IOException {
        int n;
        if (timeoutNanos == 0) {
            n = selector.selectNow();
        } else if (timeoutNanos < 0) {
            n = selector.select();
        } else {
            n = selector.select(millisCeil(timeoutNanos));
        }
        if (n < 0) {
            int errno = Native.errno();
            throw new ErrnoException("poll(" + (registrations.size() + 1) + " fds) in jnr-enxio's PollSelector", errno);
        }
    }

    /** Moves the selected keys into the ready lists and clears the selected set. */
    private void gatherSelectedKeys() {
        Iterator<SelectionKey> it = selector.selectedKeys().iterator();
        while (it.hasNext()) {
            SelectionKey key = it.next();
            it.remove();
            if (!(key.attachment() instanceof Registration registration)) {
                continue;
            }
            int ops = readiness(key.readyOps());
            readyRegistrations.add(registration);
            readyOps.add(ops);
        }
    }

    /**
     * Reports each gathered fd whose registration is still the one the readiness was gathered for
     * (the handler may have unregistered or re-registered it meanwhile), masked by its current
     * interest.
     */
    private int dispatch(ReadyHandler handler) {
        int reported = 0;
        int n = readyRegistrations.size();
        for (int i = 0; i < n && !closed; i++) {
            Registration registration = readyRegistrations.get(i);
            if (registrations.get(registration.fd) != registration) {
                continue;
            }
            int ops = readyOps.get(i);
            int report = (ops & (Readiness.ERROR | Readiness.HANGUP)) | (ops & registration.interest);
            if (report != 0) {
                reported++;
                handler.ready(registration.fd, report);
            }
        }
        readyRegistrations.clear();
        readyOps.clear();
        return reported;
    }

    /**
     * The readiness behind a selected key's ready operations. The enxio selector selects a key
     * whenever poll(2) set any revents bit, and sets no ready operation only for bits outside
     * POLLIN, POLLOUT, POLLHUP and POLLERR; with POLLIN and/or POLLOUT requested, the only such bit
     * poll(2) reports is POLLNVAL: the fd is not open.
     */
    private static int readiness(int selectionOps) {
        int ops = 0;
        if ((selectionOps & SelectionKey.OP_READ) != 0) {
            ops |= Readiness.READ;
        }
        if ((selectionOps & SelectionKey.OP_WRITE) != 0) {
            ops |= Readiness.WRITE;
        }
        return ops == 0 ? Readiness.ERROR : ops;
    }

    private static int selectionOps(int interest) {
        int ops = 0;
        if ((interest & Readiness.READ) != 0) {
            ops |= SelectionKey.OP_READ;
        }
        if ((interest & Readiness.WRITE) != 0) {
            ops |= SelectionKey.OP_WRITE;
        }
        return ops;
    }

    /**
     * Rounds a positive timeout up to whole milliseconds, at most {@link Integer#MAX_VALUE} (the
     * selector passes it to poll(2) as an int).
     */
    static long millisCeil(long nanos) {
        long ms = nanos / 1_000_000L + (nanos % 1_000_000L == 0 ? 0 : 1);
        return Math.min(ms, Integer.MAX_VALUE);
    }

    private void checkOpen() {
        if (closed) {
            throw closedException();
        }
    }

    private IllegalStateException closedException() {
        return new IllegalStateException("the " + NAME + " hub is closed");
    }

    private void checkFd(int fd) {
        if (fd < 0) {
            throw new IllegalArgumentException("fd " + fd + " is negative");
        }
        if (fd >= fdLimit()) {
            throw new IllegalArgumentException("fd " + fd + " is beyond the " + NAME + " hub's limit of "
                    + fdLimit());
        }
    }

    /** One fd's registration: a new object (and channel, and key) each time the fd is registered. */
    private static final class Registration {
        final int fd;
        final SelectionKey key;
        int interest;

        Registration(int fd, SelectionKey key, int interest) {
            this.fd = fd;
            this.key = key;
            this.interest = interest;
        }
    }
}
