package dev.greenhub;

import java.util.Objects;
import java.util.concurrent.Callable;
import java.util.function.Function;

/**
 * A greenlet: a green thread that passes control explicitly, following the rules of Python's
 * greenlet.
 *
 * <ul>
 *   <li>{@link #switchTo(Object)} (Java cannot name a method {@code switch}) suspends the caller
 *       and resumes this greenlet: the first switch starts its body with the value as argument;
 *       later switches make the {@code switchTo} call it is suspended in return that value. The
 *       caller's own {@code switchTo} returns when something switches back to it.</li>
 *   <li>A finished greenlet returns its body's value to its {@linkplain #parent() parent}, whose
 *       pending {@code switchTo} returns it; an exception that ends the body is thrown from the
 *       parent's pending {@code switchTo} instead. A body ended by {@link GreenletExit} counts as
 *       returning that exception object.</li>
 *   <li>Switching to a dead greenlet goes to its nearest live ancestor.</li>
 *   <li>{@link #throwInto(Throwable)} switches to the greenlet and raises the exception where it
 *       is suspended; into a greenlet that has not started, it ends it without running its
 *       body.</li>
 * </ul>
 *
 * <p>The parent is the greenlet that was current when this one was created (for green threads
 * spawned with {@link Green#spawn}, the scheduler's {@linkplain Scheduler#hubGreenlet() hub
 * greenlet}). A platform thread has a main greenlet ({@link Scheduler#mainGreenlet()}); while it
 * is suspended in {@code switchTo} it runs its scheduler's loop.
 *
 * <p>A greenlet can only be resumed where it is suspended in {@code switchTo} (or before it
 * started): one that waits in a sleep, a lock or I/O is resumed by what it waits for, and
 * switching to it is an {@link IllegalStateException}.
 *
 * <h2>Threading</h2>
 * A greenlet belongs to the scheduler of the thread that created it; switching to it from a thread
 * of another scheduler (another carrier) is a {@link WrongThreadException}.
 */
public sealed class Greenlet permits GreenThread {
    enum Kind { MAIN, HUB, GREEN }

    static final int NEW = 0;
    static final int STARTED = 1;
    static final int DEAD = 2;

    final Scheduler scheduler;
    final Fiber fiber;
    /** The body: a {@code Function<Object, Object>}, or for a GreenThread its {@code Callable}. */
    final Object body;
    private Greenlet parent;
    int state;
    // membership in the scheduler's list of live greenlets, carrier-confined (Scheduler.addLive)
    boolean live;
    Greenlet livePrev;
    Greenlet liveNext;
    private boolean started;
    /** What only some greenlets need (delayed start, switches, exit actions), made on first use. */
    private GreenletSideState side;

    private GreenletSideState side() {
        GreenletSideState st = side;
        if (st == null) {
            st = new GreenletSideState();
            side = st;
        }
        return st;
    }

    private boolean inSwitch() {
        GreenletSideState st = side;
        return st != null && st.inSwitch();
    }

    /** Sets the timer that starts this greenlet spawned with a delay (Scheduler's spawn). */
    void startTimer(Timer timer) {
        side().startTimer(timer);
    }

    private void cancelStartTimer() {
        GreenletSideState st = side;
        if (st != null) {
            st.cancelStartTimer();
        }
    }

    /** MAIN for a carrier's own greenlet, HUB for the one with neither thread nor body, else GREEN. */
    Kind kind() {
        return fiber == null ? Kind.HUB : fiber.green ? Kind.GREEN : Kind.MAIN;
    }

    /**
     * A greenlet whose parent is the current greenlet.
     *
     * @param body run with the value of the first switch; its result goes to the parent
     */
    public Greenlet(Function<Object, Object> body) {
        this(Scheduler.current(), current(), Objects.requireNonNull(body, "body"));
    }

    /**
     * A greenlet with the given parent.
     *
     * @param body run with the value of the first switch; its result goes to the parent
     * @param parent where its result goes; must belong to the current thread's scheduler
     * @throws WrongThreadException if the parent belongs to another scheduler
     */
    public Greenlet(Function<Object, Object> body, Greenlet parent) {
        this(Scheduler.current(), checkParent(parent), Objects.requireNonNull(body, "body"));
    }

    Greenlet(Scheduler scheduler, Greenlet parent, Function<Object, Object> body) {
        this(scheduler, parent, (Object) body);
    }

    /** A GreenThread's greenlet, whose body is its task. */
    Greenlet(Scheduler scheduler, Greenlet parent, Callable<?> task) {
        this(scheduler, parent, (Object) task);
    }

    private Greenlet(Scheduler scheduler, Greenlet parent, Object body) {
        this.scheduler = scheduler;
        this.parent = parent;
        this.body = body;
        scheduler.checkOpen();
        Fiber f = new Fiber(scheduler, this, true, null);
        GreenTask task = new GreenTask(f);
        f.thread = scheduler.threads().newThread(task);
        task.mark(f.thread);
        this.fiber = f;
    }

