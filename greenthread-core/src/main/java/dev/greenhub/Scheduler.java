package dev.greenhub;

import dev.greenhub.hub.Hub;
import dev.greenhub.hub.HubProvider;
import dev.greenhub.hub.Hubs;
import dev.greenhub.hub.Readiness;
import dev.greenhub.internal.Deadlines;
import dev.greenhub.internal.FdWaits;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.AsynchronousCloseException;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.ThreadFactory;
import java.util.function.BiConsumer;
import java.util.function.BooleanSupplier;

/**
 * A hub loop: the scheduler of the green threads of one carrier thread, with its timers and
 * its {@link Hub} (eventlet's hub).
 *
 * <h2>Ownership</h2>
 * A scheduler belongs to the platform thread that created it (its <em>carrier</em>): the one
 * {@link #current()} creates on a thread's first use, with the hub {@link Hubs#select()} picks, or
 * one {@link #open(HubProvider)} creates with a given provider. Its green threads run one at a
 * time, on the carrier, only while the carrier waits for something green — a
 * {@link GreenThread#get()}, a {@link Green#sleep(Duration)}, a greenlet switch: a waiting
 * platform thread runs the loop until its wait is over, as eventlet's main greenlet switches to
 * the hub. A scheduler whose carrier has ended without closing it is closed (its hub released)
 * when the next scheduler is created.
 *
 * <h2>One turn of the loop</h2>
 * <ol>
 *   <li>wait in {@link Hub#poll} until the earliest timer deadline — without blocking when green
 *       threads are ready or timers are due, so that I/O that has arrived is seen before a
 *       timeout fires (eventlet #50, #55);</li>
 *   <li>resume the green threads whose fds are ready;</li>
 *   <li>fire the due timers in deadline order, equal deadlines in scheduling order; a green thread
 *       a timer resumes runs before the next timer fires, as eventlet runs a timer's switch to
 *       completion;</li>
 *   <li>run the ready green threads, first in first out (those made ready while this runs wait
 *       for the next turn).</li>
 * </ol>
 *
 * <h2>Threading</h2>
 * {@link #runOnCarrier(Runnable)} (the green threads' virtual-thread scheduler) and the accessors are
 * thread-safe. Everything else must be called from the scheduler's own threads — its carrier or
 * one of its green threads — and throws {@link WrongThreadException} otherwise. Using a closed
 * scheduler is an {@link IllegalStateException}.
 *
 * <h2>Errors</h2>
 * An exception thrown by a timer callback, by a task, or that ends a green thread is reported to
 * the {@linkplain #setExceptionReporter exception reporter} (by default a {@link System.Logger}
 * named {@code dev.greenhub}, level WARNING) and the loop goes on.
 */
