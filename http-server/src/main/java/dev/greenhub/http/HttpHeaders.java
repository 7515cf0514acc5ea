package dev.greenhub.http;

import java.util.ArrayList;
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
    private final ArrayList<String> fields = new ArrayList<>(16);

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
        fields.add(name);
        fields.add(value);
        return this;
    }

    /** Adds a field that the parser has already checked. */
    void addParsed(String name, String value) {
        fields.add(name);
        fields.add(value);
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
        for (int i = fields.size() - 2; i >= 0; i -= 2) {
            if (fields.get(i).equalsIgnoreCase(name)) {
                fields.remove(i + 1);
                fields.remove(i);
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
        for (int i = 0; i < fields.size(); i += 2) {
            if (fields.get(i).equalsIgnoreCase(name)) {
                return fields.get(i + 1);
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
        for (int i = 0; i < fields.size(); i += 2) {
            if (fields.get(i).equalsIgnoreCase(name)) {
                values.add(fields.get(i + 1));
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
        for (int i = 0; i < fields.size(); i += 2) {
            if (fields.get(i).equalsIgnoreCase(name)) {
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
        for (int i = 0; i < fields.size(); i += 2) {
            if (fields.get(i).equalsIgnoreCase(name)) {
                for (String part : fields.get(i + 1).split(",")) {
                    if (part.strip().equalsIgnoreCase(token)) {
                        return true;
                    }
                }
            }
        }
        return false;
    }

    /**
     * The distinct field names, in first-arrival order, as first spelled.
     *
     * @return the names
     */
    public Set<String> names() {
        Set<String> names = new LinkedHashSet<>();
        outer:
        for (int i = 0; i < fields.size(); i += 2) {
            for (String n : names) {
                if (n.equalsIgnoreCase(fields.get(i))) {
                    continue outer;
                }
            }
            names.add(fields.get(i));
        }
        return names;
    }

    /**
     * Calls {@code action} with every field, in order.
     *
     * @param action receives name and value
     */
    public void forEach(BiConsumer<String, String> action) {
        for (int i = 0; i < fields.size(); i += 2) {
            action.accept(fields.get(i), fields.get(i + 1));
        }
    }

    /**
     * The number of fields.
     *
     * @return the count, counting repeated names once per field
     */
    public int size() {
        return fields.size() / 2;
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