    private Greenlet(Scheduler scheduler, Kind kind, Thread platform) {
        this.scheduler = scheduler;
        this.parent = null;
        this.body = null;
        this.state = STARTED;
        this.started = true;
        this.fiber = kind == Kind.MAIN ? new Fiber(scheduler, this, false, platform) : null;
    }

    static Greenlet root(Scheduler scheduler, Kind kind, Thread platform) {
        return new Greenlet(scheduler, kind, platform);
    }

    private static Greenlet checkParent(Greenlet parent) {
        Objects.requireNonNull(parent, "parent");
        Scheduler s = Scheduler.current();
        if (parent.scheduler != s) {
            throw new WrongThreadException("parent " + parent + " belongs to " + parent.scheduler
                    + ", not to the current thread's " + s);
        }
        return parent;
    }

    /**
     * The current greenlet: the calling green thread's, or the calling platform thread's main
     * greenlet (its scheduler is created on first use).
     *
     * @return the current greenlet
     */
    public static Greenlet current() {
        return Fiber.current().greenlet;
    }

    /**
     * Switches to this greenlet with {@code value}; see the class documentation.
     *
     * @param value passed to the body (first switch) or returned by this greenlet's pending
     *     {@code switchTo}
     * @return the value the caller is resumed with
     * @throws WrongThreadException if this greenlet belongs to another scheduler
     * @throws IllegalStateException if this greenlet is started but not suspended in
     *     {@code switchTo}
     */
    public Object switchTo(Object value) {
        return current(this).transfer(this, value, null);
    }

    /**
     * {@link #switchTo(Object)} with {@code null}.
     *
     * @return the value the caller is resumed with
     */
    public Object switchTo() {
        return switchTo(null);
    }

    /**
     * Switches to this greenlet and raises {@code error} where it is suspended (unchanged, even if
     * checked). A greenlet that has not started ends at once without running.
     *
     * @param error what to raise
     * @return the value the caller is resumed with
     * @throws WrongThreadException if this greenlet belongs to another scheduler
     * @throws IllegalStateException if this greenlet is started but not suspended in
     *     {@code switchTo}
     */
    public Object throwInto(Throwable error) {
        Objects.requireNonNull(error, "error");
        return current(this).transfer(this, null, error);
    }

    /**
     * {@link #throwInto(Throwable)} with a new {@link GreenletExit}.
     *
     * @return the value the caller is resumed with
     */
    public Object throwInto() {
        return throwInto(new GreenletExit());
    }

    /**
     * Where this greenlet's result goes: the greenlet current at its creation, or the hub
     * greenlet for spawned green threads; null for root greenlets.
     *
     * @return the parent, or null
     */
    public Greenlet parent() {
        return parent;
    }

    /**
     * Whether this greenlet's body has ended (or it was ended before it started).
     *
     * @return true once dead
     */
    public boolean isDead() {
        return state == DEAD;
    }

    /**
     * Whether this greenlet's body was started (root greenlets always are); false for one that
     * was killed or cancelled before it started.
     *
     * @return true once started
     */
    public boolean isStarted() {
        return started;
    }

    /**
     * The scheduler this greenlet belongs to.
     *
     * @return its scheduler
     */
    public Scheduler scheduler() {
        return scheduler;
    }

    /**
     * The thread this greenlet runs on (its virtual thread, or the platform thread for a main
     * greenlet); null for the hub greenlet.
     *
     * @return the thread, or null
     */
    public Thread thread() {
        return fiber == null ? null : fiber.thread;
    }

    @Override
    public String toString() {
        String what = switch (kind()) {
            case MAIN -> "main greenlet of " + fiber.thread.getName();
            case HUB -> "hub greenlet of " + scheduler;
            case GREEN -> (this instanceof GreenThread ? "GreenThread " : "Greenlet ") + Fiber.label(fiber.thread);
        };
        return what + (state == NEW ? " (not started)" : state == DEAD ? " (dead)" : "");
    }

    // ---------------------------------------------------------------- internals

    /** The caller's greenlet, checked to be on {@code target}'s scheduler. */
    private static Greenlet current(Greenlet target) {
        Fiber me = Fiber.current();
        if (me.scheduler != target.scheduler) {
            throw new WrongThreadException("cannot switch to " + target + ": it belongs to " + target.scheduler
                    + " (carrier " + target.scheduler.carrier().getName() + "), and the caller "
                    + Thread.currentThread() + " belongs to " + me.scheduler);
        }
        me.scheduler.checkOpen();
        return me.greenlet;
    }

