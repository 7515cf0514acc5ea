package dev.greenhub.http;

/**
 * A parsed and checked request head.
 *
 * @param method the method token
 * @param target the request target as sent
 * @param version {@code HTTP/1.1} or {@code HTTP/1.0}
 * @param headers the header fields
 * @param contentLength the declared body length; -1 for a chunked body
 * @param expectContinue whether the client waits for {@code 100 Continue} before the body
 * @param keepAlive whether the client lets the connection stay open after the response
 */
record RequestHead(String method, String target, String version, HttpHeaders headers, long contentLength,
                   boolean expectContinue, boolean keepAlive) {
    boolean isHttp11() {
        return version.equals("HTTP/1.1");
    }

    boolean isChunked() {
        return contentLength < 0;
    }
}
