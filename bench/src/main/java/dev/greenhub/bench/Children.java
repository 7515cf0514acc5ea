package dev.greenhub.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * The suite's child processes: one-shot children (a workload JVM, the load generator) that are
 * bounded in time and killed if they overrun, and echo servers that run until their standard input
 * (a pipe from this process) is closed.
 */
final class Children {
    private static final long SERVER_START_SECONDS = 60;
    private final String java;
    private final List<String> jvmFlags;
    private final String classPath;
    private final long timeoutSeconds;

    /**
     * @param java the java binary
     * @param jvmFlags the JVM flags of every Java child
     * @param classPath the class path of every Java child
     * @param timeoutSeconds the longest a one-shot child may run
     */
    Children(String java, List<String> jvmFlags, String classPath, long timeoutSeconds) {
        this.java = java;
        this.jvmFlags = List.copyOf(jvmFlags);
        this.classPath = classPath;
        this.timeoutSeconds = timeoutSeconds;
    }

    /** {@code java <flags> <extra flags> -cp <class path> <main class>}, to which arguments may be added. */
    List<String> javaCommand(List<String> extraFlags, String mainClass) {
        List<String> command = new ArrayList<>();
        command.add(java);
        command.addAll(jvmFlags);
        command.addAll(extraFlags);
        command.add("-cp");
        command.add(classPath);
        command.add(mainClass);
        return command;
    }

    /** What a one-shot child printed (standard output and error) and how it ended (-1: killed). */
    record Output(int exitStatus, List<String> lines) {
        Optional<String> find(String prefix) {
            return lines.stream().filter(l -> l.startsWith(prefix)).findFirst();
        }

        String tail() {
            int from = Math.max(0, lines.size() - 5);
            return lines.isEmpty() ? "" : ": " + String.join(" | ", lines.subList(from, lines.size()));
        }
    }

    /** Runs a one-shot child to its end, or kills it after the timeout. */
    Output run(List<String> command, String what) throws IOException {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        p.getOutputStream().close();
        List<String> lines = new ArrayList<>();
        Thread reader = Thread.ofPlatform().daemon().name("bench-child-output").start(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
                String l;
                while ((l = r.readLine()) != null) {
                    synchronized (lines) {
                        lines.add(l);
                    }
                }
            } catch (IOException e) {
                // the child ended
            }
        });
        try {
            if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
                p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
                reader.join(TimeUnit.SECONDS.toMillis(5));
                synchronized (lines) {
                    lines.add("killed after " + timeoutSeconds + " s");
                }
                return new Output(-1, List.copyOf(lines));
            }
            reader.join(TimeUnit.SECONDS.toMillis(10));
        } catch (InterruptedException e) {
            p.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while waiting for " + what, e);
        }
        synchronized (lines) {
            return new Output(p.exitValue(), List.copyOf(lines));
        }
    }

    /** A running echo server child; {@link #close()} closes its standard input and waits for it to end. */
    record Server(Process process, int port, int fdLimit) implements AutoCloseable {
        /**
         * Whether {@code fds} more file descriptors fit below the server hub's fd limit (its JVM holds
         * about 60 of its own); always true for a hub without a limit.
         */
        boolean takes(int fds) {
            return fdLimit <= 0 || fds + 64 < fdLimit;
        }

        /** Why a run that {@link #takes} refuses is skipped. */
        String fdLimitReason() {
            return "the hub takes fds below " + fdLimit + " only";
        }

        @Override
        public void close() {
            try {
                process.getOutputStream().close();
                if (!process.waitFor(5, TimeUnit.SECONDS)) {
                    process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
                }
            } catch (IOException | InterruptedException e) {
                process.destroyForcibly();
                if (e instanceof InterruptedException) {
                    Thread.currentThread().interrupt();
                }
            }
        }
    }

    /**
     * Starts an echo server and waits until it prints {@code LISTENING <port> [<fd limit>]}.
     *
     * @param command the command
     * @param system what it is called, for messages
     * @param otherLines told every other line it prints before that
     * @return the running server
     * @throws IOException if it cannot be started, ends, or does not listen within 60 s (then it is killed)
     */
    Server startServer(List<String> command, String system, Consumer<String> otherLines) throws IOException {
        Process p = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        BlockingQueue<String> lines = new LinkedBlockingQueue<>();
        Thread.ofPlatform().daemon().name("bench-server-output").start(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
                String l;
                while ((l = r.readLine()) != null) {
                    lines.add(l);
                }
            } catch (IOException e) {
                // the server ended
            }
        });
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(SERVER_START_SECONDS);
        String last = null;
        try {
            while (System.nanoTime() < deadline) {
                String line = lines.poll(100, TimeUnit.MILLISECONDS);
                if (line == null) {
                    if (!p.isAlive() && lines.isEmpty()) {
                        break;
                    }
                    continue;
                }
                if (line.startsWith("LISTENING ")) {
                    String[] words = line.split(" ");
                    int limit = words.length > 2 ? Integer.parseInt(words[2]) : 0;
                    return new Server(p, Integer.parseInt(words[1]), limit);
                }
                last = line;
                otherLines.accept(line);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        p.destroyForcibly();
        throw new IOException("the " + system + " echo server did not start within " + SERVER_START_SECONDS + " s"
                + (last == null ? "" : ": " + last));
    }
}
