package dev.greenhub.http;

import java.io.IOException;
import java.nio.charset.StandardCharsets;

/**
 * Reads and checks a request head from a {@link ConnectionInput} (RFC 9112 sections 2-3, 5-6),
 * enforcing the line, size and count limits. Rejects what could make two parsers disagree on where
 * a request ends: a Transfer-Encoding beside a Content-Length, more than one Content-Length, a
 * transfer coding other than {@code chunked}, obsolete line folding, stray CR or NUL bytes.
 */
final class RequestParser {
    /** Empty lines tolerated before a request line (RFC 9112 2.2). */
    private static final int MAX_LEADING_EMPTY_LINES = 4;
    private final ConnectionInput in;
    private final ConnectionOutput out;
    private final HttpLimits limits;
    private final ConnectionTimer timer;
    private final RecentStrings recent = new RecentStrings();
    /** The request line being read. */
    private String method;
    private String target;
    private String version;

    RequestParser(ConnectionInput in, ConnectionOutput out, HttpLimits limits, ConnectionTimer timer) {
        this.in = in;
        this.out = out;
        this.limits = limits;
        this.timer = timer;
    }

    /**
     * Reads the next request head; waits for its first byte up to the idle timeout.
     *
     * @return the head, or null if the connection ended (or idled out) before a request began
     * @throws HttpProtocolException with the status to answer
     */
    RequestHead next() throws IOException {
        int lineEnd;
        int skipped = 0;
        while (true) {
            if (in.buffered() == 0) {
                in.pos = 0;
                in.lim = 0;
                if (!timer.awaitFirstByte(in, out, recent)) {
                    return null;
                }
            }
            timer.startHead();
            lineEnd = lineEnd(limits.maxRequestLineBytes(), 414);
            if (lineEnd == -2) {
                if (in.buffered() == 0) {
                    return null;
                }
                throw new HttpProtocolException(400, "the connection ended inside the request line");
            }
            if (contentEnd(lineEnd) > in.pos) {
                break;
            }
            if (++skipped > MAX_LEADING_EMPTY_LINES) {
                throw new HttpProtocolException(400, "too many empty lines before the request line");
            }
            in.pos = lineEnd + 1;
        }
        requestLine(in.buf, in.pos, contentEnd(lineEnd));
        in.pos = lineEnd + 1;
        HttpHeaders headers = new HttpHeaders();
        int headerBytes = 0;
        while (true) {
            int end = lineEnd(limits.maxRequestLineBytes(), 431);
            if (end == -2) {
                throw new HttpProtocolException(400, "the connection ended inside the request head");
            }
            int content = contentEnd(end);
            headerBytes += end + 1 - in.pos;
            if (content == in.pos) {
                in.pos = end + 1;
                break;
            }
            if (headerBytes > limits.maxHeaderBytes()) {
                throw new HttpProtocolException(431, "the header section is larger than " + limits.maxHeaderBytes() + " bytes");
            }
            if (headers.size() >= limits.maxHeaderCount()) {
                throw new HttpProtocolException(431, "more than " + limits.maxHeaderCount() + " header fields");
            }
            headerLine(in.buf, in.pos, content, headers, recent);
            in.pos = end + 1;
        }
        timer.endHead();
        return framing(headers);
    }

    /**
     * The index of the LF ending the line at {@code in.pos}, reading more as needed; -2 if the
     * stream ends first.
     */
    private int lineEnd(int max, int status) throws IOException {
        int from = in.pos;
        while (true) {
            byte[] b = in.buf;
            for (int i = from; i < in.lim; i++) {
                if (b[i] == '\n') {
                    if (i - in.pos > max) {
                        throw tooLong(status, max);
                    }
                    return i;
                }
            }
            if (in.lim - in.pos > max) {
                throw tooLong(status, max);
            }
            int scanned = in.lim - in.pos;
            if (!timer.fillHead(in)) {
                return -2;
            }
            from = in.pos + scanned;
        }
    }

    private static HttpProtocolException tooLong(int status, int max) {
        return new HttpProtocolException(status, (status == 414 ? "the request line" : "a header line")
                + " is longer than " + max + " bytes");
    }

    /** The end of a line's content: before its CRLF (or a bare LF). */
    private int contentEnd(int lf) {
        return lf > in.pos && in.buf[lf - 1] == '\r' ? lf - 1 : lf;
    }

    /** Parses and checks the request line into {@link #method}, {@link #target} and {@link #version}. */
    private void requestLine(byte[] b, int start, int end) throws HttpProtocolException {
        int sp1 = -1;
        for (int i = start; i < end; i++) {
            if (b[i] == ' ') {
                sp1 = i;
                break;
            }
            if (!HttpSyntax.isTokenChar(b[i])) {
                throw new HttpProtocolException(400, "malformed request line: the method has the byte " + (b[i] & 0xff));
            }
        }
        if (sp1 <= start) {
            throw new HttpProtocolException(400, "malformed request line: no method followed by a space");
        }
        int sp2 = -1;
        for (int i = sp1 + 1; i < end; i++) {
            if (b[i] == ' ') {
                sp2 = i;
                break;
            }
            if (!HttpSyntax.isTargetChar(b[i])) {
                throw new HttpProtocolException(400, "malformed request line: the target has the byte " + (b[i] & 0xff));
            }
        }
        if (sp2 <= sp1 + 1) {
            throw new HttpProtocolException(400, "malformed request line: no target followed by a space");
        }
        int vlen = end - sp2 - 1;
        String version;
        if (vlen == 8 && b[sp2 + 1] == 'H' && b[sp2 + 2] == 'T' && b[sp2 + 3] == 'T' && b[sp2 + 4] == 'P'
                && b[sp2 + 5] == '/' && b[sp2 + 6] >= '0' && b[sp2 + 6] <= '9' && b[sp2 + 7] == '.'
                && b[sp2 + 8] >= '0' && b[sp2 + 8] <= '9') {
            if (b[sp2 + 6] == '1' && b[sp2 + 8] == '1') {
                version = "HTTP/1.1";
            } else if (b[sp2 + 6] == '1' && b[sp2 + 8] == '0') {
                version = "HTTP/1.0";
            } else {
                throw new HttpProtocolException(505, "HTTP version " + (char) b[sp2 + 6] + "." + (char) b[sp2 + 8]
                        + " is not supported; this server speaks HTTP/1.1 and HTTP/1.0");
            }
        } else {
            throw new HttpProtocolException(400, "malformed request line: no HTTP version after the target");
        }
        this.method = method(b, start, sp1);
        this.target = recent.get(RecentStrings.TARGET, b, sp1 + 1, sp2);
        this.version = version;
    }

