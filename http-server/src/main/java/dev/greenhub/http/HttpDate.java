package dev.greenhub.http;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/** The {@code Date} header (RFC 9110 5.6.7, IMF-fixdate), formatted once a second and shared by all hubs. */
final class HttpDate {
    private static final DateTimeFormatter IMF_FIXDATE =
            DateTimeFormatter.ofPattern("EEE, dd MMM yyyy HH:mm:ss 'GMT'", java.util.Locale.ROOT);
    private record Cached(long second, String text, String line) {
    }

    private static volatile Cached cached = new Cached(-1, "", "");

    private HttpDate() {
    }

    /** The whole header line, {@code Date: <now>\r\n}. */
    static String line() {
        return current().line;
    }

    private static Cached current() {
        long second = System.currentTimeMillis() / 1000;
        Cached c = cached;
        if (c.second != second) {
            String text = IMF_FIXDATE.format(Instant.ofEpochSecond(second).atOffset(ZoneOffset.UTC));
            c = new Cached(second, text, "Date: " + text + "\r\n");
            cached = c;
        }
        return c;
    }
}
