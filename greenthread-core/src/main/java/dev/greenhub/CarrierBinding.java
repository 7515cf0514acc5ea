package dev.greenhub;

import dev.greenhub.hub.Hub;
import dev.greenhub.hub.HubProvider;
import dev.greenhub.hub.HubSelection;
import dev.greenhub.hub.Hubs;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Which scheduler each thread has: the scheduler bound to a platform thread (its carrier), created
 * on first use or by {@code open}; a green thread's own; and every open scheduler, so that those of
 * carriers that ended without closing them are closed when the next one is created. Behind
 * {@link Scheduler#current()}, {@link Scheduler#currentIfPresent()} and
 * {@link Scheduler#open(HubProvider)}; thread-safe.
 *
 * <p>A registry of schedulers, so it refers to {@link Scheduler}: it creates them and closes the
 * abandoned ones (through {@link Scheduler#abandon()}).
 */
final class CarrierBinding {
    private static final ThreadLocal<Scheduler> BOUND = new ThreadLocal<>();
    /** Every open scheduler, so that those of ended carriers can be closed. */
    private static final Set<Scheduler> OPEN = ConcurrentHashMap.newKeySet();
    private static final AtomicInteger IDS = new AtomicInteger();

    private CarrierBinding() {
    }

    /** See {@link Scheduler#current()}. */
    static Scheduler current() {
        Thread t = Thread.currentThread();
        if (t.isVirtual()) {
            Fiber f = GreenTask.CURRENT.get();
            if (f == null) {
                throw foreignVirtualThread(t);
            }
            return f.scheduler;
        }
        Scheduler s = BOUND.get();
        if (s == null) {
            VirtualThreads.check();
            HubSelection selection = Hubs.select();
            s = create(selection.provider());
        }
        return s;
    }

    /** See {@link Scheduler#currentIfPresent()}. */
    static Optional<Scheduler> currentIfPresent() {
        Thread t = Thread.currentThread();
        if (t.isVirtual()) {
            Fiber f = GreenTask.CURRENT.get();
            return f == null ? Optional.empty() : Optional.of(f.scheduler);
        }
        return Optional.ofNullable(BOUND.get());
    }

    /** See {@link Scheduler#open(HubProvider)}. */
    static Scheduler open(HubProvider provider) {
        Objects.requireNonNull(provider, "provider");
        Scheduler existing = BOUND.get();
        if (existing != null) {
            throw new IllegalStateException("thread " + Thread.currentThread().getName()
                    + " already has an open scheduler (" + existing + "); close it first");
        }
        return create(provider);
    }

    private static Scheduler create(HubProvider provider) {
        Thread t = Thread.currentThread();
        if (t.isVirtual()) {
            if (GreenTask.CURRENT.get() == null) {
                throw foreignVirtualThread(t);
            }
            throw new IllegalStateException("a scheduler's carrier must be a platform thread, and " + t
                    + " is a green thread; open the scheduler from a platform thread (or use"
                    + " GreenExecutorService, which opens one on a thread of its own)");
        }
        VirtualThreads.check();
        VirtualThreads.startJdkPollers();
        closeAbandoned();
        Hub hub;
        try {
            hub = provider.open();
        } catch (IOException e) {
            throw new UncheckedIOException("could not open a '" + provider.name() + "' hub: " + e.getMessage(), e);
        }
        Scheduler s;
        try {
            s = new Scheduler(hub, t, IDS.incrementAndGet());
        } catch (RuntimeException | Error e) {
            hub.close();
            throw e;
        }
        BOUND.set(s);
        OPEN.add(s);
        Diagnostics.opened(s);
        JfrEvents.registerStatistics();
        return s;
    }

    /**
     * Closes the schedulers whose carrier has ended without closing them: their loop can never
     * run again, so their hub (an fd, native memory) is released. Their green threads stay
     * suspended and are collected with them.
     */
    private static void closeAbandoned() {
        for (Scheduler s : OPEN) {
            if (!s.carrier().isAlive() && OPEN.remove(s)) {
                s.abandon();
            }
        }
    }

    /**
     * Forgets {@code s}, which its carrier is closing: no longer open, and no longer bound to the
     * calling thread (the carrier) if it was.
     */
    static void closed(Scheduler s) {
        OPEN.remove(s);
        Diagnostics.closed(s);
        if (BOUND.get() == s) {
            BOUND.remove();
        }
    }

    static IllegalStateException foreignVirtualThread(Thread t) {
        return new IllegalStateException(t + " is a virtual thread that greenhub did not create (it runs on"
                + " the JDK's scheduler, which greenhub cannot wait on). Call greenhub from a platform thread"
                + " (it runs a scheduler of its own) or from a green thread; to run work green from here,"
                + " submit it to a hub with GreenExecutorService.open().submit(task)");
    }
}
