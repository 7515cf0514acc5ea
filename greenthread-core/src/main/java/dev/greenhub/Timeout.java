package dev.greenhub;

import java.time.Duration;
import java.util.Objects;

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
 *   <li>Silent mode (eventlet's {@code Timeout(s, False)}): use
 *       {@link Green#withTimeout(Duration, java.util.concurrent.Callable, Object)}, which returns
 *       a value instead of raising.</li>
 * </ul>
 * A Timeout extends {@link RuntimeException} (as {@link GreenletExit} does); its stack trace is
 * the one of {@link #start}, which names the timeout that fired.
 *
 * <h2>Threading</h2>
 * {@link #start} binds the timeout to the calling thread (green or platform). {@link #cancel()}
 * and {@link #close()} must be called from a thread of the owner's scheduler (normally the owner
 * itself); only the owner's close withdraws an undelivered exception.
 */
public final class Timeout extends RuntimeException implements AutoCloseable {
    private static final long serialVersionUID = 1L;
    private static final long RETRY_NANOS = 1_000_000L;

    private static final int PENDING = 0;
    private static final int CANCELLED = 1;
    private static final int EXPIRED = 2;

    private final transient Fiber owner;
    /** How long after its start the timeout fires. */
    private final Duration duration;
    private final transient Throwable exception;
    private transient Timer timer;
    /** PENDING, CANCELLED or EXPIRED. */
    private volatile int state;
    /** Whether the exception was delivered to the owner. */
    private volatile boolean delivered;
    /** Whether the owner's close withdrew an undelivered exception. */
    private volatile boolean withdrawn;

    private Timeout(Fiber owner, Duration duration, Throwable exception) {
        super("timed out after " + describe(duration));
        this.owner = owner;
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
        long nanos = Scheduler.delayNanos(duration, "duration");
        Fiber me = Fiber.current();
        me.scheduler.checkOpen();
        Timeout t = new Timeout(me, duration, exception);
        t.timer = me.scheduler.scheduleAt(Scheduler.deadlineAfter(nanos), t::expire);
        return t;
    }

    /** Timer callback, on the owner's carrier. */
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
            timer = owner.scheduler.scheduleAt(Scheduler.deadlineAfter(RETRY_NANOS), this::expire);
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
     * The duration it was started with.
     *
     * @return the duration
     */
    public Duration duration() {
        return duration;
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
        owner.scheduler.checkOnCarrier("Timeout.cancel");
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
        String s = "Timeout[" + describe(duration)
                + (state == PENDING ? ", pending" : state == EXPIRED ? ", expired" : ", cancelled");
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
