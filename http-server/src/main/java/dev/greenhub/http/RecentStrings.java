package dev.greenhub.http;

import java.nio.charset.StandardCharsets;

/**
 * The strings of a connection's previous request head, by slot (the target, then header values by
 * their position), so that a client sending the same head again and again (a keep-alive client, a
 * health check) makes no new String for them: a slot's string is reused when the bytes spell it
 * exactly. Given back while the connection idles. Belongs to its connection's green thread.
 */
final class RecentStrings {
    /** Slot of the request target. */
    static final int TARGET = 0;
    /** Slots in all: the target and the values of the first {@code SLOTS - 1} header fields. */
    static final int SLOTS = 9;
    private String[] strings;

    /** The slot of the value of the header field at {@code index} (0 for the first field). */
    static int headerValue(int index) {
        return 1 + index;
    }

    /** The Latin-1 string spelled by {@code b[start, end)}: this slot's previous one if equal, else a new one. */
    String get(int slot, byte[] b, int start, int end) {
        int len = end - start;
        if (slot >= SLOTS) {
            return new String(b, start, len, StandardCharsets.ISO_8859_1);
        }
        String[] s = strings;
        if (s == null) {
            s = new String[SLOTS];
            strings = s;
        }
        String previous = s[slot];
        if (previous != null && spells(previous, b, start, len)) {
            return previous;
        }
        String made = new String(b, start, len, StandardCharsets.ISO_8859_1);
        s[slot] = made;
        return made;
    }

    private static boolean spells(String s, byte[] b, int start, int len) {
        if (s.length() != len) {
            return false;
        }
        for (int i = 0; i < len; i++) {
            if (s.charAt(i) != (b[start + i] & 0xff)) {
                return false;
            }
        }
        return true;
    }

    /** Forgets every string (the connection idles). */
    void release() {
        strings = null;
    }

    /** Whether nothing is held (for tests). */
    boolean isReleased() {
        return strings == null;
    }
}