    /**
     * The caller ({@code this}, the current greenlet) hands control to {@code target} with a value
     * or an error, and waits in its own switch until something switches back.
     */
    private Object transfer(Greenlet target, Object value, Throwable error) {
        Greenlet t = target;
        while (t.state == DEAD) {
            t = t.parent;
        }
        if (t == this) {
            if (error != null) {
                throw Sneaky.rethrow(error);
            }
            return value;
        }
        if (t.kind() != Kind.HUB && t.state == STARTED && !t.inSwitch()) {
            throw new IllegalStateException("cannot switch to " + t + ": it is not suspended in switchTo"
                    + " (it waits for something else, which will resume it)");
        }
        GreenletSideState st = side();
        Waiter wait = new Waiter(fiber);
        st.enterSwitch(wait);
        try {
            switch (t.kind()) {
                case HUB -> {
                    if (error != null) {
                        scheduler.report("exception thrown into the hub greenlet by " + this, error);
                    }
                }
                case MAIN -> t.deliver(value, error);
                case GREEN -> {
                    if (t.state == NEW) {
                        if (error != null) {
                            t.endUnstarted(error);
                        } else {
                            t.start(value, true);
                        }
                    } else {
                        t.deliver(value, error);
                    }
                }
            }
            return st.awaitSwitch(wait);
        } finally {
            st.leaveSwitch();
        }
    }

    /** Resumes this greenlet's pending switchTo with a value or an error; it runs next. */
    private void deliver(Object value, Throwable error) {
        side.deliver(value, error); // in a switch: side made by transfer
    }

    /**
     * Starts a spawned greenlet unless it was killed first: a yield-queue entry for a spawn without
     * delay, the callback of a timer for a delayed one.
     */
    static final class Start implements Runnable {
        private final Greenlet greenlet;

        Start(Greenlet greenlet) {
            this.greenlet = greenlet;
        }

        @Override
        public void run() {
            if (greenlet.state == NEW) {
                greenlet.start(null, false);
            }
        }

        @Override
        public String toString() {
            return "start " + greenlet;
        }
    }

    void start(Object value, boolean direct) {
        cancelStartTimer();
        if (value != null) {
            side().startValue(value);
        }
        state = STARTED;
        started = true;
        scheduler.addLive(this);
        if (direct) {
            scheduler.armHandoff();
            try {
                fiber.thread.start();
            } finally {
                scheduler.disarmHandoff();
            }
        } else {
            fiber.thread.start();
        }
    }

    /** Ends a greenlet that never started, as if its body had thrown {@code error} at once. */
    void endUnstarted(Throwable error) {
        cancelStartTimer();
        state = DEAD;
        scheduler.removeLive(this);
        finish(null, error);
    }

    /** Called by Scheduler.close for each live greenlet. */
    void killForClose(GreenletExit exit) {
        if (state == NEW) {
            endUnstarted(exit);
        } else if (state == STARTED) {
            fiber.kill(exit);
        }
    }

    /** What the body computes; GreenThread overrides it. */
    @SuppressWarnings("unchecked")
    Object runBody(Object firstValue) throws Throwable {
        return ((Function<Object, Object>) body).apply(firstValue);
    }

    /** The virtual thread's task (run by its {@link GreenTask}). */
    void main() {
        Object value = null;
        Throwable error = null;
        try {
            fiber.throwIfKilled(); // killed after start was requested, before it ran
            value = runBody(takeStartValue());
        } catch (Throwable e) {
            error = e;
        }
        fiber.dropDeadlineTimer();
        Throwable unthrownKill = fiber.takeKill();
        if (unthrownKill != null && error != null && error != unthrownKill) {
            // the kill's interrupt ended a JDK call and the body let that exception out
            unthrownKill.addSuppressed(error);
            error = unthrownKill;
        }
        state = DEAD;
        scheduler.removeLive(this);
        runExitActions();
        finish(value, error);
    }

    private Object takeStartValue() {
        GreenletSideState st = side;
        return st == null ? null : st.takeStartValue();
    }

    /**
     * Runs {@code action} when this green thread's body ends, however it ends (returned, threw,
     * was killed), before its outcome is delivered; removed by {@link #removeExitAction}.
     * Carrier-confined: called by this greenlet itself or its scheduler's other threads.
     */
    void addExitAction(Runnable action) {
        side().addExitAction(action);
    }

    void removeExitAction(Runnable action) {
        GreenletSideState st = side;
        if (st != null) {
            st.removeExitAction(action);
        }
    }

    private void runExitActions() {
        GreenletSideState st = side;
        if (st != null) {
            st.runExitActions(scheduler, this);
        }
    }

    /**
     * The end of the greenlet: its outcome goes to its parent (GreenThread also completes its
     * waiters and links).
     */
    void finish(Object value, Throwable error) {
        if (error instanceof GreenletExit) {
            value = error;
            error = null;
        }
        Greenlet target = parent;
        while (target != null && target.state == DEAD) {
            target = target.parent;
        }
        if (target == null || target.kind() == Kind.HUB) {
            if (error != null) {
                scheduler.report(this + " ended with an exception", error);
            }
            return;
        }
        if (target.inSwitch()) {
            target.deliver(value, error);
        } else if (error != null) {
            scheduler.report(this + " ended with an exception, and its parent " + target
                    + " is not suspended in switchTo to receive it", error);
        }
    }
}
