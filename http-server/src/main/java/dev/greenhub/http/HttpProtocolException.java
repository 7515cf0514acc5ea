package dev.greenhub.http;

import java.io.IOException;

/**
 * A request broke HTTP/1.1 or one of the server's {@link HttpLimits}: the status the server answers
 * with (400, 408, 413, 414, 431, 501, 505, ...) and why. Thrown by the request body streams to a
 * handler too (a malformed chunk, a body over the limit); the server then answers with this status
 * if the handler had not started a response, and closes the connection.
 */
public final class HttpProtocolException extends IOException {
    /** The serialization version. */
    private static final long serialVersionUID = 1L;
    /** The status the server answers with. */
    private final int status;

    /**
     * Creates the exception.
     *
     * @param status the HTTP status the server answers with
     * @param message what was wrong, for the log and the response body
     */
    public HttpProtocolException(int status, String message) {
        super(message);
        this.status = status;
    }

    /**
     * The status the server answers with.
     *
     * @return a 4xx or 5xx status
     */
    public int status() {
        return status;
    }
}
