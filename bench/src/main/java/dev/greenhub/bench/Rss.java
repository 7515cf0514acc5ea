package dev.greenhub.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Resident memory of this process, from {@code /proc/self/status} (Linux). */
final class Rss {
    private static final Path STATUS = Path.of("/proc/self/status");

    private Rss() {
    }

    /** The current resident set size in bytes ({@code VmRSS}). */
    static long current() {
        return field("VmRSS:");
    }

    /** The peak resident set size in bytes so far ({@code VmHWM}). */
    static long peak() {
        return field("VmHWM:");
    }

    private static long field(String name) {
        try {
            for (String line : Files.readAllLines(STATUS)) {
                if (line.startsWith(name)) {
                    String[] parts = line.substring(name.length()).strip().split("\\s+");
                    if (parts.length != 2 || !parts[1].equals("kB")) {
                        throw new IllegalStateException("unexpected " + STATUS + " line: " + line);
                    }
                    return Long.parseLong(parts[0]) * 1024;
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + STATUS + " (resident memory is measured on Linux only)", e);
        }
        throw new IllegalStateException(STATUS + " has no " + name + " line");
    }
}
