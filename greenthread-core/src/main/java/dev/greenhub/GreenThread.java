package dev.greenhub;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReferenceFieldUpdater;
import java.util.function.Consumer;

/**
 * A spawned green thread with a result (eventlet's {@code GreenThread}), made by
 * {@link Green#spawn} or {@link Green#spawnAfter}. It starts at a turn of its scheduler's loop;
 * its parent is the scheduler's hub greenlet.
 *
 * <h2>Outcome</h2>
 * {@link #get()} returns the task's value or throws a {@link GreenThreadException} whose cause is
 * the exception the task ended with — a {@link GreenletExit} (or the given exception) if it was
 * killed or cancelled. An exception other than GreenletExit is also reported to the scheduler's
 * exception reporter, as eventlet's hub prints it.
 *
 * <h2>Threading</h2>
 * {@link #get()}, {@link #isDone()}, {@link #link}/{@link #unlink} and {@link #kill} may be called
 * from any thread (a platform thread waiting in {@code get} runs its own scheduler's loop
 * meanwhile; a kill from a thread of another scheduler is handed to this thread's loop).
 * {@link #cancel()} must be called from this green thread's own scheduler.
 *
 * @param <T> the result type
 */
public final class GreenThread<T> extends Greenlet {
    /**
     * Null until the end; then the value itself, {@link #NULL_VALUE} for null, or a
     * {@link Failure} (no wrapper for the common case: one object fewer per spawn).
     */
    private volatile Object outcome;
    private static final Object NULL_VALUE = new Object();
    @SuppressWarnings("rawtypes")
    private static final AtomicReferenceFieldUpdater<GreenThread, ConcurrentLinkedQueue> WAITERS =
            AtomicReferenceFieldUpdater.newUpdater(GreenThread.class, ConcurrentLinkedQueue.class, "waiters");

    // Made on first use: most green threads are joined after they end, or never.
    private volatile ConcurrentLinkedQueue<Waiter> waiters;
    @SuppressWarnings("rawtypes")
    private static final AtomicReferenceFieldUpdater<GreenThread, LinkList> LINKS =
            AtomicReferenceFieldUpdater.newUpdater(GreenThread.class, LinkList.class, "links");
    /** Made on the first link, or {@link LinkList#CLOSED} when the thread ends without one. */
    private volatile LinkList links;

    GreenThread(Scheduler scheduler, Callable<T> task) {
        super(scheduler, scheduler.hubGreenlet(), task);
    }

    @Override
    Object runBody(Object ignored) throws Exception {
        return ((Callable<?>) body).call();
    }

    /**
     * Waits for the task to end and returns its value.
     *
     * @return the task's value
     * @throws GreenThreadException if the task ended with an exception (its cause), or the green
     *     thread was killed or cancelled
     * @throws IllegalStateException if called from this green thread itself
     */
    public T get() {
        Object o = outcome;
        if (o == null) {
            o = await(false, 0);
        }
        return result(o);
    }

    /**
     * Waits at most {@code timeout} for the task to end and returns its value.
     *
     * @param timeout how long at most; not negative
     * @return the task's value
     * @throws TimeoutException if it did not end in time (it keeps running)
     * @throws GreenThreadException as {@link #get()}
     * @throws IllegalArgumentException if the timeout is negative
     * @throws IllegalStateException if called from this green thread itself
     */
    public T get(Duration timeout) throws TimeoutException {
        long nanos = Scheduler.delayNanos(timeout, "timeout");
        Object o = outcome;
        if (o == null) {
            o = await(true, Scheduler.deadlineAfter(nanos));
            if (o == null) {
                throw new TimeoutException(this + " did not finish within " + timeout);
            }
        }
        return result(o);
    }

    /**
     * Whether the task has ended (returned, thrown, or was killed or cancelled).
     *
     * @return true once ended
     */
    public boolean isDone() {
        return outcome != null;
    }

    /**
     * Kills the green thread with a new {@link GreenletExit}; see {@link #kill(Throwable)}.
     */
    public void kill() {
        kill(new GreenletExit());
    }

    /**
     * Raises {@code error} in the green thread at once, wherever it waits: a green thread that has
     * not started never runs its task; one that waits at a greenhub blocking point is resumed
     * and the wait throws {@code error}; one blocked in a JDK call is interrupted as well. When
     * called from a green thread or a platform thread of the same scheduler, the caller then
     * yields once, so the killed green thread handles the exception before the caller goes on.
     * Does nothing to a green thread that has ended. Killing the calling green thread itself
     * throws {@code error} at once.
     *
     * @param error what to raise (thrown unchanged, even if checked)
     */
    public void kill(Throwable error) {
        Objects.requireNonNull(error, "error");
        if (isDone()) {
            return;
        }
        if (Thread.currentThread() == fiber.thread) {
            throw Sneaky.rethrow(error);
        }
        if (!scheduler.onCarrier()) {
            scheduler.runOnCarrier(() -> {
                if (!isDone()) {
                    killHere(error, false);
                }
            });
            return;
        }
        killHere(error, true);
    }

