package dev.greenhub;

import dev.greenhub.hub.Hub;
import dev.greenhub.hub.HubProvider;
import dev.greenhub.hub.HubSelection;
import dev.greenhub.hub.Hubs;
import dev.greenhub.hub.Readiness;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.AsynchronousCloseException;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.ThreadFactory;
import java.util.function.BiConsumer;
import java.util.function.BooleanSupplier;

/**
 * A hub loop: the scheduler of the green threads of one carrier thread, with its timer heap and
 * its {@link Hub} (eventlet's hub).
 *
 * <h2>Ownership</h2>
 * A scheduler belongs to the platform thread that created it (its <em>carrier</em>): the one
 * {@link #current()} creates on a thread's first use, with the hub {@link Hubs#select()} picks, or
 * one {@link #open(HubProvider)} creates with a given provider. Its green threads run one at a
 * time, on the carrier, only while the carrier waits for something green — a
 * {@link GreenThread#get()}, a {@link Green#sleep(Duration)}, a greenlet switch: a waiting
 * platform thread runs the loop until its wait is over, as eventlet's main greenlet switches to
 * the hub.
 *
 * <h2>One turn of the loop</h2>
 * <ol>
 *   <li>move newly scheduled timers into the heap (prepare_timers);</li>
 *   <li>wait in {@link Hub#poll} until the earliest timer deadline — without blocking when green
 *       threads are ready or timers are due, so that I/O that has arrived is seen before a
 *       timeout fires (eventlet #50, #55);</li>
 *   <li>resume the green threads whose fds are ready;</li>
 *   <li>fire the due timers in deadline order, equal deadlines in scheduling order;</li>
 *   <li>run the ready green threads, first in first out (those made ready while this runs wait
 *       for the next turn).</li>
 * </ol>
 *
 * <h2>Threading</h2>
 * {@link #execute(Runnable)} (the green threads' virtual-thread scheduler) and the accessors are
 * thread-safe. Everything else must be called from the scheduler's own threads — its carrier or
 * one of its green threads — and throws {@link WrongThreadException} otherwise. Using a closed
 * scheduler is an {@link IllegalStateException}.
 *
 * <h2>Errors</h2>
 * An exception thrown by a timer callback, by a task, or that ends a green thread is reported to
 * the {@linkplain #setExceptionReporter exception reporter} (by default a {@link System.Logger}
 * named {@code dev.greenhub}, level WARNING) and the loop goes on.
 */
public final class Scheduler implements Executor, AutoCloseable {
    private static final System.Logger LOG = System.getLogger("dev.greenhub");
    private static final ThreadLocal<Scheduler> BOUND = new ThreadLocal<>();
    /** The fiber of the green thread that is the current thread; set when it starts. */
    static final ThreadLocal<Fiber> GREEN = new ThreadLocal<>();

    /** Longest delay kept exactly (about 73 years); longer ones are clamped. */
    static final long MAX_DELAY_NANOS = Long.MAX_VALUE >> 2;
    private static final Duration MAX_DELAY = Duration.ofNanos(MAX_DELAY_NANOS);
    /** The heap is compacted when more timers than this are pending and half are cancelled. */
    static final int COMPACT_THRESHOLD = 1000;
    private static final long CLOSE_GRACE_NANOS = 2_000_000_000L;

    /** The default reporter: the System.Logger, at WARNING. */
    public static final BiConsumer<String, Throwable> LOG_REPORTER =
            (what, error) -> LOG.log(System.Logger.Level.WARNING, what, error);

    private final Hub hub;
    private final String hubName;
    private final Thread owner;
    private final ThreadFactory threads;
    final Fiber mainFiber;
    private final Greenlet mainGreenlet;
    private final Greenlet hubGreenlet;

    // Work handed in by any thread.
    private final ConcurrentLinkedQueue<Runnable> incoming = new ConcurrentLinkedQueue<>();
    private volatile boolean sleeping;
    private volatile boolean closed;
    private volatile Thread handoffFrom;
    private volatile BiConsumer<String, Throwable> reporter = LOG_REPORTER;

