package dev.greenhub.http;

import java.time.Duration;
import java.util.Objects;

/**
 * The limits and timeouts the server enforces on every connection, and the status a request that
 * breaks one gets (the connection is then closed; other connections are not affected).
 *
 * @param maxRequestLineBytes longest request line; longer gets 414 (also the longest header
 *     line, which gets 431)
 * @param maxHeaderBytes largest header section (all field lines); larger gets 431
 * @param maxHeaderCount most header fields; more gets 431
 * @param maxBodyBytes largest request body; larger gets 413 (a declared Content-Length before
 *     the body is read, a chunked body when it gets there)
 * @param maxConnections most connections served at once over all hubs; further ones get 503 and
 *     are closed
 * @param idleTimeout how long a keep-alive connection may wait for its next request; then it is
 *     closed without a response
 * @param headerTimeout how long a request head (request line and headers) may take to arrive once
 *     its first byte has: a slowloris client gets 408 and is closed
 * @param bodyReadTimeout the longest wait for any byte of a request body; then the handler's
 *     read throws, and the client gets 408 if no response was started
 * @param writeTimeout the longest wait for the client to take any byte of the response; then the
 *     connection is closed
 */
public record HttpLimits(int maxRequestLineBytes, int maxHeaderBytes, int maxHeaderCount, long maxBodyBytes,
                         int maxConnections, Duration idleTimeout, Duration headerTimeout,
                         Duration bodyReadTimeout, Duration writeTimeout) {

    /** The defaults: 8 KiB request line, 32 KiB and 100 header fields, 1 GiB body, 10,000
     *  connections, 60 s idle, 20 s for a head, 30 s for each body read and each write. */
    public static final HttpLimits DEFAULTS = new HttpLimits(8192, 32 * 1024, 100, 1L << 30, 10_000,
            Duration.ofSeconds(60), Duration.ofSeconds(20), Duration.ofSeconds(30), Duration.ofSeconds(30));

    /**
     * Checks the values.
     *
     * @throws IllegalArgumentException naming a value out of range
     */
    public HttpLimits {
        if (maxRequestLineBytes < 64 || maxRequestLineBytes > 1 << 20) {
            throw new IllegalArgumentException("maxRequestLineBytes must be within 64 and 1 MiB, not " + maxRequestLineBytes);
        }
        if (maxHeaderBytes < 64) {
            throw new IllegalArgumentException("maxHeaderBytes must be at least 64, not " + maxHeaderBytes);
        }
        if (maxHeaderCount < 1) {
            throw new IllegalArgumentException("maxHeaderCount must be at least 1, not " + maxHeaderCount);
        }
        if (maxBodyBytes < 0) {
            throw new IllegalArgumentException("maxBodyBytes must not be negative: " + maxBodyBytes);
        }
        if (maxConnections < 1) {
            throw new IllegalArgumentException("maxConnections must be at least 1, not " + maxConnections);
        }
        positive(idleTimeout, "idleTimeout");
        positive(headerTimeout, "headerTimeout");
        positive(bodyReadTimeout, "bodyReadTimeout");
        positive(writeTimeout, "writeTimeout");
    }

    private static void positive(Duration d, String name) {
        Objects.requireNonNull(d, name);
        if (d.isNegative() || d.isZero()) {
            throw new IllegalArgumentException(name + " must be positive (the server has no unlimited waits), not " + d);
        }
    }

    /**
     * A copy with another request line limit.
     *
     * @param bytes the new limit
     * @return the copy
     */
    public HttpLimits withMaxRequestLineBytes(int bytes) {
        return new HttpLimits(bytes, maxHeaderBytes, maxHeaderCount, maxBodyBytes, maxConnections, idleTimeout,
                headerTimeout, bodyReadTimeout, writeTimeout);
    }

    /**
     * A copy with another header section limit.
     *
     * @param bytes the new limit
     * @return the copy
     */
    public HttpLimits withMaxHeaderBytes(int bytes) {
        return new HttpLimits(maxRequestLineBytes, bytes, maxHeaderCount, maxBodyBytes, maxConnections, idleTimeout,
                headerTimeout, bodyReadTimeout, writeTimeout);
    }

    /**
     * A copy with another header count limit.
     *
     * @param count the new limit
     * @return the copy
     */
    public HttpLimits withMaxHeaderCount(int count) {
        return new HttpLimits(maxRequestLineBytes, maxHeaderBytes, count, maxBodyBytes, maxConnections, idleTimeout,
                headerTimeout, bodyReadTimeout, writeTimeout);
    }

    /**
     * A copy with another body limit.
     *
     * @param bytes the new limit
     * @return the copy
     */
    public HttpLimits withMaxBodyBytes(long bytes) {
        return new HttpLimits(maxRequestLineBytes, maxHeaderBytes, maxHeaderCount, bytes, maxConnections, idleTimeout,
                headerTimeout, bodyReadTimeout, writeTimeout);
    }

    /**
     * A copy with another connection cap.
     *
     * @param count the new cap
     * @return the copy
     */
    public HttpLimits withMaxConnections(int count) {
        return new HttpLimits(maxRequestLineBytes, maxHeaderBytes, maxHeaderCount, maxBodyBytes, count, idleTimeout,
                headerTimeout, bodyReadTimeout, writeTimeout);
    }

    /**
     * A copy with another idle timeout.
     *
     * @param timeout the new timeout
     * @return the copy
     */
    public HttpLimits withIdleTimeout(Duration timeout) {
        return new HttpLimits(maxRequestLineBytes, maxHeaderBytes, maxHeaderCount, maxBodyBytes, maxConnections, timeout,
                headerTimeout, bodyReadTimeout, writeTimeout);
    }

    /**
     * A copy with another head timeout.
     *
     * @param timeout the new timeout
     * @return the copy
     */
    public HttpLimits withHeaderTimeout(Duration timeout) {
        return new HttpLimits(maxRequestLineBytes, maxHeaderBytes, maxHeaderCount, maxBodyBytes, maxConnections,
                idleTimeout, timeout, bodyReadTimeout, writeTimeout);
    }

    /**
     * A copy with another body read timeout.
     *
     * @param timeout the new timeout
     * @return the copy
     */
    public HttpLimits withBodyReadTimeout(Duration timeout) {
        return new HttpLimits(maxRequestLineBytes, maxHeaderBytes, maxHeaderCount, maxBodyBytes, maxConnections,
                idleTimeout, headerTimeout, timeout, writeTimeout);
    }

    /**
     * A copy with another write timeout.
     *
     * @param timeout the new timeout
     * @return the copy
     */
    public HttpLimits withWriteTimeout(Duration timeout) {
        return new HttpLimits(maxRequestLineBytes, maxHeaderBytes, maxHeaderCount, maxBodyBytes, maxConnections,
                idleTimeout, headerTimeout, bodyReadTimeout, timeout);
    }
}
