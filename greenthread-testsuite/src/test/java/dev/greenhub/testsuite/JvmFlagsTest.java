package dev.greenhub.testsuite;

import static org.assertj.core.api.Assertions.assertThat;

import dev.greenhub.Green;
import dev.greenhub.GreenThread;
import dev.greenhub.net.GreenNet;
import dev.greenhub.net.GreenServerSocket;
import dev.greenhub.net.GreenSocket;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The JVM flag set the README and the root POM document, proven one flag at a time: a child JVM
 * (core, the hubs on the class path) spawns a green thread and does a green echo on 127.0.0.1
 * with every flag but one. A required flag's absence fails the first use with a message naming
 * it (and every other missing one, in the same message); the recommended flag's absence leaves
 * everything working and the JDK warns on stderr naming it. Two flags once documented are not
 * needed at all: {@code --add-opens java.base/java.io} and
 * {@code --sun-misc-unsafe-memory-access=allow} (no hub uses sun.misc.Unsafe's memory access: the
 * JDK, which warns at the first such call, stays silent on every hub).
 */
class JvmFlagsTest {
    private static final String JAVA_LANG = "--add-opens java.base/java.lang=ALL-UNNAMED";
    private static final String SUN_NIO_CH = "--add-opens java.base/sun.nio.ch=ALL-UNNAMED";
    private static final String NATIVE_ACCESS = "--enable-native-access=ALL-UNNAMED";
    private static final List<String> ALL = List.of(NATIVE_ACCESS, JAVA_LANG, SUN_NIO_CH);

    @TempDir
    Path dir;

    @ParameterizedTest
    @ValueSource(strings = {"epoll", "poll", "select"})
    void withTheDocumentedFlagsEveryHubWorksWithoutAWarning(String hub) throws Exception {
        Child child = run(ALL, "-Dgreenhub.hub=" + hub);
        assertThat(child.exit).as(child.toString()).isZero();
        assertThat(child.out).as(child.toString()).contains("green thread ok").contains("echo ok");
        assertThat(child.err).as(child.toString()).doesNotContain("WARNING");
        assertThat(String.join(" ", ALL)).doesNotContain("java.io").doesNotContain("unsafe");
    }

    @Test
    void withoutJavaLangTheFirstUseFailsNamingIt() throws Exception {
        Child child = run(without(JAVA_LANG));
        assertThat(child.exit).as(child.toString()).isEqualTo(3);
        assertThat(child.out).as(child.toString()).contains("FAILED").contains(JAVA_LANG).doesNotContain(SUN_NIO_CH);
    }

    @Test
    void withoutSunNioChGreenSocketsFailNamingIt() throws Exception {
        Child child = run(without(SUN_NIO_CH));
        assertThat(child.exit).as(child.toString()).isEqualTo(3);
        assertThat(child.out).as(child.toString()).contains("green thread ok").contains("FAILED").contains(SUN_NIO_CH);
    }

    @Test
    void withoutBothOpensOneMessageNamesBoth() throws Exception {
        Child child = run(List.of(NATIVE_ACCESS));
        assertThat(child.exit).as(child.toString()).isEqualTo(3);
        assertThat(child.out).as(child.toString()).contains("FAILED")
                .contains(JAVA_LANG + " " + SUN_NIO_CH)
                .contains("Add-Opens: java.base/java.lang java.base/sun.nio.ch");
    }

    @Test
    void withoutNativeAccessEverythingWorksAndTheJdkWarnsNamingIt() throws Exception {
        Child child = run(without(NATIVE_ACCESS));
        assertThat(child.exit).as(child.toString()).isZero();
        assertThat(child.out).as(child.toString()).contains("echo ok");
        assertThat(child.err).as(child.toString()).contains("WARNING").contains(NATIVE_ACCESS);
    }

    private static List<String> without(String flag) {
        List<String> flags = new ArrayList<>(ALL);
        assertThat(flags.remove(flag)).isTrue();
        return flags;
    }

    private Child run(List<String> flags, String... properties) throws Exception {
        List<String> command = new ArrayList<>();
        command.add(ProcessHandle.current().info().command().orElseThrow());
        for (String flag : flags) {
            command.addAll(List.of(flag.split(" ")));
        }
        command.addAll(List.of(properties));
        command.addAll(List.of("-Xmx256m", "-cp", System.getProperty("java.class.path"), Probe.class.getName()));
        Path out = dir.resolve("out.txt");
        Path err = dir.resolve("err.txt");
        ProcessBuilder builder = new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(err.toFile());
        builder.environment().remove("JDK_JAVA_OPTIONS");
        builder.environment().remove("JAVA_TOOL_OPTIONS");
        Process p = builder.start();
        if (!p.waitFor(120, TimeUnit.SECONDS)) {
            p.destroyForcibly().waitFor();
            throw new AssertionError("the child JVM did not finish in 120 s: " + command);
        }
        return new Child(p.exitValue(), Files.readString(out), Files.readString(err), flags);
    }

    private record Child(int exit, String out, String err, List<String> flags) {
        @Override
        public String toString() {
            return "child JVM with " + flags + " exited " + exit + "\nstdout:\n" + out + "\nstderr:\n" + err;
        }
    }

    /** Run in the child JVM: a green thread, then a green echo on 127.0.0.1. Exit 3 on a failure. */
    public static final class Probe {
        public static void main(String[] args) {
            try {
                GreenThread<String> green = Green.spawn(() -> "green thread ok");
                System.out.println(green.get());
                try (GreenServerSocket server = GreenNet.listen(new InetSocketAddress("127.0.0.1", 0))) {
                    GreenThread<Void> echo = Green.spawn(() -> {
                        try (GreenSocket connection = server.accept()) {
                            ByteBuffer buffer = ByteBuffer.allocate(4);
                            connection.readFully(buffer);
                            connection.writeAll(buffer.flip());
                        }
                        return null;
                    });
                    try (GreenSocket client = GreenNet.connect(server.localAddress())) {
                        client.writeAll("ping".getBytes(StandardCharsets.US_ASCII));
                        ByteBuffer reply = ByteBuffer.allocate(4);
                        client.readFully(reply);
                        echo.get();
                        System.out.println("echo " + (new String(reply.array(), StandardCharsets.US_ASCII)
                                .equals("ping") ? "ok" : "wrong"));
                    }
                }
            } catch (RuntimeException | IOException e) {
                System.out.println("FAILED " + e);
                System.exit(3);
            }
        }
    }
}
