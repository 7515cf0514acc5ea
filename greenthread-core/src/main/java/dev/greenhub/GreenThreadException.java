package dev.greenhub;

/**
 * What {@link GreenThread#get()} throws when the green thread ended with an exception (including
 * a {@link GreenletExit} from {@link GreenThread#kill()}): the exception it ended with is the
 * {@linkplain #getCause() cause}, unchanged, with its own stack trace.
 */
public final class GreenThreadException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    GreenThreadException(String message, Throwable cause) {
        super(message, cause);
    }
}
