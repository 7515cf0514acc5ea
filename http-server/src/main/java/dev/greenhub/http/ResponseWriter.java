package dev.greenhub.http;

import java.io.IOException;
import java.nio.charset.StandardCharsets;

/**
 * Writes response heads for one connection and picks each body's framing; remembers whether the
 * connection must close after the response (the client asked, HTTP/1.0 without keep-alive, a body
 * ended by closing, the handler's {@code Connection: close}, a graceful stop).
 */
final class ResponseWriter {
    private final ConnectionOutput out;
    private RequestHead request;
    private RequestBody requestBody;
    private boolean closeAfter;
    private final java.util.function.BooleanSupplier draining;
    /** The framing that is a Content-Length field; its value follows (compared by identity). */
    private static final String CONTENT_LENGTH = "Content-Length: ";

    ResponseWriter(ConnectionOutput out, java.util.function.BooleanSupplier draining) {
        this.out = out;
        this.draining = draining;
    }

    /** Starts a new exchange. */
    void reset(RequestHead head, RequestBody body) {
        this.request = head;
        this.requestBody = body;
        this.closeAfter = !head.keepAlive();
    }

    /** Between exchanges: an error answered now belongs to no request. */
    void clear() {
        this.request = null;
        this.requestBody = null;
        this.closeAfter = false;
    }

    /** Whether the connection must close after this response. */
    boolean closeAfter() {
        return closeAfter;
    }

    /** The connection will close after the response (for example: the body was not all read). */
    void mustClose() {
        closeAfter = true;
    }

    ResponseBody start(int status, long length, HttpHeaders headers) throws IOException {
        if (requestBody != null) {
            if (requestBody.continueOwed() && status >= 200 && status < 300) {
                // a success streamed before the body is read (an echo): the client still waits
                // for its interim 100, which may precede the final response
                requestBody.sendContinue();
            } else if (requestBody.continueOwed() && status >= 200) {
                closeAfter = true; // a refusal: the client may still send the body it held back, or not
            }
            requestBody.responseStarted();
        }
        if (headers.hasToken("Connection", "close") || draining.getAsBoolean()) {
            closeAfter = true;
        }
        boolean head = request != null && request.method().equals("HEAD");
        boolean http11 = request == null || request.isHttp11();
        boolean noBody = HttpSyntax.forbidsBody(status);
        ResponseBody body;
        String framing;
        if (noBody) {
            body = new ResponseBody.None(out, false);
            framing = status == 304 && length >= 0 ? CONTENT_LENGTH : "";
        } else if (length >= 0) {
            body = head ? new ResponseBody.None(out, true) : length == 0 ? new ResponseBody.None(out, false)
                    : new ResponseBody.FixedLength(out, length);
            framing = CONTENT_LENGTH;
        } else if (head) {
            body = new ResponseBody.None(out, true);
            framing = http11 ? "Transfer-Encoding: chunked\r\n" : "";
        } else if (http11) {
            body = new ResponseBody.Chunked(out);
            framing = "Transfer-Encoding: chunked\r\n";
        } else {
            body = new ResponseBody.UntilClose(out);
            framing = "";
            closeAfter = true;
        }
        writeHead(status, headers, framing, length);
        return body;
    }

    private static final String OK_LINE = "HTTP/1.1 200 OK\r\n";

    /** Writes the head straight into the connection's output buffer (no intermediate String). */
    private void writeHead(int status, HttpHeaders headers, String framing, long length) throws IOException {
        if (status == 200) {
            out.writeAscii(OK_LINE);
        } else {
            out.writeAscii("HTTP/1.1 ");
            out.writeDecimal(status);
            out.write(' ');
            out.writeAscii(HttpSyntax.reason(status));
            out.writeAscii("\r\n");
        }
        boolean hasDate = false;
        for (int i = 0, n = headers.size(); i < n; i++) {
            String name = headers.name(i);
            if (isFraming(name)) {
                continue;
            }
            if (name.length() == 4 && name.equalsIgnoreCase("Date")) {
                hasDate = true;
            }
            out.writeAscii(name);
            out.writeAscii(": ");
            out.writeAscii(headers.value(i));
            out.writeAscii("\r\n");
        }
        if (!hasDate) {
            out.writeAscii(HttpDate.line());
        }
        if (framing == CONTENT_LENGTH) {
            out.writeAscii(CONTENT_LENGTH);
            out.writeDecimal(length);
            out.writeAscii("\r\n");
        } else {
            out.writeAscii(framing);
        }
        if (closeAfter) {
            out.writeAscii("Connection: close\r\n");
        } else if (request != null && !request.isHttp11()) {
            out.writeAscii("Connection: keep-alive\r\n");
        }
        out.writeAscii("\r\n");
    }

    private static boolean isFraming(String name) {
        return switch (name.length()) {
            case 10 -> name.equalsIgnoreCase("Connection");
            case 14 -> name.equalsIgnoreCase("Content-Length");
            case 17 -> name.equalsIgnoreCase("Transfer-Encoding");
            default -> false;
        };
    }

    /** A whole error response (head and text body); the connection closes after it. */
    void writeError(int status, String message) throws IOException {
        closeAfter = true;
        byte[] text = (HttpSyntax.reason(status) + ": " + message + "\n").getBytes(StandardCharsets.UTF_8);
        HttpHeaders h = new HttpHeaders();
        h.addParsed("Content-Type", "text/plain; charset=utf-8");
        ResponseBody body = start(status, text.length, h);
        body.write(text, 0, text.length);
        body.close();
        out.flush();
    }
}