public final class Scheduler implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger("dev.greenhub");
    /** {@code GREEN.get()}: the fiber of the green thread that is the current thread, or null. */
    static final GreenTask.Lookup GREEN = GreenTask.CURRENT;

    /** Longest delay kept exactly (about 73 years); longer ones are clamped. */
    static final long MAX_DELAY_NANOS = TimerQueue.MAX_DELAY_NANOS;
    private static final Duration MAX_DELAY = Duration.ofNanos(MAX_DELAY_NANOS);
    private static final long CLOSE_GRACE_NANOS = 2_000_000_000L;

    static {
        // dev.greenhub.net and the TCK wait for fds through dev.greenhub.internal.FdWaits
        FdWaits.connect(new FdWaitAccess());
    }

    /** The default reporter: the System.Logger, at WARNING. */
    public static final BiConsumer<String, Throwable> LOG_REPORTER =
            (what, error) -> LOG.log(System.Logger.Level.WARNING, what, error);

    private final Hub hub;
    private final String hubName;
    private final int id;
    private final Thread owner;
    private final ThreadFactory threads;
    final Fiber mainFiber;
    private final Greenlet mainGreenlet;
    private final Greenlet hubGreenlet;
    private volatile boolean closed;
    private volatile BiConsumer<String, Throwable> reporter = LOG_REPORTER;

    // The parts; each is carrier-confined except where it says otherwise.
    final RunQueue runQueue;
    final TimerQueue timers = new TimerQueue();
    private final FdTable fds;
    private final LiveList live = new LiveList();
    private final HubLoop loop;

    /** Called by {@link CarrierBinding}, which binds the new scheduler to {@code owner}. */
    Scheduler(Hub hub, Thread owner, int id) {
        this.hub = hub;
        this.hubName = hub.name();
        this.id = id;
        this.owner = owner;
        this.runQueue = new RunQueue(hub::wakeup, this::report);
        this.fds = new FdTable(hub, this::report);
        this.loop = new HubLoop(hub, owner, runQueue, timers, fds, new LoopHost());
        this.threads = VirtualThreads.factory(new LoopExecutor(this), "green-" + hubName + "-" + id);
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
        return CarrierBinding.current();
    }

    /**
     * The calling thread's scheduler if it has one, without creating it.
     *
     * @return the scheduler, or empty
     */
    public static Optional<Scheduler> currentIfPresent() {
        return CarrierBinding.currentIfPresent();
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
        return CarrierBinding.open(provider);
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

    static IllegalStateException foreignVirtualThread(Thread t) {
        return CarrierBinding.foreignVirtualThread(t);
    }

    /**
     * Closes this scheduler, whose carrier has ended without closing it, for
     * {@link CarrierBinding}: its loop can never run again, so its hub is released.
     */
    void abandon() {
        closed = true;
        Diagnostics.closed(this);
        hub.close();
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
     * Schedules {@code callback} at a deadline on the {@link System#nanoTime()} clock. A deadline
     * in the past (down to {@link Long#MIN_VALUE}) fires at the next turn; one more than about 73
     * years ahead is clamped to that.
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
     * Spawns a green thread that runs {@code task} from the next turn of the loop. Its thread is
     * named {@code green-<hub>-<scheduler id>}, as are all this scheduler's unnamed green threads
     * (thread dumps tell them apart by thread id).
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
     * Spawns a green thread named {@code name} (its thread's name, as thread dumps show it) that
     * runs {@code task} from the next turn of the loop.
     *
     * @param name the green thread's name; not blank
     * @param task the work
     * @param <T> its result type
     * @return the green thread
     * @throws IllegalArgumentException if the name is blank
     * @throws WrongThreadException if the caller is not one of this scheduler's threads
     * @throws IllegalStateException if the scheduler is closed
     */
    public <T> GreenThread<T> spawn(String name, Callable<T> task) {
        Objects.requireNonNull(name, "name");
        if (name.isBlank()) {
            throw new IllegalArgumentException("a green thread's name must not be blank");
        }
        GreenThread<T> g = spawnAfter(Duration.ZERO, task);
        g.fiber.thread.setName(name);
        return g;
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
        start(g, nanos);
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
        start(g, 0);
        return g;
    }

    /**
     * Every spawn ends here: the green thread is live from now and starts {@code delayNanos} from
     * now. Without delay it waits in the yield queue, which orders it among the timers by the
     * time of the spawn (as eventlet's {@code spawn} is a timer of delay 0) without a timer.
     */
    private void start(Greenlet g, long delayNanos) {
        live.add(g);
        if (delayNanos == 0) {
            runQueue.addYield(new Greenlet.Start(g), System.nanoTime());
        } else {
            g.startTimer(scheduleAt(deadlineAfter(delayNanos), new Greenlet.Start(g)));
        }
    }

    /**
     * Runs {@code task} on the carrier at the next turn of the loop. Thread-safe and non-blocking:
     * this is the virtual-thread scheduler of the green threads, and how other threads hand work
     * to the loop (a wakeup of the hub makes a waiting loop notice it). An exception the task
     * throws is reported. After {@link #close()}, tasks are dropped with a warning.
     *
     * <p>This is not an {@link java.util.concurrent.Executor} for application work on purpose: the
     * task runs on the carrier itself, so a task that waits holds every green thread of the hub.
     * To run a green thread per task (for {@code HttpServer.setExecutor} and the like) use
     * {@link GreenExecutorService}; from one of this scheduler's threads, {@link #spawn(Callable)}.
     *
     * @param task what to run; it must not block
     */
    public void runOnCarrier(Runnable task) {
        Objects.requireNonNull(task, "task");
        Thread caller = Thread.currentThread();
        if (runQueue.takeHandoff(caller, task)) {
            return;
        }
        if (closed) {
            LOG.log(System.Logger.Level.WARNING, "scheduler " + this + " is closed; dropped a task"
                    + " submitted by " + caller + ": " + task);
            return;
        }
        // Carrier-confined: straight to the ready queue, without the concurrent queue's node and
        // compare-and-set (timer callbacks, fd wakeups and green-to-green unparks).
        if (caller == owner) {
            if (!runQueue.takeYield(task)) { // a green thread's Thread.yield ends here
                runQueue.addFromCarrier(task);
            }
        } else if (caller.isVirtual() && isOwnGreenThread()) {
            runQueue.addFromGreen(task);
        } else {
            runQueue.addForeign(task);
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
     * @param deadlineNanos on the {@link System#nanoTime()} clock; {@link Long#MAX_VALUE} for none;
     *     a deadline already passed (down to {@link Long#MIN_VALUE}) returns 0 at the next turn
     *     unless the fd is ready then
     * @return the readiness bits (READ/WRITE as asked, ERROR and HANGUP always), or 0 if the
     *     deadline passed first
     * @throws IllegalStateException if another green thread already waits on the fd in that
     *     direction ("second simultaneous read/write"), or the scheduler is closed
     * @throws AsynchronousCloseException if {@link #forgetFd(int)} is called while waiting
     * @throws IOException if the hub refuses the fd
     * @throws IllegalArgumentException if the interest is invalid, the fd negative or outside the
     *     hub's limit
     * @throws WrongThreadException (an IllegalStateException) if the caller is neither this
     *     scheduler's carrier nor one of its green threads; the message names the fix
     */
    int trampoline(int fd, int interest, long deadlineNanos) throws IOException {
        Readiness.checkInterest(interest);
        checkOpen();
        if (!onCarrier()) {
            throw foreignIoWait(fd);
        }
        Fiber me = Fiber.current();
        FdTable.IoWait wait = new FdTable.IoWait(me);
        fds.add(fd, interest, wait);
        try {
            if (!wait.await(deadlineNanos)) {
                return 0;
            }
            if (wait.closed) {
                throw new AsynchronousCloseException();
            }
            return wait.readyOps;
        } finally {
            fds.remove(fd, wait);
        }
    }

    /**
     * Forgets {@code fd}: unregisters it from the hub and resumes its waiters, whose trampoline
     * throws {@link AsynchronousCloseException}. Call it before closing an fd that green threads
     * may wait on, so that a new fd with the same number starts afresh.
     *
     * @param fd the fd
     * @throws WrongThreadException if the caller is not one of this scheduler's threads
     */
    void forgetFd(int fd) {
        checkOnCarrier("forgetFd");
        fds.forget(fd, !closed);
    }

    /**
     * The interest this scheduler keeps registered for {@code fd} in its hub (diagnostics).
     *
     * @param fd the fd
     * @return {@link Readiness#READ}/{@link Readiness#WRITE} bits, or 0 if not registered
     * @throws WrongThreadException if the caller is not one of this scheduler's threads
     */
    int fdInterest(int fd) {
        checkOnCarrier("fdInterest");
        return fds.interest(fd);
    }

    /**
     * How many timers are stored (pending or cancelled, not yet dropped).
     *
     * @return the count
     */
    public int timerCount() {
        checkOnCarrier("timerCount");
        return timers.size();
    }

    /**
     * How many of the stored timers are cancelled (eventlet's {@code timers_canceled}).
     *
     * @return the count
     */
    public int cancelledTimerCount() {
        checkOnCarrier("cancelledTimerCount");
        return timers.cancelledCount();
    }

    /**
     * How many green threads are running or waiting to start.
     *
     * @return the count
     */
    public int liveCount() {
        checkOnCarrier("liveCount");
        return live.size();
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
        if (loop.running()) {
            throw new IllegalStateException("cannot close scheduler " + this + " from inside its own loop");
        }
        try {
            if (live.size() > 0) {
                for (Greenlet g : live.snapshot()) {
                    g.killForClose(new GreenletExit("scheduler closed"));
                }
                Timer guard = scheduleAt(deadlineAfter(CLOSE_GRACE_NANOS), () -> { });
                runUntil(() -> live.size() == 0 || guard.isCalled());
                guard.cancel();
                if (live.size() > 0) {
                    LOG.log(System.Logger.Level.WARNING, "scheduler " + this + " closed with " + live.size()
                            + " green threads that did not end: " + live.snapshot());
                }
            }
        } finally {
            closed = true;
            CarrierBinding.closed(this);
            fds.clear();
            timers.clear();
            runQueue.clear();
            hub.close();
        }
    }

    @Override
    public String toString() {
        return "Scheduler[" + hubName + " #" + id + " on " + owner.getName() + (closed ? ", closed" : "") + "]";
    }

    // ---------------------------------------------------------------- the loop (HubLoop)

    /** Runs the loop on the carrier until {@code done} holds; see {@link HubLoop#runUntil}. */
    void runUntil(BooleanSupplier done) {
        loop.runUntil(done);
    }

    /** Resumes the carrier's fiber if it waits in {@link #runUntil}; see {@link HubLoop#resumeMain}. */
    void resumeMain(boolean direct) {
        loop.resumeMain(direct);
    }

    /** The narrow view of this scheduler its loop gets. */
    private final class LoopHost implements HubLoop.Host {
        @Override
        public void checkOpen() {
            Scheduler.this.checkOpen();
        }

        @Override
        public boolean onCarrier() {
            return Scheduler.this.onCarrier();
        }

        @Override
        public void runOnCarrier(Runnable task) {
            Scheduler.this.runOnCarrier(task);
        }

        @Override
        public String toString() {
            return Scheduler.this.toString();
        }
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
    static long deadlineAfter(long nanos) {
        return Deadlines.after(nanos);
    }

    /**
     * The refusal of a green I/O wait from a thread that is neither this scheduler's carrier nor
     * one of its green threads. Checked before the caller's own scheduler is looked up, so that
     * a platform thread is not given a scheduler of its own by the mistake.
     */
    private WrongThreadException foreignIoWait(int fd) {
        Thread t = Thread.currentThread();
        return new WrongThreadException("fd " + fd + " belongs to " + this + " (carrier " + owner.getName()
                + "), but " + (t.isVirtual() ? "virtual " : "platform ") + "thread \"" + t.getName()
                + "\" must wait for it, and only that carrier and its green threads can: do the I/O in a green"
                + " thread of that scheduler (Green.spawn from the carrier or one of its green threads) and hand"
                + " the data to other threads with a queue or an Event; or create the socket on the thread"
                + " that uses it");
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
        return t.isVirtual() && isOwnGreenThread();
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
        return loop.running();
    }

    ThreadFactory threads() {
        return threads;
    }

    /**
     * Commits a {@link GreenThreadStatisticsEvent} for this scheduler; called on JFR's periodic
     * thread, so the counts are read without synchronisation (they may lag by a spawn or two).
     */
    void commitStatistics() {
        GreenThreadStatisticsEvent e = new GreenThreadStatisticsEvent();
        e.scheduler = toString();
        e.hub = hubName;
        e.spawned = live.added();
        e.ended = live.removed();
        e.alive = e.spawned - e.ended;
        e.commit();
    }

    /** The green threads' virtual-thread scheduler, by which {@link #findGreen} knows them. */
    private record LoopExecutor(Scheduler scheduler) implements java.util.concurrent.Executor {
        @Override
        public void execute(Runnable task) {
            scheduler.runOnCarrier(task);
        }
    }

    /**
     * The fiber of {@code t}, the calling virtual thread, if it is one of greenhub's green threads
     * whose {@link GreenTask} mark was replaced; null otherwise. Slow: reflection, and a search of
     * its scheduler's live list (safe: the caller runs on that scheduler's carrier).
     */
    static Fiber findGreen(Thread t) {
        if (VirtualThreads.schedulerOf(t) instanceof LoopExecutor loop) {
            Greenlet g = loop.scheduler.live.find(t);
            return g == null ? null : g.fiber;
        }
        return null;
    }

    /** Called when a green thread starts (a spawned one is live from its spawn). */
    void addLive(Greenlet g) {
        live.add(g);
    }

    /** Called when a green thread ends. */
    void removeLive(Greenlet g) {
        live.remove(g);
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
        runQueue.armHandoff();
    }

    void disarmHandoff() {
        runQueue.disarmHandoff();
    }

    /** Package-private timer scheduling without the thread check, for internal hot paths. */
    Timer scheduleAt(long deadline, Runnable callback) {
        checkOpen();
        return timers.add(deadline, callback);
    }

    /** The fds this scheduler watches, for {@link Diagnostics#listeners}. Carrier-confined. */
    List<Diagnostics.Listener> listenerSnapshot() {
        return fds.snapshot();
    }

    /** The timers not yet fired nor cancelled, for {@link Diagnostics#timers}. Carrier-confined. */
    List<Timer> pendingTimerSnapshot() {
        return timers.pendingSnapshot();
    }
}
