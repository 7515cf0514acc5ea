package dev.greenhub;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * Raises an exception in the thread that started it once a duration has passed, wherever that
 * thread waits (eventlet's {@code Timeout}). Use it with try-with-resources:
 * <pre>{@code
 * try (Timeout t = Timeout.start(Duration.ofMillis(50))) {
 *     queue.get();                      // throws t itself if 50 ms pass first
 * }
 * }</pre>
 * By default the Timeout object is itself the exception, so nested timeouts are told apart by
 * identity: {@code catch (Timeout e) { if (e == mine) ... }}. {@link #start(Duration, Throwable)}
 * raises a given exception instead.
 *
 * <h2>Semantics</h2>
 * <ul>
 *   <li>When it expires, it kills the owner's {@link Fiber} with its exception: a wait at a
 *       greenhub blocking point (sleep, Event, Semaphore, queues, I/O, {@link GreenThread#get()})
 *       throws it at once. A green thread blocked in a JDK call (Thread.sleep, a lock, a
 *       BlockingQueue, a socket read) is interrupted, so that call ends with its own interruption
 *       exception; {@link #isExpired()} tells whether this timeout was the cause, and
 *       {@link Green#withTimeout(Duration, java.util.concurrent.Callable)} reports such an
 *       interruption as the timeout.</li>
 *   <li>Nesting: each timeout raises its own exception; the shorter one fires first. If another
 *       kill is pending when it expires (an inner timeout that fired in the same loop turn), it
 *       is delivered a millisecond later, after that one, unless closed meanwhile.</li>
 *   <li>{@link #cancel()} or {@link #close()} before it expires: it never fires. {@link #close()}
 *       of a timeout that expired but whose exception was not thrown yet (the owner was in a JDK
 *       call, or had already been resumed) withdraws that exception, and the interrupt that came
 *       with it, so nothing stray is raised later.</li>
 *   <li>A timeout whose owner is a platform thread fires while that thread runs its scheduler's
 *       loop (while it waits for something green); platform threads are not interrupted.</li>
 *   <li>{@link #unstarted(Duration)} makes a timeout that runs only once {@link #start()} is
 *       called, in the thread it is to interrupt; a cancelled or expired timeout can be started
 *       again. {@link #never()} (eventlet's {@code Timeout(None)}) never fires: start, cancel
 *       and close do nothing, which lets code take an optional limit.</li>
 *   <li>Silent mode (eventlet's {@code Timeout(s, False)}): use
 *       {@link Green#withTimeout(Duration, java.util.concurrent.Callable, Object)}, which returns
 *       a value instead of raising.</li>
 * </ul>
 * A Timeout extends {@link RuntimeException} (as {@link GreenletExit} does); its stack trace is
 * the one of {@link #start()}, which names the timeout that fired.
 *
 * <h2>Threading</h2>
 * {@link #start(Duration)} and {@link #start()} bind the timeout to the calling thread (green or
 * platform). {@link #cancel()}
 * and {@link #close()} must be called from a thread of the owner's scheduler (normally the owner
 * itself); only the owner's close withdraws an undelivered exception.
 */
public final class Timeout extends RuntimeException implements AutoCloseable {
    private static final long serialVersionUID = 1L;
    private static final long RETRY_NANOS = 1_000_000L;

    private static final int PENDING = 0;
    private static final int CANCELLED = 1;
    private static final int EXPIRED = 2;
    private static final int UNSTARTED = 3;

    /** The thread it was last started in; null until then. */
    private transient Fiber owner;
    /** How long after its start the timeout fires; null: never (eventlet's {@code Timeout(None)}). */
    private final Duration duration;
    private final transient Throwable exception;
    private transient Timer timer;
    /** Counts the starts, so that a timer of an earlier start does nothing. Owner-confined. */
    private transient volatile int generation;
    /** UNSTARTED, PENDING, CANCELLED or EXPIRED. */
    private volatile int state = UNSTARTED;
    /** Whether the exception was delivered to the owner. */
    private volatile boolean delivered;
    /** Whether the owner's close withdrew an undelivered exception. */
    private volatile boolean withdrawn;

    private Timeout(Duration duration, Throwable exception) {
        super(duration == null ? "never times out" : "timed out after " + describe(duration));
        this.duration = duration;
        this.exception = exception == null ? this : exception;
    }

    /**
     * Starts a timeout that raises itself in the calling thread after {@code duration}.
     *
     * @param duration how long; not negative (zero fires at the next loop turn)
     * @return the running timeout; close it when the guarded block ends
     * @throws IllegalArgumentException if the duration is negative
     */
    public static Timeout start(Duration duration) {
        return start(duration, null);
    }

    /**
     * Starts a timeout that raises {@code exception} (instead of itself) in the calling thread
     * after {@code duration} (eventlet's {@code Timeout(seconds, exception)}).
     *
     * @param duration how long; not negative
     * @param exception what to raise (thrown unchanged, even if checked); null raises the timeout
     * @return the running timeout
     * @throws IllegalArgumentException if the duration is negative
     */
    public static Timeout start(Duration duration, Throwable exception) {
        return unstarted(duration, exception).start();
    }

    /**
     * A timeout of {@code duration} that is not running yet: {@link #start()} starts it, in the
     * thread it is to interrupt. (eventlet's {@code Timeout(seconds)} starts at once; this is
     * its {@code Timeout} whose {@code start()} is called later.)
     * <pre>{@code
     * Timeout t = Timeout.unstarted(Duration.ofSeconds(5));
     * ...
     * try (t.start()) { ... }
     * }</pre>
     *
     * @param duration how long after its start it fires; not negative
     * @return the timeout, not pending
     * @throws IllegalArgumentException if the duration is negative
     */
    public static Timeout unstarted(Duration duration) {
        return unstarted(duration, null);
    }

    /**
     * As {@link #unstarted(Duration)}, raising {@code exception} instead of itself.
     *
     * @param duration how long after its start it fires; not negative
     * @param exception what to raise (thrown unchanged, even if checked); null raises the timeout
     * @return the timeout, not pending
     * @throws IllegalArgumentException if the duration is negative
     */
    public static Timeout unstarted(Duration duration, Throwable exception) {
        Scheduler.delayNanos(duration, "duration");
        return new Timeout(duration, exception);
    }

    /**
     * A timeout without limit (eventlet's {@code Timeout(None)}): it never fires;
     * {@link #start()}, {@link #cancel()} and {@link #close()} do nothing, and it is never
     * pending. For code that takes an optional limit: {@code d == null ? Timeout.never() :
     * Timeout.start(d)}. Raising it yourself ({@code throw t}) is still possible, as in eventlet.
     *
     * @return a new timeout that never fires
     */
    public static Timeout never() {
        return new Timeout(null, null);
    }

    /**
     * Starts this timeout in the calling thread (green or platform), which it will interrupt
     * once its duration has passed (eventlet's {@code Timeout.start()}). A timeout that was
     * cancelled, closed or has expired may be started again (its duration counts from the new
     * start); a timeout that {@link #never() never} fires ignores this.
     *
     * @return this timeout, for {@code try (Timeout t = Timeout.unstarted(d).start())}
     * @throws IllegalStateException if it is already pending (cancel it first, as eventlet
     *     asserts), or the caller's scheduler is closed
     */
    public Timeout start() {
        if (duration == null) {
            return this;
        }
        if (state == PENDING) {
            throw new IllegalStateException(this + " is already started; cancel or close it before starting it again");
        }
        Fiber me = Fiber.current();
        me.scheduler.checkOpen();
        Fiber previous = owner;
        if (previous != null && previous.thread == Thread.currentThread()) {
            close(); // an expiry of the previous start that was not thrown yet is withdrawn
        }
        long nanos = Scheduler.delayNanos(duration, "duration");
        owner = me;
        delivered = false;
        withdrawn = false;
        int gen = ++generation;
        state = PENDING;
        timer = me.scheduler.scheduleAt(Scheduler.deadlineAfter(nanos), new Expiry(gen));
        return this;
    }

    /** The timer callback, on the owner's carrier; it does nothing for an earlier start. */
    private final class Expiry implements Runnable {
        private final int gen;

        Expiry(int gen) {
            this.gen = gen;
        }

        @Override
        public void run() {
            if (gen == generation) {
                expire();
            }
        }

        @Override
        public String toString() {
            return "expire " + Timeout.this;
        }
    }

    private void expire() {
        if (state == CANCELLED) {
            return;
        }
        state = EXPIRED;
        if (owner.green && owner.greenlet.isDead()) {
            return;
        }
        if (owner.kill(exception)) {
            delivered = true;
        } else {
            // another kill (a timeout that fired in the same turn) goes first; try again after it
            timer = owner.scheduler.scheduleAt(Scheduler.deadlineAfter(RETRY_NANOS), new Expiry(generation));
        }
    }

    /**
     * Whether the timeout is still running: started, not expired, not cancelled (eventlet's
     * {@code pending}).
     *
     * @return true while it may still fire
     */
    public boolean isPending() {
        return state == PENDING;
    }

    /**
     * Whether the timeout expired (its exception was raised in, or sent to, the owner).
     *
     * @return true once expired
     */
    public boolean isExpired() {
        return state == EXPIRED;
    }

    /**
     * How long after its start it fires; empty for a timeout that {@link #never()} fires.
     *
     * @return the duration, if any
     */
    public Optional<Duration> duration() {
        return Optional.ofNullable(duration);
    }

    /**
     * What it raises: this timeout, or the exception given to {@link #start(Duration, Throwable)}.
     *
     * @return the exception
     */
    public Throwable exception() {
        return exception;
    }

    /**
     * Whether {@code error} is a greenhub timeout (eventlet's {@code is_timeout}): a
     * {@link Timeout} that fired, or an {@link IoTimeoutException} from a green I/O wait (a
     * socket, pipe or datagram timeout, or {@link GreenIo#trampoline}'s). Only the exception
     * itself is looked at, not its causes. A timeout started with an exception of its own
     * ({@link #start(Duration, Throwable)}) raises that exception, which is not one (as in
     * eventlet); neither is {@link java.util.concurrent.TimeoutException}, which
     * {@link GreenThread#get(Duration)} and {@link Event#await(Duration)} throw and callers
     * catch by type.
     *
     * @param error an exception that was caught; may be null
     * @return true for a Timeout or an IoTimeoutException
     */
    public static boolean isTimeout(Throwable error) {
        return error instanceof Timeout || error instanceof IoTimeoutException;
    }

    /**
     * Whether {@code error} is what this timeout raises.
     *
     * @param error an exception that was caught
     * @return true if it is this timeout's exception
     */
    public boolean isCause(Throwable error) {
        return error != null && error == exception;
    }

    /**
     * Stops the timeout if it has not expired yet.
     *
     * @return true if this call stopped it before it expired
     * @throws WrongThreadException if the caller is not a thread of the owner's scheduler
     */
    public boolean cancel() {
        Fiber o = owner;
        if (o == null) {
            return false; // never started, or never fires
        }
        o.scheduler.checkOnCarrier("Timeout.cancel");
        Timer t = timer;
        if (state == PENDING) {
            state = CANCELLED;
            if (t != null) {
                t.cancel();
            }
            return true;
        }
        if (t != null) {
            t.cancel(); // a pending retry
        }
        return false;
    }

    /**
     * Ends the guarded block: cancels the timeout, and if it expired but its exception was not
     * thrown yet, withdraws it (with its interrupt) when called by the owner. Never throws.
     */
    @Override
    public void close() {
        if (owner == null) {
            return;
        }
        if (owner.scheduler.isClosed()) {
            if (state == PENDING) {
                state = CANCELLED;
            }
            return;
        }
        cancel();
        if (delivered && Thread.currentThread() == owner.thread && owner.withdrawKill(exception)) {
            withdrawn = true;
            if (owner.green) {
                Thread.interrupted(); // the expiry's interrupt, not consumed by anything
            }
        }
    }

    /** Whether close() withdrew an expiry that was never thrown. */
    boolean wasWithdrawn() {
        return withdrawn;
    }

    @Override
    public String toString() {
        String s = "Timeout[" + (duration == null ? "never" : describe(duration))
                + switch (state) {
                    case PENDING -> ", pending";
                    case EXPIRED -> ", expired";
                    case CANCELLED -> ", cancelled";
                    default -> ", not started";
                };
        if (exception != this) {
            s += ", raises " + exception;
        }
        return s + "]";
    }

    private static String describe(Duration d) {
        Objects.requireNonNull(d, "duration");
        if (d.getNano() % 1_000_000 == 0 && d.getSeconds() < 1_000_000_000L) {
            return d.toMillis() + " ms";
        }
        return d.toString();
    }
}