    // Carrier-confined state (the carrier and the green threads it runs).
    private final ArrayDeque<Runnable> ready = new ArrayDeque<>();
    private final ArrayDeque<Runnable> handoffs = new ArrayDeque<>();
    /** The marker of the carrier's current wait in runUntil, or null when it is not waiting. */
    private volatile ResumeMarker activeMarker;
    private boolean inLoop;
    private boolean stopRunPhase;
    private BooleanSupplier waitCondition;
    private final ArrayList<Timer> nextTimers = new ArrayList<>();
    private final TimerHeap timers = new TimerHeap();
    /**
     * Timers whose deadlines arrived in non-decreasing order (zero-delay spawns, sleep(0), any
     * timer not earlier than the last one here): already sorted by (deadline, sequence), so they
     * skip the heap's O(log n) sift. The next timer is the earlier of the two heads.
     */
    private final ArrayDeque<Timer> inOrderTimers = new ArrayDeque<>();
    private int cancelledTimers;
    private long timerSequence;
    private final Map<Integer, FdWatch> fds = new HashMap<>();
    /**
     * The green threads running or waiting to start: a list linked through the greenlets (no
     * hashing, no entry objects, no table to grow on spawn-heavy work). Carrier-confined.
     */
    private Greenlet liveHead;
    private int liveSize;
    /** What the carrier runs now and since when, kept only while blocking detection is on. */
    volatile Runnable runningTask;
    volatile long runningSince;

    private Scheduler(Hub hub, Thread owner) {
        this.hub = hub;
        this.hubName = hub.name();
        this.owner = owner;
        this.threads = VirtualThreads.factory(this);
        this.mainGreenlet = Greenlet.root(this, Greenlet.Kind.MAIN, owner);
        this.hubGreenlet = Greenlet.root(this, Greenlet.Kind.HUB, null);
        this.mainFiber = mainGreenlet.fiber;
    }

    // ---------------------------------------------------------------- creation and lookup