    private static String method(byte[] b, int start, int end) {
        int len = end - start;
        if (len == 3 && b[start] == 'G' && b[start + 1] == 'E' && b[start + 2] == 'T') {
            return "GET";
        }
        if (len == 4 && b[start] == 'P' && b[start + 1] == 'O' && b[start + 2] == 'S' && b[start + 3] == 'T') {
            return "POST";
        }
        return new String(b, start, len, StandardCharsets.ISO_8859_1);
    }

    private static void headerLine(byte[] b, int start, int end, HttpHeaders headers, RecentStrings recent)
            throws HttpProtocolException {
        if (b[start] == ' ' || b[start] == '\t') {
            throw new HttpProtocolException(400, "obsolete line folding in the header section is not accepted");
        }
        int colon = -1;
        for (int i = start; i < end; i++) {
            if (b[i] == ':') {
                colon = i;
                break;
            }
            if (!HttpSyntax.isTokenChar(b[i])) {
                throw new HttpProtocolException(400, "malformed header line: the field name has the byte " + (b[i] & 0xff));
            }
        }
        if (colon <= start) {
            throw new HttpProtocolException(400, "malformed header line: no field name followed by ':'");
        }
        int vs = colon + 1;
        int ve = end;
        while (vs < ve && (b[vs] == ' ' || b[vs] == '\t')) {
            vs++;
        }
        while (ve > vs && (b[ve - 1] == ' ' || b[ve - 1] == '\t')) {
            ve--;
        }
        for (int i = vs; i < ve; i++) {
            int c = b[i] & 0xff;
            if (c == '\r' || c == 0 || c == '\n') {
                throw new HttpProtocolException(400, "malformed header line: the value has the byte " + c);
            }
        }
        headers.addParsed(KnownStrings.name(b, start, colon),
                recent.get(RecentStrings.headerValue(headers.size()), b, vs, ve));
    }

    /** Decides the body framing and the connection's fate; rejects ambiguous framing. */
    private RequestHead framing(HttpHeaders headers) throws HttpProtocolException {
        boolean http11 = version.equals("HTTP/1.1");
        int hosts = headers.count("Host");
        if (hosts > 1 || (http11 && hosts == 0)) {
            throw new HttpProtocolException(400, hosts == 0 ? "an HTTP/1.1 request needs a Host header"
                    : "more than one Host header");
        }
        int lengths = headers.count("Content-Length");
        int encodings = headers.count("Transfer-Encoding");
        long length = 0;
        if (encodings > 0) {
            if (lengths > 0) {
                throw new HttpProtocolException(400, "both Transfer-Encoding and Content-Length: the body's end"
                        + " would be ambiguous (request smuggling)");
            }
            if (!http11) {
                throw new HttpProtocolException(400, "Transfer-Encoding in an HTTP/1.0 request");
            }
            if (encodings > 1 || !headers.first("Transfer-Encoding").strip().equalsIgnoreCase("chunked")) {
                throw new HttpProtocolException(501, "only the 'chunked' transfer coding is supported, not '"
                        + String.join(", ", headers.all("Transfer-Encoding")) + "'");
            }
            length = -1;
        } else if (lengths > 0) {
            if (lengths > 1) {
                throw new HttpProtocolException(400, "more than one Content-Length header (request smuggling)");
            }
            length = parseLength(headers.first("Content-Length"));
            if (length > limits.maxBodyBytes()) {
                throw new HttpProtocolException(413, "the body of " + length + " bytes is larger than the limit of "
                        + limits.maxBodyBytes());
            }
        }
        boolean expect = false;
        String expectation = headers.first("Expect");
        if (expectation != null) {
            if (!expectation.equalsIgnoreCase("100-continue")) {
                throw new HttpProtocolException(417, "unsupported expectation '" + expectation + "'");
            }
            expect = http11 && length != 0;
        }
        boolean keepAlive = http11 ? !headers.hasToken("Connection", "close")
                : headers.hasToken("Connection", "keep-alive");
        return new RequestHead(method, target, version, headers, length, expect, keepAlive);
    }

    private static long parseLength(String value) throws HttpProtocolException {
        if (value.isEmpty() || value.length() > 18) {
            throw new HttpProtocolException(400, "invalid Content-Length '" + value + "'");
        }
        long n = 0;
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c < '0' || c > '9') {
                throw new HttpProtocolException(400, "invalid Content-Length '" + value + "'");
            }
            n = n * 10 + (c - '0');
        }
        return n;
    }
}
