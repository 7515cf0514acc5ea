package dev.greenhub;

import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.Callable;

/**
 * eventlet's {@code greenthread} functions for the calling thread's {@link Scheduler} (created on
 * a platform thread's first use with the hub {@link dev.greenhub.hub.Hubs#select()} picks).
 *
 * <p>Green threads spawned here start at a later turn of the loop; a platform thread's loop
 * only runs while that thread waits for something green ({@link GreenThread#get()},
 * {@link #sleep(Duration)}, a greenlet switch), as eventlet's hub only runs when the main
 * greenlet switches to it.
 */
public final class Green {
    private Green() {
    }

    /**
     * Spawns a green thread running {@code task}; it starts at the next turn of the loop. (There
     * is deliberately no {@code Runnable} overload, which would make lambdas and method
     * references ambiguous: return {@code null} from a task without a result, or use
     * {@link #spawnN}.)
     *
     * @param task the work
     * @param <T> its result type
     * @return the green thread
     */
    public static <T> GreenThread<T> spawn(Callable<T> task) {
        return Scheduler.current().spawn(task);
    }

    /**
     * Spawns a green thread without a result to wait for (eventlet's {@code spawn_n}); an
     * exception that ends it is reported.
     *
     * @param task the work
     * @return its greenlet
     */
    public static Greenlet spawnN(Runnable task) {
        return Scheduler.current().spawnN(task);
    }

    /**
     * Spawns a green thread that starts after {@code delay}.
     *
     * @param delay how long to wait before starting; not negative
     * @param task the work
     * @param <T> its result type
     * @return the green thread; {@link GreenThread#cancel()} stops it before it starts
     * @throws IllegalArgumentException if the delay is negative
     */
    public static <T> GreenThread<T> spawnAfter(Duration delay, Callable<T> task) {
        return Scheduler.current().spawnAfter(delay, task);
    }

    /**
     * Spawns a green thread that starts after {@code delay}, unless the calling green thread has
     * ended by then (eventlet's {@code spawn_after_local}).
     *
     * <p>When the caller ends before the delay has passed, however it ends (its task returned or
     * threw, it was killed, or its scheduler closed), the spawned green thread is cancelled
     * then, at the caller's end: it never runs, and {@link GreenThread#get()} throws a
     * {@link GreenThreadException} whose cause is a {@link GreenletExit} saying so. Once it has
     * started it runs on independently; the caller's end does not kill it. Called from a
     * platform thread, whose main greenlet never ends, it is {@link #spawnAfter}.
     *
     * <p>Differs from eventlet, where such a green thread is silently never run, so that waiting
     * for it blocks forever: here it ends, cancelled, and its waiters and links learn it.
     *
     * @param delay how long to wait before starting; not negative
     * @param task the work
     * @param <T> its result type
     * @return the green thread; {@link GreenThread#cancel()} stops it before it starts
     * @throws IllegalArgumentException if the delay is negative
     */
    public static <T> GreenThread<T> spawnAfterLocal(Duration delay, Callable<T> task) {
        return LocalBindings.spawnAfter(delay, task);
    }

    /**
     * Schedules {@code callback} to run on the carrier, in the loop, after {@code delay}, unless
     * the calling green thread has ended by then (eventlet's {@code hub.schedule_call_local});
     * {@link Scheduler#callLater} is the unbound variant.
     *
     * <p>When the caller ends first, however it ends (returned, threw, was killed, or its
     * scheduler closed), the timer is cancelled at that moment ({@link Timer#isCancelled()}
     * becomes true) and the callback never runs. Called from a platform thread, whose main
     * greenlet never ends, it is {@link Scheduler#callLater}. The callback runs as a timer's
     * does: on the carrier, it must not block; its exception is reported.
     *
     * @param delay how long from now; not negative (zero: the next turn of the loop)
     * @param callback what to run; it must not block
     * @return the timer, to cancel it
     * @throws IllegalArgumentException if the delay is negative
     */
    public static Timer callLaterLocal(Duration delay, Runnable callback) {
        Objects.requireNonNull(callback, "callback");
        return LocalBindings.callLater(delay, callback);
    }

