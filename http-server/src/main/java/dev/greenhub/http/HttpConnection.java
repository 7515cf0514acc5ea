package dev.greenhub.http;

import dev.greenhub.IoClosedException;
import dev.greenhub.IoTimeoutException;
import dev.greenhub.net.GreenSocket;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.time.Duration;

/**
 * One connection's life, in its own green thread: read a request head, call the handler, finish
 * the response, skip what is left of the request body, and go on while the connection may stay
 * open (keep-alive; pipelined requests are simply read from the buffer in turn). Protocol errors
 * are answered with their status and close the connection.
 */
final class HttpConnection {
    private static final System.Logger LOG = System.getLogger("dev.greenhub.http");
    /** How much of an unread request body is skipped to keep the connection; more closes it. */
    static final long MAX_SKIP_BYTES = 256 * 1024;
    /** How long a closing connection reads and drops what the client still sends, so that the
     *  client reads the final response before a reset. */
    static final Duration LINGER = Duration.ofSeconds(2);
    static final int OUTPUT_BUFFER = 8192;

    private final GreenSocket socket;
    private final HttpHandler handler;
    private final HttpLimits limits;
    private final ConnectionRegistry registry;
    private final AccessLog accessLog;
    private final ConnectionState state;
    private final ConnectionOutput out;
    private final ConnectionInput in;
    private final ResponseWriter writer;
    private final RequestParser parser;
    private InetSocketAddress remote;
    private InetSocketAddress local;

    HttpConnection(GreenSocket socket, HttpHandler handler, HttpLimits limits, ConnectionRegistry registry,
                   AccessLog accessLog, HubBuffers hubBuffers) {
        this.socket = socket;
        this.handler = handler;
        this.limits = limits;
        this.registry = registry;
        this.accessLog = accessLog;
        this.state = new ConnectionState(socket);
        HubBuffers.Local buffers = hubBuffers.of(socket.scheduler());
        this.out = new ConnectionOutput(socket, buffers);
        this.in = new ConnectionInput(socket, out, inputCapacity(limits), buffers);
        this.writer = new ResponseWriter(out, registry::isDraining);
        this.parser = new RequestParser(in, out, limits, new ConnectionTimer(limits, state));
    }

    /** The input buffer's size: the longest line allowed, and its CRLF, with room to spare. */
    static int inputCapacity(HttpLimits limits) {
        return limits.maxRequestLineBytes() + 64;
    }

    /** Serves the connection until it closes; the caller closes the socket afterwards. */
    void run() throws IOException {
        socket.setWriteTimeout(limits.writeTimeout());
        if (!registry.admit(state)) {
            writer.clear();
            tryWriteError(503, "the server is at its limit of " + limits.maxConnections() + " connections");
            linger();
            return;
        }
        try {
            remote = socket.remoteAddress();
            local = socket.localAddress();
            serve();
        } finally {
            registry.release(state);
        }
    }

    private void serve() throws IOException {
        while (true) {
            writer.clear();
            state.becomeIdle();
            if (registry.isDraining()) {
                out.flush();
                return;
            }
            RequestHead head;
            try {
                head = parser.next();
            } catch (HttpProtocolException e) {
                LOG.log(System.Logger.Level.DEBUG, () -> "bad request from " + remote + ": " + e.getMessage());
                tryWriteError(e.status(), e.getMessage());
                if (accessLog.enabled()) {
                    accessLog.log(String.valueOf(remote), "-", e.status(), 0, System.nanoTime());
                }
                linger();
                return;
            } catch (IoClosedException | IoTimeoutException e) {
                return;
            }
            if (head == null) {
                out.flush();
                return;
            }
            if (!exchange(head)) {
                return;
            }
        }
    }

    /** Serves one request; false if the connection must close. */
    private boolean exchange(RequestHead head) throws IOException {
        boolean logging = accessLog.enabled(); // asked once per request: a logger's level check is not free
        long start = logging ? System.nanoTime() : 0;
        RequestBody body = head.contentLength() == 0 ? new RequestBody.Empty(in, out)
                : head.isChunked() ? new ChunkedBody(in, out, limits, head.expectContinue())
                : new FixedLengthBody(in, out, head.contentLength(), head.expectContinue());
        if (head.contentLength() != 0) {
            in.timeout(limits.bodyReadTimeout().toNanos());
        }
        writer.reset(head, body);
        HttpResponse response = new HttpResponse(writer);
        long before = out.written();
        try {
            handler.handle(new HttpRequest(head, body, remote, local), response);
        } catch (HttpProtocolException e) {
            return failed(response, e.status(), e.getMessage(), head, start, before, null);
        } catch (IoTimeoutException e) {
            return failed(response, 408, "the request body stalled: " + e.getMessage(), head, start, before, null);
        } catch (IoClosedException e) {
            return false;
        } catch (Exception e) {
            return failed(response, 500, "the handler failed", head, start, before, e);
        }
        if (!response.isStarted()) {
            LOG.log(System.Logger.Level.WARNING, "the handler returned without a response to " + head.method() + " "
                    + head.target() + "; sent 500");
            writer.mustClose();
            writer.writeError(500, "the handler sent no response");
            log(head, 500, 0, start);
            return false;
        }
        ResponseBody rb = response.body();
        rb.close();
        if (!rb.isCompleteAndClosed()) {
            writer.mustClose();
        }
        if (!writer.closeAfter()) {
            try {
                if (!body.skipRest(MAX_SKIP_BYTES)) {
                    writer.mustClose();
                }
            } catch (IOException e) {
                writer.mustClose();
            }
        }
        if (logging) {
            log(head, response.status(), out.written() - before, start);
        }
        if (writer.closeAfter()) {
            out.flush();
            linger();
            return false;
        }
        return true;
    }

    private boolean failed(HttpResponse response, int status, String message, RequestHead head, long start,
                           long before, Exception error) throws IOException {
        if (error != null) {
            LOG.log(System.Logger.Level.WARNING, "handler failed on " + head.method() + " " + head.target()
                    + " from " + remote, error);
        }
        if (!response.isStarted()) {
            tryWriteError(status, message);
            log(head, status, out.written() - before, start);
            linger();
        }
        return false;
    }

    private void tryWriteError(int status, String message) {
        try {
            writer.writeError(status, message);
        } catch (IOException | RuntimeException e) {
            LOG.log(System.Logger.Level.DEBUG, () -> "could not send " + status + " to " + remote + ": " + e);
        }
    }

    /**
     * Half-closes and reads what the client still sends for a little while (bounded in bytes and
     * time), so the final response is not lost to a reset caused by unread input.
     */
    private void linger() {
        try {
            out.flush();
            socket.shutdownOutput();
            socket.setReadTimeout(LINGER);
            ByteBuffer scratch = ByteBuffer.allocate(4096);
            long dropped = 0;
            while (dropped < MAX_SKIP_BYTES) {
                scratch.clear();
                int n = socket.read(scratch);
                if (n < 0) {
                    break;
                }
                dropped += n;
            }
        } catch (IOException | RuntimeException e) {
            // closing anyway
        }
    }

    private void log(RequestHead head, int status, long bytes, long start) {
        if (accessLog.enabled()) {
            accessLog.log(String.valueOf(remote), requestLine(head), status, bytes, start);
        }
    }

    private static String requestLine(RequestHead head) {
        return head.method() + " " + head.target() + " " + head.version();
    }
}