    private void killHere(Throwable error, boolean yield) {
        if (state == NEW) {
            endUnstarted(error);
            return;
        }
        fiber.kill(error);
        if (yield) {
            Fiber me = Fiber.current();
            if (me.green || !scheduler.loopRunning()) {
                me.sleepUntil(System.nanoTime());
            }
        }
    }

    /**
     * Kills the green thread with a {@link GreenletExit} if it has not started yet.
     *
     * @return true if it was cancelled, false if it had already started or ended
     * @throws WrongThreadException if the caller is not one of its scheduler's threads
     */
    public boolean cancel() {
        return cancel(new GreenletExit("cancelled"));
    }

    /**
     * Kills the green thread with {@code error} if it has not started yet: its task never runs.
     *
     * @param error the outcome {@link #get()} will report
     * @return true if it was cancelled, false if it had already started or ended
     * @throws WrongThreadException if the caller is not one of its scheduler's threads
     */
    public boolean cancel(Throwable error) {
        Objects.requireNonNull(error, "error");
        scheduler.checkOnCarrier("cancel");
        if (state != NEW) {
            return false;
        }
        endUnstarted(error);
        return true;
    }

    /**
     * Calls {@code callback} with this green thread when it ends, in the ending green thread (or
     * in the caller of kill/cancel for one that never started); at once, in the caller, if it has
     * already ended. An exception from a callback is reported and the other callbacks still run.
     *
     * @param callback what to call
     */
    public void link(Consumer<? super GreenThread<T>> callback) {
        Objects.requireNonNull(callback, "callback");
        LinkList l = links;
        if (l == null) {
            LINKS.compareAndSet(this, null, new LinkList());
            l = links;
        }
        if (!l.add(callback)) {
            runLink(callback);
        }
    }

    /**
     * Removes a callback added by {@link #link} (the first equal one) before it runs.
     *
     * @param callback the callback
     * @return true if it was removed
     */
    public boolean unlink(Consumer<? super GreenThread<T>> callback) {
        LinkList l = links;
        return l != null && l.remove(callback);
    }

    @Override
    void finish(Object value, Throwable error) {
        outcome = error != null ? new Failure(error) : value == null ? NULL_VALUE : value;
        Waiter w;
        ConcurrentLinkedQueue<Waiter> q = waiters;
        while (q != null && (w = q.poll()) != null) {
            w.complete();
        }
        if (links != null || !LINKS.compareAndSet(this, null, LinkList.CLOSED)) {
            for (Consumer<?> callback : links.close()) {
                runLink(callback);
            }
        }
        super.finish(value, error);
    }

    @SuppressWarnings("unchecked")
    private void runLink(Consumer<?> callback) {
        try {
            ((Consumer<? super GreenThread<T>>) callback).accept(this);
        } catch (Throwable e) {
            scheduler.report("link " + callback + " of " + this + " failed", e);
        }
    }

    private Object await(boolean timed, long deadline) {
        Fiber me = Fiber.current();
        if (me == fiber) {
            throw new IllegalStateException("get() on " + this + " from itself would wait forever");
        }
        ConcurrentLinkedQueue<Waiter> q = waiters;
        if (q == null) {
            q = new ConcurrentLinkedQueue<>();
            if (!WAITERS.compareAndSet(this, null, q)) {
                q = waiters;
            }
        }
        Waiter w = new Waiter(me);
        q.add(w);
        try {
            Object o = outcome; // it may have ended before this waiter was queued
            if (o != null) {
                return o;
            }
            w.await(timed ? deadline : Long.MAX_VALUE); // completed only after the outcome is set
            return outcome;                             // null: the deadline passed first
        } finally {
            q.remove(w);
        }
    }

    @SuppressWarnings("unchecked")
    private T result(Object o) {
        if (o instanceof Failure(Throwable error)) {
            throw new GreenThreadException(this + " ended with " + error, error);
        }
        return o == NULL_VALUE ? null : (T) o;
    }

    private record Failure(Throwable error) {
    }

    /** The links of one green thread, until they are taken to run when it ends. */
    private static final class LinkList {
        static final LinkList CLOSED = new LinkList();

        static {
            CLOSED.close();
        }

        private List<Consumer<?>> callbacks = new ArrayList<>(2);

        /** Adds {@code callback}; false if the links already ran (the caller runs it). */
        synchronized boolean add(Consumer<?> callback) {
            if (callbacks == null) {
                return false;
            }
            callbacks.add(callback);
            return true;
        }

        synchronized boolean remove(Consumer<?> callback) {
            return callbacks != null && callbacks.remove(callback);
        }

        /** Takes the links to run; later ones are refused. */
        synchronized List<Consumer<?>> close() {
            List<Consumer<?>> taken = callbacks;
            callbacks = null;
            return taken == null ? List.of() : taken;
        }
    }
}
