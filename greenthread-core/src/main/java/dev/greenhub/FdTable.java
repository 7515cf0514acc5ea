package dev.greenhub;

import dev.greenhub.hub.Hub;
import dev.greenhub.hub.Readiness;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.BiConsumer;

/**
 * What one scheduler knows about the fds its green threads wait on (eventlet's listeners): per
 * fd, the interest registered with the hub and at most one waiter per direction. Indexed by fd
 * number in a growable array. Carrier-confined.
 *
 * <p>The hub registration is kept between waits and changed only when the interest grows; when
 * an fd is reported ready in a direction nobody waits for, that interest is dropped (the fd is
 * unregistered when none is left), so level-triggered hubs never spin. ERROR and HANGUP wake the
 * waiters of both directions.
 */
final class FdTable {
    /** What the table knows about one fd. */
    private static final class Watch {
        int registered;
        IoWait reader;
        IoWait writer;
    }

    /** One thread's wait in {@link Scheduler#trampoline}: completed by readiness or by a forget. */
    static final class IoWait extends Waiter {
        int readyOps;
        boolean closed;

        IoWait(Fiber fiber) {
            super(fiber);
        }

        void ready(int ops) {
            readyOps = ops;
            complete();
        }

        void closed() {
            closed = true;
            complete();
        }
    }

    private final Hub hub;
    private final BiConsumer<String, Throwable> reporter;
    private Watch[] watches = new Watch[64];
    private int count;

    FdTable(Hub hub, BiConsumer<String, Throwable> reporter) {
        this.hub = hub;
        this.reporter = reporter;
    }

    /** Whether no fd is watched (the loop then need not poll when it would not block). */
    boolean isEmpty() {
        return count == 0;
    }

    private Watch get(int fd) {
        return fd >= 0 && fd < watches.length ? watches[fd] : null;
    }

    /**
     * Registers {@code wait} as the waiter of {@code fd} for {@code interest}, growing the hub
     * registration if needed.
     *
     * @throws IllegalStateException if another waiter already waits in one of those directions
     * @throws IOException if the hub refuses the fd
     */
    void add(int fd, int interest, IoWait wait) throws IOException {
        if (fd < 0) {
            throw new IllegalArgumentException("fd must not be negative: " + fd);
        }
        Watch w = get(fd);
        if (w != null) {
            if ((interest & Readiness.READ) != 0 && w.reader != null) {
                throw new IllegalStateException("second simultaneous read on fd " + fd + ": "
                        + w.reader.thread() + " is already waiting to read it");
            }
            if ((interest & Readiness.WRITE) != 0 && w.writer != null) {
                throw new IllegalStateException("second simultaneous write on fd " + fd + ": "
                        + w.writer.thread() + " is already waiting to write it");
            }
        }
        int registered = w == null ? 0 : w.registered;
        int wanted = registered | interest;
        if (wanted != registered) {
            hub.register(fd, wanted);
        }
        if (w == null) {
            w = new Watch();
            if (fd >= watches.length) {
                watches = Arrays.copyOf(watches, Math.max(fd + 1, watches.length * 2));
            }
            watches[fd] = w;
            count++;
        }
        w.registered = wanted;
        if ((interest & Readiness.READ) != 0) {
            w.reader = wait;
        }
        if ((interest & Readiness.WRITE) != 0) {
            w.writer = wait;
        }
    }

    /** Frees the slots {@code wait} holds on {@code fd}, whatever ended it. */
    void remove(int fd, IoWait wait) {
        Watch w = get(fd);
        if (w == null) {
            return;
        }
        if (w.reader == wait) {
            w.reader = null;
        }
        if (w.writer == wait) {
            w.writer = null;
        }
    }

    /** The interest registered for {@code fd}, or 0. */
    int interest(int fd) {
        Watch w = get(fd);
        return w == null ? 0 : w.registered;
    }

    /** The hub's ready handler: wakes the waiters, and drops interest nobody waits for. */
    void onReady(int fd, int ops) {
        Watch w = get(fd);
        if (w == null) {
            unregister(fd, "unregistering unknown fd ");
            return;
        }
        boolean failed = (ops & (Readiness.ERROR | Readiness.HANGUP)) != 0;
        int readyDirections = failed ? Readiness.INTEREST_MASK : ops & Readiness.INTEREST_MASK;
        int interest = w.registered;
        if ((readyDirections & Readiness.READ) != 0) {
            if (w.reader != null) {
                w.reader.ready(ops);
                w.reader = null;
            } else {
                interest &= ~Readiness.READ;
            }
        }
        if ((readyDirections & Readiness.WRITE) != 0) {
            if (w.writer != null) {
                w.writer.ready(ops);
                w.writer = null;
            } else {
                interest &= ~Readiness.WRITE;
            }
        }
        if (interest == w.registered) {
            return;
        }
        if (interest == 0) {
            drop(fd);
            unregister(fd, "unregistering fd ");
            return;
        }
        try {
            hub.register(fd, interest);
            w.registered = interest;
        } catch (IOException | RuntimeException e) {
            reporter.accept("changing the interest of fd " + fd + " in hub " + hub.name() + " to "
                    + Readiness.describe(interest), e);
        }
    }

    /**
     * Forgets {@code fd}: unregisters it (when {@code unregister}) and ends its waits with
     * {@link IoWait#closed}.
     */
    void forget(int fd, boolean unregister) {
        Watch w = get(fd);
        if (w == null) {
            return;
        }
        drop(fd);
        if (w.registered != 0 && unregister) {
            unregister(fd, "unregistering fd ");
        }
        w.registered = 0;
        if (w.reader != null) {
            w.reader.closed();
        }
        if (w.writer != null && w.writer != w.reader) {
            w.writer.closed();
        }
    }

    /** Unregisters every fd and forgets them all, without waking anyone (the scheduler closes). */
    void clear() {
        for (int fd = 0; fd < watches.length; fd++) {
            if (watches[fd] != null) {
                try {
                    hub.unregister(fd);
                } catch (IOException | RuntimeException ignored) {
                    // the hub is being closed; its registrations go with it
                }
            }
        }
        watches = new Watch[0];
        count = 0;
    }

    /** The watched fds, for {@link Diagnostics#listeners}. */
    List<Diagnostics.Listener> snapshot() {
        List<Diagnostics.Listener> out = new ArrayList<>(count);
        for (int fd = 0; fd < watches.length; fd++) {
            Watch w = watches[fd];
            if (w != null) {
                out.add(new Diagnostics.Listener(fd, w.registered,
                        w.reader == null ? null : w.reader.thread(),
                        w.writer == null ? null : w.writer.thread()));
            }
        }
        return out;
    }

    private void drop(int fd) {
        watches[fd] = null;
        count--;
    }

    private void unregister(int fd, String what) {
        try {
            hub.unregister(fd);
        } catch (IOException | RuntimeException e) {
            reporter.accept(what + fd + " from hub " + hub.name(), e);
        }
    }
}