    /**
     * The calling thread's scheduler: a green thread's own, or for a platform thread the one bound
     * to it, created on first use with the hub {@link Hubs#select()} picks (eventlet's
     * {@code get_hub()}).
     *
     * @return the scheduler
     * @throws dev.greenhub.hub.HubUnavailableException if no hub can be had
     * @throws UnsupportedOperationException if the JVM lacks the virtual-thread hook or the
     *     {@code --add-opens} flag it needs (the message names the flag)
     * @throws IllegalStateException if the caller is a virtual thread greenhub did not create
     */
    public static Scheduler current() {
        Thread t = Thread.currentThread();
        if (t.isVirtual()) {
            Fiber f = GREEN.get();
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

    /**
     * The calling thread's scheduler if it has one, without creating it.
     *
     * @return the scheduler, or empty
     */
    public static Optional<Scheduler> currentIfPresent() {
        Thread t = Thread.currentThread();
        if (t.isVirtual()) {
            Fiber f = GREEN.get();
            return f == null ? Optional.empty() : Optional.of(f.scheduler);
        }
        return Optional.ofNullable(BOUND.get());
    }

    /**
     * Creates a scheduler with a hub from {@code provider} and binds it to the calling platform
     * thread, which becomes its carrier. Close it to release the hub and unbind it.
     *
     * @param provider the hub provider to use
     * @return the new scheduler
     * @throws IllegalStateException if the calling thread already has an open scheduler, or is
     *     virtual
     * @throws UnsupportedOperationException if the provider is unavailable, or the JVM lacks the
     *     virtual-thread hook or its flag
     * @throws UncheckedIOException if the hub cannot be opened
     */
    public static Scheduler open(HubProvider provider) {
        Objects.requireNonNull(provider, "provider");
        Scheduler existing = BOUND.get();
        if (existing != null) {
            throw new IllegalStateException("thread " + Thread.currentThread().getName()
                    + " already has an open scheduler (" + existing + "); close it first");
        }
        return create(provider);
    }

    /**
     * As {@link #open(HubProvider)} with the provider named {@code name} ({@code "epoll"},
     * {@code "poll"}, {@code "select"}, ...), or the best available one when {@code name} is null.
     *
     * @param name a provider name, or null
     * @return the new scheduler
     * @throws dev.greenhub.hub.HubUnavailableException if that provider is missing or unavailable
     */
    public static Scheduler open(String name) {
        return open(Hubs.select(name).provider());
    }

    private static Scheduler create(HubProvider provider) {
        Thread t = Thread.currentThread();
        if (t.isVirtual()) {
            throw new IllegalStateException("a scheduler's carrier must be a platform thread; " + t
                    + " is virtual");
        }
        VirtualThreads.check();
        VirtualThreads.startJdkPollers();
        Hub hub;
        try {
            hub = provider.open();
        } catch (IOException e) {
            throw new UncheckedIOException("could not open a '" + provider.name() + "' hub: " + e.getMessage(), e);
        }
        Scheduler s;
        try {
            s = new Scheduler(hub, t);
        } catch (RuntimeException | Error e) {
            hub.close();
            throw e;
        }
        BOUND.set(s);
        Diagnostics.opened(s);
        return s;
    }

    static IllegalStateException foreignVirtualThread(Thread t) {
        return new IllegalStateException(t + " is a virtual thread that greenhub did not create; greenhub"
                + " calls need a green thread or a platform thread (which runs its own scheduler)");
    }

    // ---------------------------------------------------------------- public API

    /**
     * The name of the hub provider, such as {@code "epoll"}.
     *
     * @return the hub's name
     */
    public String hubName() {
        return hubName;
    }

    /**
     * The platform thread this scheduler belongs to.
     *
     * @return the carrier
     */
    public Thread carrier() {
        return owner;
    }

    /**
     * The carrier thread's main greenlet (the root that its own code runs in).
     *
     * @return the main greenlet
     */
    public Greenlet mainGreenlet() {
        return mainGreenlet;
    }

    /**
     * The hub's greenlet: the parent of spawned green threads. Switching to it suspends the caller
     * until something switches back.
     *
     * @return the hub greenlet
     */
    public Greenlet hubGreenlet() {
        return hubGreenlet;
    }

    /**
     * Whether {@link #close()} was called.
     *
     * @return true once closed
     */
    public boolean isClosed() {
        return closed;
    }

    /**
     * Schedules {@code callback} to run on the carrier, in the loop, after {@code delay}
     * (eventlet's {@code schedule_call_global}); see {@link Timer}.
     *
     * @param delay how long from now; zero runs it at the next turn
     * @param callback what to run; it must not block
     * @return the timer, to cancel it
     * @throws IllegalArgumentException if the delay is negative
     * @throws WrongThreadException if the caller is not one of this scheduler's threads
     * @throws IllegalStateException if the scheduler is closed
     */
    public Timer callLater(Duration delay, Runnable callback) {
        long nanos = delayNanos(delay, "delay");
        Objects.requireNonNull(callback, "callback");
        checkOnCarrier("callLater");
        return scheduleAt(deadlineAfter(nanos), callback);
    }

    /**
     * Schedules {@code callback} at a deadline on the {@link System#nanoTime()} clock.
     *
     * @param deadlineNanos when
     * @param callback what to run; it must not block
     * @return the timer
     * @throws WrongThreadException if the caller is not one of this scheduler's threads
     * @throws IllegalStateException if the scheduler is closed
     */
    public Timer callAt(long deadlineNanos, Runnable callback) {
        Objects.requireNonNull(callback, "callback");
        checkOnCarrier("callAt");
        return scheduleAt(deadlineNanos, callback);
    }

    /**
     * Spawns a green thread that runs {@code task} from the next turn of the loop.
     *
     * @param task the work
     * @param <T> its result type
     * @return the green thread
     * @throws WrongThreadException if the caller is not one of this scheduler's threads
     * @throws IllegalStateException if the scheduler is closed
     */
    public <T> GreenThread<T> spawn(Callable<T> task) {
        return spawnAfter(Duration.ZERO, task);
    }

    /**
     * Spawns a green thread that starts after {@code delay}.
     *
     * @param delay how long to wait before starting; not negative
     * @param task the work
     * @param <T> its result type
     * @return the green thread
     * @throws IllegalArgumentException if the delay is negative
     * @throws WrongThreadException if the caller is not one of this scheduler's threads
     * @throws IllegalStateException if the scheduler is closed
     */
    public <T> GreenThread<T> spawnAfter(Duration delay, Callable<T> task) {
        long nanos = delayNanos(delay, "delay");
        Objects.requireNonNull(task, "task");
        checkOnCarrier("spawn");
        GreenThread<T> g = new GreenThread<>(this, task);
        g.scheduleStart(deadlineAfter(nanos));
        return g;
    }

    /**
     * Spawns a green thread without a result to wait for (eventlet's {@code spawn_n}); an
     * exception that ends it is reported.
     *
     * @param task the work
     * @return its greenlet, whose parent is the hub
     * @throws WrongThreadException if the caller is not one of this scheduler's threads
     * @throws IllegalStateException if the scheduler is closed
     */
    public Greenlet spawnN(Runnable task) {
        Objects.requireNonNull(task, "task");
        checkOnCarrier("spawnN");
        Greenlet g = new Greenlet(this, hubGreenlet, value -> {
            task.run();
            return null;
        });
        g.scheduleStart(deadlineAfter(0));
        return g;
    }

    /**
     * Runs {@code task} on the carrier at the next turn of the loop. Thread-safe and non-blocking:
     * this is the virtual-thread scheduler of the green threads, and how other threads hand work
     * to the loop (a wakeup of the hub makes a waiting loop notice it). An exception the task
     * throws is reported. After {@link #close()}, tasks are dropped with a warning.
     *
     * @param task what to run; it must not block
     */
    @Override
    public void execute(Runnable task) {
        Objects.requireNonNull(task, "task");
        Thread caller = Thread.currentThread();
        if (handoffFrom == caller) {
            handoffFrom = null;
            handoffs.addLast(task);
            return;
        }
        if (closed) {
            LOG.log(System.Logger.Level.WARNING, "scheduler " + this + " is closed; dropped a task"
                    + " submitted by " + caller + ": " + task);
            return;
        }
        if (caller == owner || (caller.isVirtual() && isOwnGreenThread())) {
            // Carrier-confined: straight to the ready queue, without the concurrent queue's node
            // and compare-and-set (timer callbacks, fd wakeups and green-to-green unparks).
            ready.addLast(task);
            return;
        }
        incoming.add(task);
        if (sleeping) {
            try {
                hub.wakeup();
            } catch (IllegalStateException closedMeanwhile) {
                // close() raced with us; the loop is gone and the task dropped with it
            }
        }
    }

    /**
     * Waits until {@code fd} is ready for {@code interest}, the deadline passes, or the caller is
     * killed (eventlet's {@code trampoline}). The fd's registration with the hub is kept between
     * waits and changed only when the interest changes; an fd that is ready while nobody waits
     * loses that interest at the next poll.
     *
     * @param fd the file descriptor
     * @param interest {@link Readiness#READ}, {@link Readiness#WRITE} or both
     * @param deadlineNanos on the {@link System#nanoTime()} clock; {@link Long#MAX_VALUE} for none
     * @return the readiness bits (READ/WRITE as asked, ERROR and HANGUP always), or 0 if the
     *     deadline passed first
     * @throws IllegalStateException if another green thread already waits on the fd in that
     *     direction ("second simultaneous read/write"), or the scheduler is closed
     * @throws AsynchronousCloseException if {@link #forgetFd(int)} is called while waiting
     * @throws IOException if the hub refuses the fd
     * @throws IllegalArgumentException if the interest is invalid or the fd is outside the hub's
     *     limit
     */
    public int trampoline(int fd, int interest, long deadlineNanos) throws IOException {
        Readiness.checkInterest(interest);
        checkOpen();
        Fiber me = Fiber.current();
        if (me.scheduler != this) {
            throw new WrongThreadException("trampoline on scheduler " + this + " from " + me
                    + " of another scheduler");
        }
        checkOpen();
        FdWatch w = fds.get(fd);
        if (w == null) {
            w = new FdWatch();
        }
        if ((interest & Readiness.READ) != 0 && w.reader != null) {
            throw new IllegalStateException("second simultaneous read on fd " + fd + ": "
                    + w.reader.fiber.thread + " is already waiting to read it");
        }
        if ((interest & Readiness.WRITE) != 0 && w.writer != null) {
            throw new IllegalStateException("second simultaneous write on fd " + fd + ": "
                    + w.writer.fiber.thread + " is already waiting to write it");
        }
        IoWait wait = new IoWait(me);
        int wanted = w.registered | interest;
        if (wanted != w.registered) {
            hub.register(fd, wanted);
            w.registered = wanted;
        }
        fds.put(fd, w);
        if ((interest & Readiness.READ) != 0) {
            w.reader = wait;
        }
        if ((interest & Readiness.WRITE) != 0) {
            w.writer = wait;
        }
        boolean timed = deadlineNanos != Long.MAX_VALUE;
        try {
            // The wait is new and only the loop completes it, so park at once; the checks after
            // a park must not share a branch with a check made before one (see Fiber.awaitGreen).
            do {
                boolean unparked = timed ? me.parkUntil(deadlineNanos) : park(me);
                if (!unparked && wait.readyOps == 0 && !wait.closed) {
                    return 0;
                }
            } while (wait.readyOps == 0 && !wait.closed);
            if (wait.closed) {
                throw new AsynchronousCloseException();
            }
            return wait.readyOps;
        } finally {
            if (w.reader == wait) {
                w.reader = null;
            }
            if (w.writer == wait) {
                w.writer = null;
            }
        }
    }

    private static boolean park(Fiber me) {
        me.park();
        return true;
    }

    /**
     * Forgets {@code fd}: unregisters it from the hub and resumes its waiters, whose trampoline
     * throws {@link AsynchronousCloseException}. Call it before closing an fd that green threads
     * may wait on, so that a new fd with the same number starts afresh.
     *
     * @param fd the fd
     * @throws WrongThreadException if the caller is not one of this scheduler's threads
     */
    public void forgetFd(int fd) {
        checkOnCarrier("forgetFd");
        FdWatch w = fds.remove(fd);
        if (w == null) {
            return;
        }
        if (w.registered != 0 && !closed) {
            try {
                hub.unregister(fd);
            } catch (IOException | RuntimeException e) {
                report("unregistering fd " + fd + " from hub " + hubName, e);
            }
        }
        w.registered = 0;
        for (IoWait wait : new IoWait[] {w.reader, w.writer}) {
            if (wait != null) {
                wait.closed = true;
                wait.fiber.unpark();
            }
        }
    }

    /**
     * The interest this scheduler keeps registered for {@code fd} in its hub (diagnostics).
     *
     * @param fd the fd
     * @return {@link Readiness#READ}/{@link Readiness#WRITE} bits, or 0 if not registered
     * @throws WrongThreadException if the caller is not one of this scheduler's threads
     */
    public int fdInterest(int fd) {
        checkOnCarrier("fdInterest");
        FdWatch w = fds.get(fd);
        return w == null ? 0 : w.registered;
    }

    /**
     * How many timers are stored (pending or cancelled, not yet dropped).
     *
     * @return the count
     */
    public int timerCount() {
        checkOnCarrier("timerCount");
        return nextTimers.size() + timers.size() + inOrderTimers.size();
    }

    /**
     * How many of the stored timers are cancelled (eventlet's {@code timers_canceled}).
     *
     * @return the count
     */
    public int cancelledTimerCount() {
        checkOnCarrier("cancelledTimerCount");
        return cancelledTimers;
    }

    /**
     * How many green threads are running or waiting to start.
     *
     * @return the count
     */
    public int liveCount() {
        checkOnCarrier("liveCount");
        return liveSize;
    }

    /**
     * Where exceptions from timers, tasks and green threads go; {@link #LOG_REPORTER} by default.
     *
     * @param reporter receives a description and the exception; null switches reporting off
     */
    public void setExceptionReporter(BiConsumer<String, Throwable> reporter) {
        this.reporter = reporter;
    }

    /**
     * Closes the scheduler: kills its green threads with {@link GreenletExit} and runs the loop
     * (up to two seconds) while they unwind, drops its timers, and closes its hub. Idempotent.
     * The calling thread gets a new scheduler on its next green call.
     *
     * @throws WrongThreadException if the caller is not the carrier
     * @throws IllegalStateException if called from inside the loop (a timer callback)
     */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        if (Thread.currentThread() != owner) {
            throw new WrongThreadException("a scheduler is closed by its carrier " + owner + ", not by "
                    + Thread.currentThread());
        }
        if (inLoop) {
            throw new IllegalStateException("cannot close scheduler " + this + " from inside its own loop");
        }
        try {
            if (liveSize > 0) {
                for (Greenlet g : liveSnapshot()) {
                    g.killForClose(new GreenletExit("scheduler closed"));
                }
                long deadline = System.nanoTime() + CLOSE_GRACE_NANOS;
                Timer guard = scheduleAt(deadline, () -> { });
                runUntil(() -> liveSize == 0 || guard.isCalled());
                guard.cancel();
                if (liveSize > 0) {
                    LOG.log(System.Logger.Level.WARNING, "scheduler " + this + " closed with " + liveSize
                            + " green threads that did not end: " + liveSnapshot());
                }
            }
        } finally {
            closed = true;
            Diagnostics.closed(this);
            if (BOUND.get() == this) {
                BOUND.remove();
            }
            for (Integer fd : fds.keySet()) {
                try {
                    hub.unregister(fd);
                } catch (IOException | RuntimeException ignored) {
                    // the hub is being closed; its registrations go with it
                }
            }
            fds.clear();
            nextTimers.clear();
            while (timers.poll() != null) {
                // drop
            }
            inOrderTimers.clear();
            cancelledTimers = 0;
            ready.clear();
            handoffs.clear();
            incoming.clear();
            hub.close();
        }
    }

    @Override
    public String toString() {
        return "Scheduler[" + hubName + " on " + owner.getName() + (closed ? ", closed" : "") + "]";
    }

    // ---------------------------------------------------------------- internals

    static long delayNanos(Duration d, String what) {
        Objects.requireNonNull(d, what);
        if (d.isNegative()) {
            throw new IllegalArgumentException(what + " must not be negative: " + d);
        }
        return d.compareTo(MAX_DELAY) > 0 ? MAX_DELAY_NANOS : d.toNanos();
    }

    /**
     * The deadline {@code nanos} from now on the {@link System#nanoTime()} clock, for
     * {@link Fiber#parkUntil(long)} and {@link #trampoline}; negative counts as zero, and delays
     * beyond about 73 years are clamped.
     *
     * @param nanos how long from now
     * @return the deadline
     */
    public static long deadlineAfter(long nanos) {
        return System.nanoTime() + Math.max(0, Math.min(nanos, MAX_DELAY_NANOS));
    }

    private boolean isOwnGreenThread() {
        Fiber f = GREEN.get();
        return f != null && f.scheduler == this;
    }

    boolean onCarrier() {
        Thread t = Thread.currentThread();
        if (t == owner) {
            return true;
        }
        if (t.isVirtual()) {
            Fiber f = GREEN.get();
            return f != null && f.scheduler == this;
        }
        return false;
    }

    void checkOnCarrier(String call) {
        checkOpen();
        if (!onCarrier()) {
            throw new WrongThreadException(call + "() on scheduler " + this + " from " + Thread.currentThread()
                    + ", which is neither its carrier nor one of its green threads");
        }
    }

    void checkOpen() {
        if (closed) {
            throw new IllegalStateException("scheduler " + this + " is closed");
        }
    }

    boolean loopRunning() {
        return inLoop;
    }

    ThreadFactory threads() {
        return threads;
    }

    void addLive(Greenlet g) {
        if (g.live) {
            return;
        }
        g.live = true;
        g.livePrev = null;
        g.liveNext = liveHead;
        if (liveHead != null) {
            liveHead.livePrev = g;
        }
        liveHead = g;
        liveSize++;
    }

    void removeLive(Greenlet g) {
        if (!g.live) {
            return;
        }
        g.live = false;
        Greenlet prev = g.livePrev;
        Greenlet next = g.liveNext;
        if (prev == null) {
            liveHead = next;
        } else {
            prev.liveNext = next;
        }
        if (next != null) {
            next.livePrev = prev;
        }
        g.livePrev = null;
        g.liveNext = null;
        liveSize--;
    }

    private List<Greenlet> liveSnapshot() {
        List<Greenlet> out = new ArrayList<>(liveSize);
        for (Greenlet g = liveHead; g != null; g = g.liveNext) {
            out.add(g);
        }
        return out;
    }

    void report(String what, Throwable error) {
        BiConsumer<String, Throwable> r = reporter;
        if (r != null) {
            try {
                r.accept(what, error);
            } catch (RuntimeException | Error e) {
                LOG.log(System.Logger.Level.ERROR, "exception reporter failed on: " + what, e);
            }
        }
    }

    /** Called by the current thread before an unpark that must be run before other ready work. */
    void armHandoff() {
        handoffFrom = Thread.currentThread();
    }

    void disarmHandoff() {
        handoffFrom = null;
    }

    /**
     * Resumes the carrier's own (platform) fiber if it is running the loop in runUntil: its
     * marker task is queued behind the work that is already ready (or run next, for a direct
     * switch), and ends the run phase if the wait is over. A fiber that is not waiting notices
     * its permit or kill when it next parks.
     */
    void resumeMain(boolean direct) {
        ResumeMarker marker = activeMarker;
        if (marker == null) {
            return;
        }
        if (direct && onCarrier()) {
            handoffs.addLast(marker);
        } else {
            execute(marker);
        }
    }

    /** Ends the run phase when the carrier's wait (the one it was queued for) is over. */
    private final class ResumeMarker implements Runnable {
        @Override
        public void run() {
            BooleanSupplier c = waitCondition;
            if (activeMarker == this && c != null && c.getAsBoolean()) {
                stopRunPhase = true;
            }
        }

        @Override
        public String toString() {
            return "resume " + owner.getName();
        }
    }

    Timer scheduleAt(long deadline, Runnable callback) {
        checkOpen();
        Timer t = new Timer(this, deadline, timerSequence++, callback);
        nextTimers.add(t);
        return t;
    }

    void timerCancelled() {
        cancelledTimers++;
        int stored = nextTimers.size() + timers.size() + inOrderTimers.size();
        if (stored > COMPACT_THRESHOLD && cancelledTimers * 2 >= stored) {
            nextTimers.removeIf(Timer::isCancelled);
            timers.removeCancelled();
            inOrderTimers.removeIf(Timer::isCancelled);
            cancelledTimers = 0;
        }
    }

    /**
     * Runs the loop on the carrier until {@code done} holds. Called by the carrier's own fiber.
     */
    void runUntil(BooleanSupplier done) {
        if (Thread.currentThread() != owner) {
            throw new WrongThreadException("only the carrier " + owner + " runs the loop of " + this);
        }
        if (inLoop) {
            throw new IllegalStateException("blocking call inside the hub loop of " + this
                    + " (from a timer callback or a task run by the loop): it would wait for the loop"
                    + " it stops; spawn a green thread to do the blocking work");
        }
        checkOpen();
        inLoop = true;
        waitCondition = done;
        activeMarker = new ResumeMarker();
        try {
            while (!done.getAsBoolean()) {
                turn();
            }
        } finally {
            activeMarker = null;
            waitCondition = null;
            inLoop = false;
        }
    }

    private void turn() {
        prepareTimers();
        drainIncoming();
        long timeout;
        long now = 0;
        if (!ready.isEmpty() || !handoffs.isEmpty()) {
            timeout = 0;
        } else {
            Timer first = firstLiveTimer();
            if (first == null) {
                timeout = -1;
            } else {
                now = System.nanoTime();
                timeout = Math.max(0, first.deadline - now);
            }
        }
        if (timeout != 0) {
            sleeping = true;
            if (!incoming.isEmpty()) {
                timeout = 0;
            }
            if (timeout != 0 || !fds.isEmpty()) {
                poll(timeout);
                now = 0;
            } else {
                sleeping = false;
            }
        } else if (!fds.isEmpty()) {
            poll(0);
            now = 0;
        }
        fireTimers(now);
        runReady();
    }

    /** Polls the hub; the caller has set {@code sleeping} if the poll may block. */
    private void poll(long timeout) {
        try {
            hub.poll(timeout, this::onReady);
        } catch (IOException e) {
            throw new UncheckedIOException("hub " + hubName + " of " + this + " failed to poll: "
                    + e.getMessage(), e);
        } finally {
            sleeping = false;
        }
    }

    private void prepareTimers() {
        if (nextTimers.isEmpty()) {
            return;
        }
        for (Timer t : nextTimers) {
            if (t.state == Timer.CANCELLED) {
                cancelledTimers--;
            } else {
                Timer last = inOrderTimers.peekLast();
                // t's sequence number is higher than last's, so an equal deadline keeps the order
                if (last == null || t.deadline - last.deadline >= 0) {
                    inOrderTimers.addLast(t);
                } else {
                    timers.add(t);
                }
            }
        }
        nextTimers.clear();
    }

    /** The earliest stored timer that is not cancelled (dropping cancelled ones on the way). */
    private Timer firstLiveTimer() {
        Timer first;
        while ((first = firstTimer()) != null && first.state == Timer.CANCELLED) {
            removeFirstTimer(first);
            cancelledTimers--;
        }
        return first;
    }

    /** The earliest stored timer, cancelled or not. */
    private Timer firstTimer() {
        return earlier(timers.peek(), inOrderTimers.peekFirst());
    }

    private static Timer earlier(Timer fromHeap, Timer inOrder) {
        if (fromHeap == null) {
            return inOrder;
        }
        if (inOrder == null) {
            return fromHeap;
        }
        return TimerHeap.before(inOrder, fromHeap) ? inOrder : fromHeap;
    }

    private void removeFirstTimer(Timer t) {
        if (inOrderTimers.peekFirst() == t) {
            inOrderTimers.pollFirst();
        } else {
            timers.poll();
        }
    }

    /**
     * Fires the due timers.
     *
     * @param recentNow a {@link System#nanoTime()} read in this turn with no poll since, or 0
     */
    private void fireTimers(long recentNow) {
        if (timers.isEmpty() && inOrderTimers.isEmpty()) {
            return;
        }
        long now = recentNow != 0 ? recentNow : System.nanoTime();
        Timer t;
        while ((t = firstTimer()) != null && t.deadline - now <= 0) {
            removeFirstTimer(t);
            if (t.state == Timer.CANCELLED) {
                cancelledTimers--;
                continue;
            }
            t.state = Timer.FIRED;
            boolean watched = Diagnostics.watching;
            if (watched) {
                watchStart(t.callback);
            }
            try {
                t.callback.run();
            } catch (Throwable e) {
                report("timer callback " + t.callback + " of " + this + " failed", e);
            } finally {
                if (watched) {
                    runningTask = null;
                }
            }
        }
    }

    private void drainIncoming() {
        Runnable r;
        while ((r = incoming.poll()) != null) {
            ready.addLast(r);
        }
    }

    private void runReady() {
        drainIncoming();
        int budget = ready.size();
        stopRunPhase = false;
        runHandoffs();
        while (!stopRunPhase && budget-- > 0) {
            runTask(ready.pollFirst());
            runHandoffs();
        }
        if (stopRunPhase) {
            Runnable h;
            while ((h = handoffs.pollLast()) != null) {
                ready.addFirst(h);
            }
        }
    }

    private void runHandoffs() {
        Runnable h;
        while (!stopRunPhase && (h = handoffs.pollFirst()) != null) {
            runTask(h);
        }
    }

    private void runTask(Runnable task) {
        boolean watched = Diagnostics.watching;
        if (watched) {
            watchStart(task);
        }
        try {
            task.run();
        } catch (Throwable e) {
            report("task " + task + " run by " + this + " failed", e);
        } finally {
            if (watched) {
                runningTask = null;
            }
        }
    }

    private void watchStart(Runnable task) {
        runningSince = System.nanoTime();
        runningTask = task;
    }

    /** The fds this scheduler watches, for {@link Diagnostics#listeners}. Carrier-confined. */
    List<Diagnostics.Listener> listenerSnapshot() {
        List<Diagnostics.Listener> out = new ArrayList<>(fds.size());
        for (Map.Entry<Integer, FdWatch> e : fds.entrySet()) {
            FdWatch w = e.getValue();
            out.add(new Diagnostics.Listener(e.getKey(), w.registered,
                    w.reader == null ? null : w.reader.fiber.thread,
                    w.writer == null ? null : w.writer.fiber.thread));
        }
        return out;
    }

    /** The timers not yet fired nor cancelled, for {@link Diagnostics#timers}. Carrier-confined. */
    List<Timer> pendingTimerSnapshot() {
        List<Timer> out = new ArrayList<>(nextTimers.size() + timers.size() + inOrderTimers.size());
        for (Timer t : nextTimers) {
            if (t.state == Timer.PENDING) {
                out.add(t);
            }
        }
        for (Timer t : inOrderTimers) {
            if (t.state == Timer.PENDING) {
                out.add(t);
            }
        }
        timers.forEachPending(out::add);
        return out;
    }

    /** The hub's ready handler: resumes waiters, and drops interest nobody waits for. */
    private void onReady(int fd, int ops) {
        FdWatch w = fds.get(fd);
        if (w == null) {
            try {
                hub.unregister(fd);
            } catch (IOException | RuntimeException e) {
                report("unregistering unknown fd " + fd + " from hub " + hubName, e);
            }
            return;
        }
        boolean failed = (ops & (Readiness.ERROR | Readiness.HANGUP)) != 0;
        int readyDirections = failed ? Readiness.INTEREST_MASK : ops & Readiness.INTEREST_MASK;
        int interest = w.registered;
        if ((readyDirections & Readiness.READ) != 0) {
            if (w.reader != null) {
                w.reader.wake(ops);
                w.reader = null;
            } else {
                interest &= ~Readiness.READ;
            }
        }
        if ((readyDirections & Readiness.WRITE) != 0) {
            if (w.writer != null) {
                w.writer.wake(ops);
                w.writer = null;
            } else {
                interest &= ~Readiness.WRITE;
            }
        }
        if (interest == w.registered) {
            return;
        }
        try {
            if (interest == 0) {
                fds.remove(fd);
                w.registered = 0;
                hub.unregister(fd);
            } else {
                hub.register(fd, interest);
                w.registered = interest;
            }
        } catch (IOException | RuntimeException e) {
            report("changing the interest of fd " + fd + " in hub " + hubName + " to "
                    + Readiness.describe(interest), e);
        }
    }

    /** What the loop knows about one fd. */
    private static final class FdWatch {
        int registered;
        IoWait reader;
        IoWait writer;
    }

    /** One green thread's wait in {@link #trampoline}. */
    private static final class IoWait {
        final Fiber fiber;
        int readyOps;
        boolean closed;

        IoWait(Fiber fiber) {
            this.fiber = fiber;
        }

        void wake(int ops) {
            readyOps = ops;
            fiber.unpark();
        }
    }
}
