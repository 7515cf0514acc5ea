package dev.greenhub;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.TimeoutException;

/**
 * A one-shot result that any number of threads can wait for (eventlet's {@code Event}).
 *
 * <p>{@link #send(Object)} (or {@link #sendException(Throwable)}) sets the result once and wakes
 * every waiter; later {@link #await()} calls return at once. Sending again is an error until
 * {@link #reset()}. A waiter that was woken by a send gets that send's result even if the event is
 * reset before it resumes.
 *
 * <h2>Waiting and timeouts</h2>
 * {@link #await()} waits without limit; {@link #await(Duration)} throws
 * {@link TimeoutException} when the time passes first (as {@link GreenThread#get(Duration)});
 * {@link #await(Duration, Object)} returns the given value instead, as eventlet's
 * {@code wait(timeout)} returns None. A kill (such as a {@link Timeout}) is thrown from a waiting
 * call, which then no longer waits.
 *
 * <h2>Threading</h2>
 * Thread-safe. Waiters may be green threads of any scheduler or platform threads (a platform
 * thread runs its own scheduler's loop while it waits); {@link #send} may be called from any
 * thread, including one that is not greenhub's.
 *
 * @param <T> the result type
 */
public final class Event<T> {
    private final Object lock = new Object();
    private boolean sent;
    private T value;
    private Throwable error;
    private final List<Wait> waiters = new ArrayList<>();

    /** An event that has not been sent. */
    public Event() {
    }

    /**
     * Sets the result to {@code value} and wakes every waiter.
     *
     * @param value the result; may be null
     * @throws IllegalStateException if the event was already sent and not reset
     */
    public void send(T value) {
        complete(value, null);
    }

    /**
     * Sets the result to an exception and wakes every waiter: their {@link #await()} throws an
     * {@link EventException} whose cause is {@code exception}.
     *
     * @param exception the failure to deliver
     * @throws IllegalStateException if the event was already sent and not reset
     */
    public void sendException(Throwable exception) {
        complete(null, Objects.requireNonNull(exception, "exception"));
    }

    private void complete(T v, Throwable e) {
        List<Wait> toWake;
        synchronized (lock) {
            if (sent) {
                throw new IllegalStateException("event already sent (" + describe() + "); reset() it before sending again");
            }
            sent = true;
            value = v;
            error = e;
            toWake = List.copyOf(waiters);
            waiters.clear();
            for (Wait w : toWake) {
                w.woken = true;
                w.value = v;
                w.error = e;
            }
        }
        for (Wait w : toWake) {
            w.complete();
        }
    }

    /**
     * Whether a result has been sent (and not reset since).
     *
     * @return true once sent
     */
    public boolean isReady() {
        synchronized (lock) {
            return sent;
        }
    }

    /**
     * Forgets the result, so that the event can be sent again. Waiters already woken keep the
     * result they were woken with.
     *
     * @throws IllegalStateException if the event has not been sent (as eventlet asserts)
     */
    public void reset() {
        synchronized (lock) {
            if (!sent) {
                throw new IllegalStateException("reset() of an event that has not been sent");
            }
            sent = false;
            value = null;
            error = null;
        }
    }

    /**
     * Waits for the result.
     *
     * @return the value sent
     * @throws EventException if an exception was sent (it is the cause)
     */
    public T await() {
        Wait w = await(false, 0);
        return result(w.value, w.error);
    }

    /**
     * Waits at most {@code timeout} for the result.
     *
     * @param timeout how long at most; not negative (zero: only if already sent, after one yield)
     * @return the value sent
     * @throws TimeoutException if nothing was sent in time
     * @throws EventException if an exception was sent
     * @throws IllegalArgumentException if the timeout is negative
     */
    public T await(Duration timeout) throws TimeoutException {
        long nanos = Scheduler.delayNanos(timeout, "timeout");
        Wait w = await(true, Scheduler.deadlineAfter(nanos));
        if (w == null) {
            throw new TimeoutException("event not sent within " + timeout);
        }
        return result(w.value, w.error);
    }

    /**
     * Waits at most {@code timeout} for the result, returning {@code timeoutValue} if nothing is
     * sent in time (eventlet's {@code wait(timeout)}).
     *
     * @param timeout how long at most; not negative
     * @param timeoutValue what to return on timeout
     * @return the value sent, or {@code timeoutValue}
     * @throws EventException if an exception was sent
     * @throws IllegalArgumentException if the timeout is negative
     */
    public T await(Duration timeout, T timeoutValue) {
        long nanos = Scheduler.delayNanos(timeout, "timeout");
        Wait w = await(true, Scheduler.deadlineAfter(nanos));
        return w == null ? timeoutValue : result(w.value, w.error);
    }

    /**
     * How many threads are waiting.
     *
     * @return the number of waiters
     */
    public int waiting() {
        synchronized (lock) {
            return waiters.size();
        }
    }

    /** Returns the completed waiter, or null on timeout. */
    private Wait await(boolean timed, long deadline) {
        Wait w = new Wait();
        synchronized (lock) {
            if (sent) {
                w.woken = true;
                w.value = value;
                w.error = error;
                return w;
            }
            waiters.add(w);
        }
        boolean done = false;
        try {
            if (w.await(timed ? deadline : Long.MAX_VALUE)) {
                done = true;
                return w;
            }
            synchronized (lock) {
                done = w.woken; // sent just as the deadline passed
                return done ? w : null;
            }
        } finally {
            if (!done) {
                synchronized (lock) {
                    waiters.remove(w);
                }
            }
        }
    }

    private T result(T v, Throwable e) {
        if (e != null) {
            throw new EventException("event was sent an exception: " + e, e);
        }
        return v;
    }

    private String describe() {
        return error != null ? "exception " + error : "value " + value;
    }

    @Override
    public String toString() {
        synchronized (lock) {
            return "Event[" + (sent ? describe() : "not sent") + ", " + waiters.size() + " waiting]";
        }
    }

    /** One waiting thread; {@code woken} and the result are set under the lock before it completes. */
    private final class Wait extends Waiter {
        boolean woken;
        T value;
        Throwable error;
    }
}
