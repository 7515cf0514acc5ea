package dev.greenhub.http;

/**
 * Serves one HTTP request (greenhub's counterpart of the JDK's
 * {@code com.sun.net.httpserver.HttpHandler}).
 *
 * <p>Called in the green thread of the request's connection, one request at a time per
 * connection; with several hubs, from several platform threads at once, so state shared between
 * requests must be thread-safe. Blocking calls (socket, sleep, locks) park only this green thread.
 */
@FunctionalInterface
public interface HttpHandler {
    /**
     * Handles {@code request} by sending {@code response}. If the handler returns without having
     * started a response, the server sends {@code 500}; if it leaves the response body open, the
     * server closes it; a request body it did not read is skipped (or the connection closed).
     *
     * @param request the request line, headers and body stream
     * @param response where the status, headers and body go
     * @throws Exception anything: logged; a {@code 500} is sent if no response was started,
     *     otherwise the connection is closed
     */
    void handle(HttpRequest request, HttpResponse response) throws Exception;
}
