package dev.greenhub.http.jdk;

import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpContext;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpPrincipal;
import dev.greenhub.http.HttpRequest;
import dev.greenhub.http.HttpResponse;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.util.HashMap;
import java.util.Map;

/**
 * An {@link HttpExchange} over one greenhub request and response, with the JDK's
 * {@code sendResponseHeaders} rules: a length above 0 is fixed, 0 means chunked (until close for
 * HTTP/1.0), -1 means no body; HEAD, 1xx, 204 and 304 responses have none.
 */
final class JdkHttpExchange extends HttpExchange {
    private final HttpRequest request;
    private final HttpResponse response;
    private final URI uri;
    private final JdkHttpContext context;
    private final Headers requestHeaders = new Headers();
    private final Headers responseHeaders = new Headers();
    private final Map<String, Object> attributes = new HashMap<>();
    private final ResponseStream responseStream = new ResponseStream();
    private InputStream in;
    private OutputStream out;
    private HttpPrincipal principal;
    private int code = -1;

    JdkHttpExchange(HttpRequest request, HttpResponse response, URI uri, JdkHttpContext context) {
        this.request = request;
        this.response = response;
        this.uri = uri;
        this.context = context;
        request.headers().forEach(requestHeaders::add);
        this.in = request.body();
        this.out = responseStream;
    }

    @Override
    public Headers getRequestHeaders() {
        return requestHeaders;
    }

    @Override
    public Headers getResponseHeaders() {
        return responseHeaders;
    }

    @Override
    public URI getRequestURI() {
        return uri;
    }

    @Override
    public String getRequestMethod() {
        return request.method();
    }

    @Override
    public HttpContext getHttpContext() {
        return context;
    }

    @Override
    public void close() {
        try {
            in.close();
            out.close();
        } catch (IOException e) {
            // the connection is closed after the exchange anyway
        }
    }

    /** After the handler: the exchange ends whatever the handler left open. */
    void finish() throws IOException {
        if (response.isStarted()) {
            responseStream.close();
        }
    }

    @Override
    public InputStream getRequestBody() {
        return in;
    }

    @Override
    public OutputStream getResponseBody() {
        return out;
    }

    @Override
    public void sendResponseHeaders(int rCode, long responseLength) throws IOException {
        if (response.isStarted()) {
            throw new IOException("headers already sent");
        }
        boolean noBody = (rCode >= 100 && rCode < 200) || rCode == 204 || rCode == 304
                || request.method().equals("HEAD") || responseLength == -1;
        long length;
        if (request.method().equals("HEAD") || rCode == 304) {
            String declared = responseHeaders.getFirst("Content-Length");
            length = declared != null ? parse(declared) : responseLength > 0 ? responseLength : 0;
        } else {
            length = responseLength == 0 ? HttpResponse.UNKNOWN_LENGTH : responseLength < 0 ? 0 : responseLength;
        }
        responseHeaders.forEach((name, values) -> {
            for (String v : values) {
                response.headers().add(name, v);
            }
        });
        code = rCode;
        responseStream.target = response.send(rCode, length);
        if (noBody) {
            responseStream.close();
        }
    }

    private static long parse(String value) {
        try {
            return Long.parseLong(value.strip());
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    @Override
    public InetSocketAddress getRemoteAddress() {
        return request.remoteAddress();
    }

    @Override
    public int getResponseCode() {
        return code;
    }

    @Override
    public InetSocketAddress getLocalAddress() {
        return request.localAddress();
    }

    @Override
    public String getProtocol() {
        return request.version();
    }

    @Override
    public Object getAttribute(String name) {
        return attributes.get(name);
    }

    @Override
    public void setAttribute(String name, Object value) {
        if (value == null) {
            attributes.remove(name);
        } else {
            attributes.put(name, value);
        }
    }

    @Override
    public void setStreams(InputStream i, OutputStream o) {
        if (i != null) {
            in = i;
        }
        if (o != null) {
            out = o;
        }
    }

    @Override
    public HttpPrincipal getPrincipal() {
        return principal;
    }

    void principal(HttpPrincipal p) {
        this.principal = p;
    }

    /** The body stream handed out before the headers are sent; closing it ends the exchange. */
    private final class ResponseStream extends OutputStream {
        private OutputStream target;
        private boolean closed;

        @Override
        public void write(int b) throws IOException {
            write(new byte[] {(byte) b}, 0, 1);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            if (closed) {
                throw new IOException("the response body stream is closed");
            }
            if (target == null) {
                throw new IOException("response headers not sent yet: call sendResponseHeaders first");
            }
            target.write(b, off, len);
        }

        @Override
        public void flush() throws IOException {
            if (target != null && !closed) {
                target.flush();
            }
        }

        @Override
        public void close() throws IOException {
            if (closed || target == null) {
                return;
            }
            closed = true;
            try {
                request.body().close();
            } finally {
                target.close();
                target.flush();
            }
        }
    }
}
