package dev.greenhub.bench;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * The C programs of W6, built at run time: the reference echo server {@code echo_server} and the
 * load generator {@code echo_load} (sources in {@code bench/src/main/c}, packaged as resources of
 * this class). Built with {@code gcc -O2} (or {@code cc}) into a temporary directory that is
 * deleted when the JVM exits. When no C compiler is found, {@link #build} says why and the suite
 * uses the Java load generator {@link EchoLoad} and no C server.
 *
 * @param echoServer the built echo server
 * @param echoLoad the built load generator
 * @param compiler the compiler used
 */
public record NativeTools(Path echoServer, Path echoLoad, String compiler) {
    private static final String RESOURCES = "c/";

    /** A build's outcome: the tools, or why there are none. */
    public record Build(Optional<NativeTools> tools, String note) {
    }

    /**
     * Builds both programs.
     *
     * @return the tools, or empty with the reason (no compiler, a compile error)
     */
    public static Build build() {
        String compiler = findCompiler();
        if (compiler == null) {
            return new Build(Optional.empty(), "no C compiler (gcc or cc) on the PATH: no C reference server;"
                    + " the Java load generator EchoLoad drives W6/W7");
        }
        try {
            Path dir = Files.createTempDirectory("greenhub-bench-c");
            dir.toFile().deleteOnExit();
            Path server = compile(compiler, dir, "echo_server");
            Path load = compile(compiler, dir, "echo_load");
            return new Build(Optional.of(new NativeTools(server, load, compiler)), "built with " + compiler + " -O2");
        } catch (IOException e) {
            return new Build(Optional.empty(), "building the C programs with " + compiler + " failed (" + e.getMessage()
                    + "): no C reference server; the Java load generator EchoLoad drives W6/W7");
        }
    }

    private static Path compile(String compiler, Path dir, String name) throws IOException {
        Path source = dir.resolve(name + ".c");
        try (InputStream in = NativeTools.class.getResourceAsStream(RESOURCES + name + ".c")) {
            if (in == null) {
                throw new IOException("the source " + name + ".c is not on the class path (bench's resources)");
            }
            Files.copy(in, source, StandardCopyOption.REPLACE_EXISTING);
        }
        Path binary = dir.resolve(name);
        source.toFile().deleteOnExit();
        binary.toFile().deleteOnExit();
        Process p = new ProcessBuilder(compiler, "-O2", "-o", binary.toString(), source.toString())
                .redirectErrorStream(true).start();
        p.getOutputStream().close();
        try {
            String output;
            try (InputStream in = p.getInputStream()) {
                output = new String(in.readAllBytes(), StandardCharsets.UTF_8).strip();
            }
            if (!p.waitFor(120, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IOException(compiler + " did not finish " + name + ".c within 120 s");
            }
            if (p.exitValue() != 0) {
                throw new IOException(compiler + " exited " + p.exitValue() + " on " + name + ".c: " + output);
            }
        } catch (InterruptedException e) {
            p.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while compiling " + name + ".c", e);
        }
        return binary;
    }

    /** The first of gcc, cc on the PATH, or null. */
    private static String findCompiler() {
        return onPath(List.of("gcc", "cc"));
    }

    /**
     * The first of {@code names} that is an executable file in a directory of the PATH.
     *
     * @param names program names
     * @return its absolute path, or null if none is found
     */
    static String onPath(List<String> names) {
        String path = System.getenv("PATH");
        if (path == null) {
            return null;
        }
        for (String name : names) {
            for (String dir : path.split(java.io.File.pathSeparator)) {
                if (dir.isEmpty()) {
                    continue;
                }
                Path candidate = Path.of(dir, name);
                if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
                    return candidate.toString();
                }
            }
        }
        return null;
    }
}
