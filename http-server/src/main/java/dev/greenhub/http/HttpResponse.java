package dev.greenhub.http;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;

/**
 * The response to one request: set {@link #headers()}, then start it with {@link #send(int, long)}
 * and write the body to the stream it returns. Belongs to its connection's green thread.
 *
 * <p>The server writes {@code Date}, {@code Content-Length} or {@code Transfer-Encoding} and
 * {@code Connection} itself (from the length given to {@code send} and the connection's fate);
 * such fields set by the handler are replaced. A handler's {@code Connection: close} is kept and
 * closes the connection after the response.
 */
public final class HttpResponse {
    /** The length to pass to {@link #send(int, long)} when it is not known: the body is sent
     *  chunked (to an HTTP/1.0 client: until the connection closes). */
    public static final long UNKNOWN_LENGTH = -1;

    private final HttpHeaders headers = new HttpHeaders();
    private final ResponseWriter writer;
    private ResponseBody body;
    private int status = -1;

    HttpResponse(ResponseWriter writer) {
        this.writer = writer;
    }

    /**
     * The header fields to send; change them before {@link #send}.
     *
     * @return the headers
     */
    public HttpHeaders headers() {
        return headers;
    }

    /**
     * Sends the status line and headers and returns the body stream.
     *
     * <ul>
     *   <li>{@code length >= 0}: a body of exactly that many bytes ({@code Content-Length}); writing
     *       more throws; closing the stream with fewer closes the connection after it.</li>
     *   <li>{@link #UNKNOWN_LENGTH}: a chunked body (each write is a chunk), ended by closing the
     *       stream.</li>
     * </ul>
     * For a HEAD request, or a status without a body (1xx, 204, 304), the head says what a GET would
     * have got and the stream sends nothing. Closing the stream does not close the connection; the
     * server closes it after the handler if the handler did not.
     *
     * @param status the status code, 200 to 599 (or 101 to 199 only with length 0)
     * @param length the body length in bytes, or {@link #UNKNOWN_LENGTH}
     * @return the body stream; bytes are buffered a little, so call {@code flush()} to push a
     *     partial body out (for streaming)
     * @throws IllegalStateException if the response was already started
     * @throws IllegalArgumentException if the status is not within 100-599 or the length is below -1
     * @throws IOException if writing the head fails
     */
    public OutputStream send(int status, long length) throws IOException {
        if (body != null) {
            throw new IllegalStateException("the response was already started with status " + this.status);
        }
        if (status < 100 || status > 599) {
            throw new IllegalArgumentException("status must be within 100 and 599, not " + status);
        }
        if (length < -1) {
            throw new IllegalArgumentException("length must be at least 0, or UNKNOWN_LENGTH (-1), not " + length);
        }
        this.status = status;
        body = writer.start(status, length, headers);
        return body;
    }

    /**
     * Sends a whole response with a text body (UTF-8, {@code text/plain} unless a
     * {@code Content-Type} is set); the body stream is closed.
     *
     * @param status the status code
     * @param text the body
     * @throws IOException if writing fails
     * @throws IllegalStateException if the response was already started
     */
    public void sendText(int status, String text) throws IOException {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        if (headers.first("Content-Type") == null) {
            headers.set("Content-Type", "text/plain; charset=utf-8");
        }
        try (OutputStream out = send(status, bytes.length)) {
            out.write(bytes);
        }
    }

    /**
     * Whether {@link #send} was called.
     *
     * @return true once the response has started
     */
    public boolean isStarted() {
        return body != null;
    }

    /**
     * The status sent.
     *
     * @return the status, or -1 before {@link #send}
     */
    public int status() {
        return status;
    }

    ResponseBody body() {
        return body;
    }
}
