package dev.greenhub.cli;

import java.io.File;
import java.net.MalformedURLException;
import java.net.URL;
import java.net.URLClassLoader;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;

/**
 * Runs a command with extra jars (a user's hub) visible to {@link java.util.ServiceLoader}: a
 * child class loader of this one, made the thread's context class loader while the command runs
 * ({@link dev.greenhub.hub.Hubs} looks there).
 */
final class ExtraClassPath {
    private ExtraClassPath() {
    }

    static <T> T with(CommandLine cl, String classPath, Callable<T> body) throws Exception {
        if (classPath == null || classPath.isBlank()) {
            return body.call();
        }
        List<URL> urls = new ArrayList<>();
        for (String entry : classPath.split(File.pathSeparator)) {
            if (entry.isBlank()) {
                continue;
            }
            File f = new File(entry);
            if (!f.exists()) {
                throw new CommandLine.ParameterException(cl, "--classpath: " + f + " does not exist");
            }
            if (!f.isDirectory() && !f.getName().endsWith(".jar")) {
                throw new CommandLine.ParameterException(cl, "--classpath: " + f + " is neither a directory nor a .jar");
            }
            try {
                urls.add(f.getAbsoluteFile().toURI().toURL());
            } catch (MalformedURLException e) {
                throw new CommandLine.ParameterException(cl, "--classpath: bad entry " + entry + ": " + e.getMessage());
            }
        }
        Thread t = Thread.currentThread();
        ClassLoader previous = t.getContextClassLoader();
        try (URLClassLoader loader = new URLClassLoader("greenhub-extra", urls.toArray(URL[]::new), ExtraClassPath.class.getClassLoader())) {
            t.setContextClassLoader(loader);
            return body.call();
        } finally {
            t.setContextClassLoader(previous);
        }
    }
}
