package dev.greenhub.http;

/**
 * The access log: one line per response through the {@link System.Logger} named
 * {@code dev.greenhub.http.access}: client, request line, status, body bytes, milliseconds.
 */
final class AccessLog {
    static final System.Logger LOGGER = System.getLogger("dev.greenhub.http.access");
    private final System.Logger.Level level;

    AccessLog(System.Logger.Level level) {
        this.level = level;
    }

    boolean enabled() {
        return LOGGER.isLoggable(level);
    }

    void log(String client, String requestLine, int status, long bytes, long startNanos) {
        if (LOGGER.isLoggable(level)) {
            LOGGER.log(level, client + " \"" + requestLine + "\" " + status + " " + bytes + " "
                    + (System.nanoTime() - startNanos) / 1_000_000L + "ms");
        }
    }
}
