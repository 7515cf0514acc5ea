package dev.greenhub.http;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * The strings of a connection's previous request head, by slot (the target, then header values by
 * their position), so that a client sending the same head again and again (a keep-alive client, a
 * health check) makes no new String for them: a slot's string is reused when the bytes are exactly
 * those it was made from. A header value not seen in its slot before is the constant of
 * {@code KnownStrings} when it is a known value. Given back while the connection idles. Belongs to
 * its connection's green thread.
 */
final class RecentStrings {
    /** Slot of the request target. */
    static final int TARGET = 0;
    /** Slots in all: the target and the values of the first {@code SLOTS - 1} header fields. */
    static final int SLOTS = 9;
    private String[] strings;
    private byte[][] spellings;

    /** The slot of the value of the header field at {@code index} (0 for the first field). */
    static int headerValue(int index) {
        return 1 + index;
    }

    /**
     * The Latin-1 string spelled by {@code b[start, end)}: this slot's previous one if the bytes are
     * the same, else a known value (header slots) or a new string.
     */
    String get(int slot, byte[] b, int start, int end) {
        if (slot >= SLOTS) {
            return make(slot, b, start, end);
        }
        byte[][] sp = spellings;
        if (sp == null) {
            sp = new byte[SLOTS][];
            spellings = sp;
            strings = new String[SLOTS];
        }
        byte[] previous = sp[slot];
        if (previous != null && Arrays.equals(previous, 0, previous.length, b, start, end)) {
            return strings[slot];
        }
        String made = make(slot, b, start, end);
        sp[slot] = Arrays.copyOfRange(b, start, end);
        strings[slot] = made;
        return made;
    }

    private static String make(int slot, byte[] b, int start, int end) {
        String known = slot == TARGET ? null : KnownStrings.knownValue(b, start, end);
        return known != null ? known : new String(b, start, end - start, StandardCharsets.ISO_8859_1);
    }

    /** Forgets every string (the connection idles). */
    void release() {
        strings = null;
        spellings = null;
    }

    /** Whether nothing is held (for tests). */
    boolean isReleased() {
        return strings == null;
    }
}
