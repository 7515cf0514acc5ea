package dev.greenhub.tck.selftest;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * The JVMs that run {@link MutationTest}'s rows: {@value #JVMS} at once (or {@code -Dselftest.jvms=N}),
 * each running one row at a time ({@link RowJvmMain}). Each JVM claims the next row not yet claimed
 * (in the order given), so the JVMs stay busy until the last rows; each row's verdict is a file,
 * {@code OK} or the row's assertion error with its stack trace. The broken hubs mostly wait (for
 * timeouts, watchdogs, R74's 7 s of silent polls): on two cores under a load average of 7.5 from
 * other builds, three JVMs took 91 s, two 125 s, and all rows in the test JVM 213 s. Two rows never
 * share a JVM at once: a rule's leak check reads the process's open fds, and some rules count on
 * reusing a closed fd's number.
 */
final class RowJvms implements AutoCloseable {
    /** How many rows run at once by default, each in a JVM of its own (more waiting than computing). */
    static final int JVMS = 3;
    /** The longest a row's verdict is awaited (the longest row takes about 25 s on a quiet machine). */
    static final int ROW_SECONDS = 300;

    private final Path dir;
    private final List<Process> processes;

    private RowJvms(Path dir, List<Process> processes) {
        this.dir = dir;
        this.processes = processes;
    }

    /**
     * Starts the JVMs.
     *
     * @param rows the indexes in {@link MutationTest#table()} of the rows to run, in the order to run them
     * @return the running JVMs
     * @throws IOException if a JVM cannot be started
     */
    static RowJvms start(List<Integer> rows) throws IOException {
        Path dir = Files.createTempDirectory("greenhub-mutants-");
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        for (String arg : ManagementFactory.getRuntimeMXBean().getInputArguments()) {
            if (arg.startsWith("--enable-native-access") || arg.startsWith("--add-opens")
                    || arg.startsWith("--sun-misc-unsafe-memory-access") || arg.startsWith("-Xmx")) {
                command.add(arg);
            }
        }
        String timeout = System.getProperty("junit.jupiter.execution.timeout.default");
        if (timeout != null) {
            command.add("-Djunit.jupiter.execution.timeout.default=" + timeout); // the rules' own, as here
        }
        command.addAll(List.of("-cp", System.getProperty("surefire.test.class.path", System.getProperty("java.class.path")),
                RowJvmMain.class.getName(), dir.toString()));
        rows.forEach(r -> command.add(Integer.toString(r)));
        int count = Integer.getInteger("selftest.jvms", JVMS);
        if (count < 1) {
            throw new IllegalArgumentException("-Dselftest.jvms must be at least 1: " + count);
        }
        List<Process> processes = new ArrayList<>();
        try {
            for (int i = 0; i < count && i < rows.size(); i++) {
                ProcessBuilder builder = new ProcessBuilder(command)
                        .redirectOutput(dir.resolve("jvm-" + i + ".out").toFile())
                        .redirectError(dir.resolve("jvm-" + i + ".err").toFile());
                Process process = builder.start();
                process.getOutputStream().close();
                processes.add(process);
            }
        } catch (IOException | RuntimeException e) {
            processes.forEach(Process::destroyForcibly);
            throw e;
        }
        return new RowJvms(dir, processes);
    }

    /**
     * Waits for a row's verdict and fails with the row's own assertion error unless it passed.
     *
     * @param row the row's index in {@link MutationTest#table()}
     * @param name the row's name, for the messages
     * @throws InterruptedException if interrupted while waiting
     * @throws IOException if the verdict cannot be read
     */
    void verdict(int row, String name) throws InterruptedException, IOException {
        Path verdict = dir.resolve("verdict-" + row);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(ROW_SECONDS);
        while (!Files.exists(verdict)) {
            if (processes.stream().noneMatch(Process::isAlive) && !Files.exists(verdict)) {
                throw new AssertionError("the JVMs running the rows ended with no verdict for " + name + logs());
            }
            if (System.nanoTime() - deadline > 0) {
                throw new AssertionError("no verdict for " + name + " after " + ROW_SECONDS + " s" + logs());
            }
            Thread.sleep(20);
        }
        String text = Files.readString(verdict);
        if (!text.equals(RowJvmMain.PASSED)) {
            throw new AssertionError(name + " (run in a JVM of its own):\n" + text);
        }
    }

    private String logs() {
        StringBuilder out = new StringBuilder();
        try (Stream<Path> files = Files.list(dir)) {
            for (Path log : files.filter(f -> f.toString().endsWith(".out") || f.toString().endsWith(".err")).sorted()
                    .toList()) {
                String text = Files.readString(log);
                out.append("\n--- ").append(log.getFileName()).append(":\n")
                        .append(text.length() > 4000 ? "..." + text.substring(text.length() - 4000) : text);
            }
        } catch (IOException e) {
            out.append("\n(cannot read the JVMs' output in ").append(dir).append(": ").append(e).append(')');
        }
        for (int i = 0; i < processes.size(); i++) {
            Process p = processes.get(i);
            out.append("\njvm-").append(i).append(p.isAlive() ? ": running" : ": exited with status " + p.exitValue());
        }
        return out.toString();
    }

    /** Ends the JVMs still running (after a failure) and removes the verdicts. */
    @Override
    public void close() {
        for (Process p : processes) {
            p.destroyForcibly();
        }
        for (Process p : processes) {
            try {
                p.waitFor(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path f : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(f);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot remove " + dir, e);
        }
    }
}
