package dev.greenhub;

/**
 * What {@link Event#await()} throws when the event was sent an exception with
 * {@link Event#sendException(Throwable)}: that exception is the {@linkplain #getCause() cause},
 * unchanged; this one carries the waiter's stack trace.
 */
public final class EventException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    EventException(String message, Throwable cause) {
        super(message, cause);
    }
}
