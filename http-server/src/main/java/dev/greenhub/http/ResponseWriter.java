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
            framing = status == 304 && length >= 0 ? "Content-Length: " + length + "\r\n" : "";
        } else if (length >= 0) {
            body = head ? new ResponseBody.None(out, true) : length == 0 ? new ResponseBody.None(out, false)
                    : new ResponseBody.FixedLength(out, length);
            framing = "Content-Length: " + length + "\r\n";
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
        writeHead(status, headers, framing);
        return body;
    }

    private void writeHead(int status, HttpHeaders headers, String framing) throws IOException {
        StringBuilder b = new StringBuilder(128 + headers.size() * 32);
        b.append("HTTP/1.1 ").append(status).append(' ').append(HttpSyntax.reason(status)).append("\r\n");
        boolean[] hasDate = {false};
        headers.forEach((name, value) -> {
            if (name.equalsIgnoreCase("Content-Length") || name.equalsIgnoreCase("Transfer-Encoding")
                    || name.equalsIgnoreCase("Connection")) {
                return;
            }
            if (name.equalsIgnoreCase("Date")) {
                hasDate[0] = true;
            }
            b.append(name).append(": ").append(value).append("\r\n");
        });
        if (!hasDate[0]) {
            b.append("Date: ").append(HttpDate.now()).append("\r\n");
        }
        b.append(framing);
        if (closeAfter) {
            b.append("Connection: close\r\n");
        } else if (request != null && !request.isHttp11()) {
            b.append("Connection: keep-alive\r\n");
        }
        b.append("\r\n");
        out.writeAscii(b.toString());
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
