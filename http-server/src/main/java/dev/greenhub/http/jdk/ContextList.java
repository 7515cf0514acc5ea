package dev.greenhub.http.jdk;

import java.util.ArrayList;
import java.util.List;

/**
 * The contexts of a server and the JDK's matching rule: the context whose path is the longest
 * string prefix of the request's path (so {@code /app} also matches {@code /application}, as in
 * the JDK). Thread-safe: contexts may be added and removed while requests are served.
 */
final class ContextList {
    private final List<JdkHttpContext> contexts = new ArrayList<>();

    synchronized void add(JdkHttpContext context) {
        for (JdkHttpContext c : contexts) {
            if (c.getPath().equals(context.getPath())) {
                throw new IllegalArgumentException("a context for path '" + context.getPath() + "' already exists");
            }
        }
        contexts.add(context);
    }

    synchronized void remove(String path) {
        if (!contexts.removeIf(c -> c.getPath().equals(path))) {
            throw new IllegalArgumentException("no context for path '" + path + "'");
        }
    }

    synchronized void remove(JdkHttpContext context) {
        if (!contexts.remove(context)) {
            throw new IllegalArgumentException("the context " + context.getPath() + " is not this server's");
        }
    }

    synchronized JdkHttpContext find(String path) {
        JdkHttpContext best = null;
        for (JdkHttpContext c : contexts) {
            if (path.startsWith(c.getPath()) && (best == null || c.getPath().length() > best.getPath().length())) {
                best = c;
            }
        }
        return best;
    }
}
