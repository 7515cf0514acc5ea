package dev.greenhub.http;

import java.io.InputStream;
import java.net.InetSocketAddress;

/**
 * A request as the handler sees it: the request line, the header fields and the body stream.
 * Belongs to its connection's green thread; valid until the handler returns.
 */
public final class HttpRequest {
    private final RequestHead head;
    private final RequestBody body;
    private final InetSocketAddress remote;
    private final InetSocketAddress local;

    HttpRequest(RequestHead head, RequestBody body, InetSocketAddress remote, InetSocketAddress local) {
        this.head = head;
        this.body = body;
        this.remote = remote;
        this.local = local;
    }

    /**
     * The method, as sent ({@code GET}, {@code POST}, ...).
     *
     * @return the method token
     */
    public String method() {
        return head.method();
    }

    /**
     * The request target as sent: usually a path with an optional query ({@code /a/b?x=1}).
     *
     * @return the target
     */
    public String target() {
        return head.target();
    }

    /**
     * The target's path: the part before any {@code ?}, not decoded.
     *
     * @return the path
     */
    public String path() {
        String t = head.target();
        int q = t.indexOf('?');
        return q < 0 ? t : t.substring(0, q);
    }

    /**
     * The target's query: the part after the first {@code ?}, not decoded.
     *
     * @return the query, or null if there is none
     */
    public String query() {
        String t = head.target();
        int q = t.indexOf('?');
        return q < 0 ? null : t.substring(q + 1);
    }

    /**
     * The protocol version of the request.
     *
     * @return {@code HTTP/1.1} or {@code HTTP/1.0}
     */
    public String version() {
        return head.version();
    }

    /**
     * The header fields (modifying them has no effect on the connection).
     *
     * @return the headers
     */
    public HttpHeaders headers() {
        return head.headers();
    }

    /**
     * The body's declared length.
     *
     * @return the Content-Length, 0 for no body, or -1 for a chunked body of unknown length
     */
    public long contentLength() {
        return head.contentLength();
    }

    /**
     * The body, streamed from the connection (constant memory, whatever its size). The first read
     * sends {@code 100 Continue} if the client asked for it. A malformed chunk or a body over
     * {@link HttpLimits#maxBodyBytes()} throws {@link HttpProtocolException}; a stalled client, a
     * {@link java.net.SocketTimeoutException} after {@link HttpLimits#bodyReadTimeout()}. Closing it
     * does not close the connection.
     *
     * @return the body stream, the same every call; empty if there is no body
     */
    public InputStream body() {
        return body;
    }

    /**
     * The client's address.
     *
     * @return the remote address
     */
    public InetSocketAddress remoteAddress() {
        return remote;
    }

    /**
     * The server's address of this connection.
     *
     * @return the local address
     */
    public InetSocketAddress localAddress() {
        return local;
    }

    @Override
    public String toString() {
        return head.method() + " " + head.target() + " " + head.version();
    }
}
