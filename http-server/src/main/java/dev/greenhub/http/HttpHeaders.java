package dev.greenhub.http;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.function.BiConsumer;

/**
 * HTTP header fields in arrival order, names compared without regard to case. Not thread-safe
 * (a request's or response's headers belong to its connection's green thread).
 */
public final class HttpHeaders {
    private static final String[] NONE = {};
    /** Names at even, values at odd indexes; allocated at the first field, grown by doubling. */
    private String[] fields = NONE;
    private int used;

    /** Creates empty headers. */
    public HttpHeaders() {
    }

    /**
     * Adds a field, keeping those of the same name.
     *
     * @param name the field name (a token; no CR, LF or colon)
     * @param value the value (no CR or LF)
     * @return this
     * @throws IllegalArgumentException if the name or the value could split the header section
     */
    public HttpHeaders add(String name, String value) {
        checkName(name);
        checkValue(name, value);
        addParsed(name, value);
        return this;
    }

    /** Adds a field that the parser has already checked. */
    void addParsed(String name, String value) {
        if (used == fields.length) {
            fields = Arrays.copyOf(fields, Math.max(8, used * 2));
        }
        fields[used++] = name;
        fields[used++] = value;
    }

    private boolean named(int i, String name) {
        String n = fields[i];
        // names the parser interned (KnownHeaders) are usually the very strings callers pass
        return n == name || n.equalsIgnoreCase(name);
    }

    /**
     * Replaces every field named {@code name} by one with {@code value}.
     *
     * @param name the field name
     * @param value the value
     * @return this
     * @throws IllegalArgumentException as {@link #add}
     */
    public HttpHeaders set(String name, String value) {
        remove(name);
        return add(name, value);
    }

    /**
     * Removes every field named {@code name}.
     *
     * @param name the field name
     * @return whether any was there
     */
    public boolean remove(String name) {
        boolean removed = false;
        for (int i = used - 2; i >= 0; i -= 2) {
            if (named(i, name)) {
                System.arraycopy(fields, i + 2, fields, i, used - i - 2);
                used -= 2;
                fields[used] = null;
                fields[used + 1] = null;
                removed = true;
            }
        }
        return removed;
    }

    /**
     * The first value of {@code name}.
     *
     * @param name the field name
     * @return the value, or null if absent
     */
    public String first(String name) {
        for (int i = 0; i < used; i += 2) {
            if (named(i, name)) {
                return fields[i + 1];
            }
        }
        return null;
    }

    /**
     * Every value of {@code name}, in order.
     *
     * @param name the field name
     * @return the values; empty if absent
     */
    public List<String> all(String name) {
        List<String> values = new ArrayList<>(1);
        for (int i = 0; i < used; i += 2) {
            if (named(i, name)) {
                values.add(fields[i + 1]);
            }
        }
        return values;
    }

    /**
     * How many fields named {@code name} there are.
     *
     * @param name the field name
     * @return the count
     */
    public int count(String name) {
        int n = 0;
        for (int i = 0; i < used; i += 2) {
            if (named(i, name)) {
                n++;
            }
        }
        return n;
    }

    /**
     * Whether some value of the comma-separated field {@code name} equals {@code token}, ignoring
     * case (for example {@code Connection: keep-alive, Upgrade}).
     *
     * @param name the field name
     * @param token the token looked for
     * @return true if present
     */
    public boolean hasToken(String name, String token) {
        for (int i = 0; i < used; i += 2) {
            if (named(i, name) && containsToken(fields[i + 1], token)) {
                return true;
            }
        }
        return false;
    }

    /** Whether the comma-separated list {@code list} has {@code token} (case-insensitive), without splitting it. */
    private static boolean containsToken(String list, String token) {
        int start = 0;
        int len = list.length();
        while (start <= len) {
            int comma = list.indexOf(',', start);
            int end = comma < 0 ? len : comma;
            int s = start;
            int e = end;
            while (s < e && isBlank(list.charAt(s))) {
                s++;
            }
            while (e > s && isBlank(list.charAt(e - 1))) {
                e--;
            }
            if (e - s == token.length() && list.regionMatches(true, s, token, 0, e - s)) {
                return true;
            }
            if (comma < 0) {
                return false;
            }
            start = comma + 1;
        }
        return false;
    }

    private static boolean isBlank(char c) {
        return c == ' ' || c == '\t';
    }

    /**
     * The distinct field names, in first-arrival order, as first spelled.
     *
     * @return the names
     */
    public Set<String> names() {
        Set<String> names = new LinkedHashSet<>();
        outer:
        for (int i = 0; i < used; i += 2) {
            for (String n : names) {
                if (n.equalsIgnoreCase(fields[i])) {
                    continue outer;
                }
            }
            names.add(fields[i]);
        }
        return names;
    }

    /**
     * Calls {@code action} with every field, in order.
     *
     * @param action receives name and value
     */
    public void forEach(BiConsumer<String, String> action) {
        for (int i = 0; i < used; i += 2) {
            action.accept(fields[i], fields[i + 1]);
        }
    }

    /**
     * The number of fields.
     *
     * @return the count, counting repeated names once per field
     */
    public int size() {
        return used / 2;
    }

    /** The name of field {@code index} (0 to size() - 1), for the server's own loops. */
    String name(int index) {
        return fields[2 * index];
    }

    /** The value of field {@code index}. */
    String value(int index) {
        return fields[2 * index + 1];
    }

    static void checkName(String name) {
        Objects.requireNonNull(name, "name");
        if (name.isEmpty()) {
            throw new IllegalArgumentException("a header name must not be empty");
        }
        for (int i = 0; i < name.length(); i++) {
            if (!HttpSyntax.isTokenChar(name.charAt(i))) {
                throw new IllegalArgumentException("header name '" + name + "' has the character "
                        + (int) name.charAt(i) + " at " + i + ", which is not allowed in a token (RFC 9110 5.1)");
            }
        }
    }

    static void checkValue(String name, String value) {
        Objects.requireNonNull(value, "value");
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c == '\r' || c == '\n' || c == 0 || c > 0xff) {
                throw new IllegalArgumentException("the value of header '" + name + "' has the character "
                        + (int) c + " at " + i + "; CR, LF, NUL and non-Latin-1 characters are not allowed");
            }
        }
    }

    @Override
    public String toString() {
        StringBuilder b = new StringBuilder("{");
        forEach((n, v) -> b.append(b.length() > 1 ? ", " : "").append(n).append(": ").append(v));
        return b.append('}').toString();
    }
}
