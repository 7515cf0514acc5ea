package dev.greenhub.tck.selftest;

import dev.greenhub.hub.Hub;
import dev.greenhub.hub.ReadyHandler;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A hub with a periodic maintenance task, as some hubs have (re-arming, sweeping, compacting): a
 * poll waits on the real hub in slices that end at the next maintenance time, runs the task, and
 * goes on waiting until something is reported, {@link #wakeup()} is called or the timeout passes.
 * The broken hubs put their bug in {@link #maintain} and {@link #reported}.
 */
abstract class MaintainingHub extends ForwardingHub {
    private final long periodNanos;
    private final AtomicBoolean woken = new AtomicBoolean();
    private long nextMaintenance;

    MaintainingHub(Hub delegate, String name, long periodNanos) {
        super(delegate, name);
        this.periodNanos = periodNanos;
        this.nextMaintenance = System.nanoTime() + periodNanos;
    }

    /** The periodic task; runs on the polling thread between two slices of a wait. */
    abstract void maintain() throws IOException;

    /**
     * Called for each report of the real hub, after the handler got it.
     *
     * @param fd the reported fd
     */
    void reported(int fd) throws IOException {
    }

    @Override
    public final int poll(long timeoutNanos, ReadyHandler handler) throws IOException {
        checkOpen();
        long deadline = timeoutNanos > 0 ? System.nanoTime() + timeoutNanos : 0;
        while (true) {
            long now = System.nanoTime();
            if (now - nextMaintenance >= 0) {
                maintain();
                nextMaintenance = now + periodNanos;
            }
            long slice = nextMaintenance - now;
            if (timeoutNanos == 0) {
                slice = 0;
            } else if (timeoutNanos > 0) {
                slice = Math.min(slice, Math.max(0, deadline - now));
            }
            List<Integer> fds = new ArrayList<>();
            int n = delegate.poll(slice, (fd, ops) -> {
                handler.ready(fd, ops);
                fds.add(fd);
            });
            for (int i = 0; i < fds.size() && !isClosed(); i++) {
                reported(fds.get(i));
            }
            if (n > 0 || woken.getAndSet(false) || timeoutNanos == 0
                    || (timeoutNanos > 0 && System.nanoTime() - deadline >= 0)) {
                return n;
            }
        }
    }

    @Override
    public final void wakeup() {
        woken.set(true);
        delegate.wakeup();
    }
}
