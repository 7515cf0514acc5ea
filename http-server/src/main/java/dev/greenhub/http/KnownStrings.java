package dev.greenhub.http;

import java.nio.charset.StandardCharsets;

/**
 * Common header names and values, so that parsing a typical request head makes no String for
 * them: a field spelled exactly as one of these (byte for byte, case included, so that
 * {@link HttpHeaders#names()} still shows the client's spelling) is the constant String.
 */
final class KnownStrings {
    private static final String[] NAMES = {
        "Host", "User-Agent", "Accept", "Accept-Encoding", "Accept-Language", "Connection", "Content-Length",
        "Content-Type", "Transfer-Encoding", "Expect", "Cookie", "Cache-Control", "Upgrade", "Origin", "Referer",
        "Authorization", "Pragma", "If-None-Match", "If-Modified-Since", "Range", "X-Forwarded-For",
        "host", "user-agent", "accept", "accept-encoding", "connection", "content-length", "content-type",
        "transfer-encoding", "expect", "cookie", "cache-control", "authorization",
    };
    private static final String[] VALUES = {
        "keep-alive", "close", "Keep-Alive", "Close", "chunked", "100-continue", "*/*", "gzip", "gzip, deflate",
        "gzip, deflate, br", "no-cache", "Upgrade", "text/plain", "application/json",
    };
    private static final Table NAME_TABLE = new Table(NAMES);
    private static final Table VALUE_TABLE = new Table(VALUES);

    private KnownStrings() {
    }

    /** The field name in {@code b[start, end)}, a constant when it is a known one. */
    static String name(byte[] b, int start, int end) {
        return NAME_TABLE.lookup(b, start, end);
    }

    /** The field value in {@code b[start, end)} if it is a known one, else null. */
    static String knownValue(byte[] b, int start, int end) {
        return VALUE_TABLE.find(b, start, end);
    }

    /** Strings by length and first byte; small, so a lookup compares a few candidates at most. */
    private static final class Table {
        private final String[] strings;
        private final byte[][] bytes;

        Table(String[] strings) {
            this.strings = strings;
            this.bytes = new byte[strings.length][];
            for (int i = 0; i < strings.length; i++) {
                bytes[i] = strings[i].getBytes(StandardCharsets.ISO_8859_1);
            }
        }

        String lookup(byte[] b, int start, int end) {
            String known = find(b, start, end);
            return known != null ? known : new String(b, start, end - start, StandardCharsets.ISO_8859_1);
        }

        String find(byte[] b, int start, int end) {
            int len = end - start;
            if (len > 0) {
                for (int i = 0; i < bytes.length; i++) {
                    byte[] k = bytes[i];
                    if (k.length == len && k[0] == b[start]
                            && java.util.Arrays.equals(k, 0, len, b, start, end)) {
                        return strings[i];
                    }
                }
            }
            return null;
        }
    }
}
