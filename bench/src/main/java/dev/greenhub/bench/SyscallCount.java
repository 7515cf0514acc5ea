package dev.greenhub.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

/**
 * Counts the system calls of a running server with {@code strace -c -f -p PID} (every thread of
 * the process, attached while a short load runs, detached after it), for W6's syscalls per
 * request. strace slows every call down, so the rate of such a run means nothing; the count per
 * request does (JVM background threads add a few hundred calls in all, which a run of thousands
 * of requests makes small).
 */
final class SyscallCount implements AutoCloseable {
    private static final long ATTACH_MILLIS = 1500;
    private final Process strace;
    private final Path output;

    private SyscallCount(Process strace, Path output) {
        this.strace = strace;
        this.output = output;
    }

    /** @return the path of strace, or null when it is not installed */
    static String strace() {
        return NativeTools.onPath(List.of("strace"));
    }

    /**
     * Attaches to every thread of {@code pid}.
     *
     * @param straceBinary strace's path
     * @param pid the process
     * @return the counter, counting
     * @throws IOException if strace cannot be started or exits at once (no permission to trace)
     */
    static SyscallCount attach(String straceBinary, long pid) throws IOException {
        Path output = Files.createTempFile("greenhub-strace", ".txt");
        Process p = new ProcessBuilder(straceBinary, "-c", "-f", "-o", output.toString(), "-p", Long.toString(pid))
                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        p.getOutputStream().close();
        try {
            if (p.waitFor(ATTACH_MILLIS, TimeUnit.MILLISECONDS)) {
                Files.deleteIfExists(output);
                throw new IOException("strace -p " + pid + " exited with status " + p.exitValue()
                        + " at once (is ptrace allowed here?)");
            }
        } catch (InterruptedException e) {
            p.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while strace attached", e);
        }
        return new SyscallCount(p, output);
    }

    /**
     * Detaches and reads strace's summary.
     *
     * @return calls per syscall name, in strace's order (most time first)
     * @throws IOException if strace does not finish or its summary cannot be read
     */
    Map<String, Long> finish() throws IOException {
        strace.destroy();
        try {
            if (!strace.waitFor(30, TimeUnit.SECONDS)) {
                strace.destroyForcibly();
                throw new IOException("strace did not detach within 30 s");
            }
        } catch (InterruptedException e) {
            strace.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while strace detached", e);
        }
        return parse(Files.readAllLines(output, StandardCharsets.UTF_8));
    }

    /**
     * Parses the table of {@code strace -c}: lines {@code % time, seconds, usecs/call, calls,
     * errors, syscall}, the errors column sometimes empty; the {@code total} line is left out.
     *
     * @param lines strace's summary
     * @return calls per syscall
     */
    static Map<String, Long> parse(List<String> lines) {
        Map<String, Long> calls = new LinkedHashMap<>();
        for (String line : lines) {
            String[] w = line.strip().split("\\s+");
            if (w.length < 5 || !Character.isDigit(w[0].charAt(0))) {
                continue;
            }
            String name = w[w.length - 1];
            if (name.equals("total")) {
                continue;
            }
            try {
                calls.merge(name, Long.parseLong(w[3]), Long::sum);
            } catch (NumberFormatException e) {
                // not a row of the table
            }
        }
        return calls;
    }

    /**
     * The metrics of one counted run: calls per request in all and for the calls of the echo path.
     *
     * @param calls calls per syscall
     * @param requests requests served while counting
     * @return metrics {@code syscalls_per_request}, then {@code <name>_per_request} for each call
     *     made at least 0.01 times per request, and {@code requests}
     */
    static Map<String, String> perRequest(Map<String, Long> calls, long requests) {
        Map<String, String> m = new LinkedHashMap<>();
        long total = calls.values().stream().mapToLong(Long::longValue).sum();
        double n = Math.max(1, requests);
        m.put("syscalls_per_request", String.format(java.util.Locale.ROOT, "%.3f", total / n));
        Map<String, Long> sorted = new TreeMap<>(calls);
        sorted.forEach((name, count) -> {
            if (count / n >= 0.01) {
                m.put(name + "_per_request", String.format(java.util.Locale.ROOT, "%.3f", count / n));
            }
        });
        m.put("requests", Long.toString(requests));
        m.put("syscalls", Long.toString(total));
        return m;
    }

    @Override
    public void close() {
        strace.destroyForcibly();
        try {
            Files.deleteIfExists(output);
        } catch (IOException e) {
            // a temporary file left behind
        }
    }
}