    /**
     * Suspends the caller for at least {@code duration} while other green threads run (a
     * platform thread runs its loop meanwhile). Never returns early. Zero is the cooperative
     * yield: the other ready green threads and the I/O that is ready run, then the caller goes on.
     * A kill is thrown from here.
     *
     * @param duration how long; not negative
     * @throws IllegalArgumentException if the duration is negative
     */
    public static void sleep(Duration duration) {
        long nanos = Scheduler.delayNanos(duration, "duration");
        Fiber.current().sleepNanos(nanos);
    }

    /**
     * {@link #sleep(Duration)} in seconds, as eventlet's {@code sleep(seconds)}.
     *
     * @param seconds how long; finite and not negative
     * @throws IllegalArgumentException if it is negative, NaN or infinite
     */
    public static void sleep(double seconds) {
        if (Double.isNaN(seconds) || Double.isInfinite(seconds) || seconds < 0) {
            throw new IllegalArgumentException("seconds must be finite and not negative: " + seconds);
        }
        double nanos = Math.ceil(seconds * 1e9);
        sleep(Duration.ofNanos(nanos >= Scheduler.MAX_DELAY_NANOS ? Scheduler.MAX_DELAY_NANOS : (long) nanos));
    }

    /**
     * The cooperative yield: {@code sleep(Duration.ZERO)}.
     */
    public static void sleep() {
        sleep(Duration.ZERO);
    }

    /**
     * The current greenlet: the calling green thread (a {@link GreenThread} when spawned with
     * {@link #spawn}), or the calling platform thread's main greenlet.
     *
     * @return the current greenlet
     */
    public static Greenlet current() {
        return Greenlet.current();
    }

    /**
     * Whether the caller is a green thread.
     *
     * @return true in a green thread, false in a platform thread
     */
    public static boolean inGreenThread() {
        return Thread.currentThread().isVirtual() && Scheduler.GREEN.get() != null;
    }

    /**
     * Calls {@code task} in the calling thread under a {@link Timeout} of {@code timeout}
     * (eventlet's {@code with_timeout}). If the timeout expires first, the task is interrupted
     * where it waits and this method throws that {@link Timeout}; a JDK call that the expiry
     * interrupted (so the task ended with, for example, an {@link InterruptedException}) is
     * reported as the Timeout too, with the task's exception {@linkplain Throwable#getSuppressed()
     * suppressed}. An outer timeout that expires meanwhile goes through unchanged.
     *
     * @param timeout how long at most; not negative
     * @param task the work
     * @param <T> its result type
     * @return the task's value
     * @throws Timeout if this timeout expired first
     * @throws Exception whatever the task throws
     * @throws IllegalArgumentException if the timeout is negative
     */
    public static <T> T withTimeout(Duration timeout, Callable<T> task) throws Exception {
        Objects.requireNonNull(task, "task");
        return callUnder(Timeout.start(timeout), task);
    }

    /**
     * As {@link #withTimeout(Duration, Callable)}, but silent: if this timeout expires first, the
     * task is abandoned where it waits and {@code timeoutValue} is returned (eventlet's
     * {@code with_timeout(..., timeout_value=...)} and {@code Timeout(seconds, False)}).
     *
     * @param timeout how long at most; not negative
     * @param task the work
     * @param timeoutValue what to return when the timeout expires first
     * @param <T> the result type
     * @return the task's value, or {@code timeoutValue}
     * @throws Exception whatever the task throws (an outer timeout included)
     * @throws IllegalArgumentException if the timeout is negative
     */
    public static <T> T withTimeout(Duration timeout, Callable<T> task, T timeoutValue) throws Exception {
        Objects.requireNonNull(task, "task");
        Timeout t = Timeout.start(timeout);
        try {
            return callUnder(t, task);
        } catch (Timeout e) {
            if (e == t) {
                return timeoutValue;
            }
            throw e;
        }
    }

    private static <T> T callUnder(Timeout t, Callable<T> task) throws Exception {
        T value;
        try {
            value = task.call();
        } catch (Throwable e) {
            t.close();
            if (e != t && t.wasWithdrawn()) {
                t.addSuppressed(e);
                throw t;
            }
            throw e;
        }
        t.close();
        return value;
    }
}
