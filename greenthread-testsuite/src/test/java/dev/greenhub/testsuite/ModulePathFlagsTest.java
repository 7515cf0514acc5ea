package dev.greenhub.testsuite;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.lang.module.ModuleFinder;
import java.lang.module.ModuleReference;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The README's module-path flag set, proven one flag at a time as {@link JvmFlagsTest} does for the
 * class path: a child JVM with greenhub's jars (here the reactor's module directories) and jnr's on
 * the module path as modules, the probe on the class path, only {@code --add-modules
 * dev.greenhub.core} as root. The hubs come in by service binding (hub-api {@code uses
 * HubProvider}, each hub {@code provides} it), ASM through hub-native's {@code requires}. On the
 * module path the JDK packages are opened to {@code dev.greenhub.core}, not ALL-UNNAMED, and
 * native access is enabled for jffi's module.
 */
class ModulePathFlagsTest {
    private static final String JAVA_LANG = "--add-opens java.base/java.lang=dev.greenhub.core";
    private static final String SUN_NIO_CH = "--add-opens java.base/sun.nio.ch=dev.greenhub.core";
    private static final String NATIVE_ACCESS = "--enable-native-access=org.jnrproject.jffi";
    private static final List<String> ALL = List.of(NATIVE_ACCESS, JAVA_LANG, SUN_NIO_CH);

    @TempDir
    Path dir;

    @ParameterizedTest
    @ValueSource(strings = {"epoll", "poll", "select"})
    void withTheModulePathFlagsEveryHubWorksAsANamedModuleWithoutAWarning(String hub) throws Exception {
        Child child = run(ALL, "-Dgreenhub.hub=" + hub);
        assertThat(child.exit).as(child.toString()).isZero();
        assertThat(child.out).as(child.toString())
                .contains("core module: dev.greenhub.core")
                .contains("hub module: dev.greenhub.hub." + hub)
                .contains("green thread ok").contains("echo ok");
        assertThat(child.err).as(child.toString()).doesNotContain("WARNING");
    }

    /** The JFR event classes live in the named core module: a recording run works there too. */
    @Test
    void aFlightRecordingWorksWithTheCoreAsANamedModule() throws Exception {
        Path jfr = dir.resolve("run.jfr");
        Child child = run(ALL, "-XX:StartFlightRecording:filename=" + jfr);
        assertThat(child.exit).as(child.toString()).isZero();
        assertThat(child.out).as(child.toString()).contains("echo ok");
        assertThat(jfr).as(child.toString()).exists();
    }

    @Test
    void theClassPathFlagsDoNotReachTheNamedCoreAndTheMessageNamesTheModulePathOnes() throws Exception {
        Child child = run(List.of(NATIVE_ACCESS, "--add-opens", "java.base/java.lang=ALL-UNNAMED",
                "--add-opens", "java.base/sun.nio.ch=ALL-UNNAMED"));
        assertThat(child.exit).as(child.toString()).isEqualTo(3);
        assertThat(child.out).as(child.toString()).contains("FAILED").contains(JAVA_LANG + " " + SUN_NIO_CH);
    }

    @Test
    void withoutJavaLangTheFirstUseFailsNamingIt() throws Exception {
        Child child = run(List.of(NATIVE_ACCESS, SUN_NIO_CH));
        assertThat(child.exit).as(child.toString()).isEqualTo(3);
        assertThat(child.out).as(child.toString()).contains("FAILED").contains(JAVA_LANG).doesNotContain(SUN_NIO_CH);
    }

    @Test
    void withoutSunNioChGreenSocketsFailNamingIt() throws Exception {
        Child child = run(List.of(NATIVE_ACCESS, JAVA_LANG));
        assertThat(child.exit).as(child.toString()).isEqualTo(3);
        assertThat(child.out).as(child.toString()).contains("green thread ok").contains("FAILED").contains(SUN_NIO_CH);
    }

    @Test
    void withoutNativeAccessEverythingWorksAndTheJdkWarnsNamingJffisModule() throws Exception {
        Child child = run(List.of(JAVA_LANG, SUN_NIO_CH));
        assertThat(child.exit).as(child.toString()).isZero();
        assertThat(child.out).as(child.toString()).contains("echo ok");
        assertThat(child.err).as(child.toString()).contains("WARNING").contains(NATIVE_ACCESS);
    }

    private Child run(List<String> flags, String... properties) throws Exception {
        List<String> modulePath = new ArrayList<>();
        List<String> classPath = new ArrayList<>();
        for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
            if (isGreenhubOrJnr(Path.of(entry))) {
                modulePath.add(entry);
            } else {
                classPath.add(entry);
            }
        }
        assertThat(modulePath).as("greenhub's modules on this test's class path").hasSizeGreaterThan(6);
        List<String> command = new ArrayList<>();
        command.add(ProcessHandle.current().info().command().orElseThrow());
        for (String flag : flags) {
            command.addAll(List.of(flag.split(" ")));
        }
        command.addAll(List.of(properties));
        command.addAll(List.of("-Xmx256m",
                "--module-path", String.join(File.pathSeparator, modulePath),
                "--add-modules", "dev.greenhub.core",
                "-cp", String.join(File.pathSeparator, classPath),
                ModuleProbe.class.getName()));
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

    /** greenhub's library modules (explicit modules named dev.greenhub.*), jnr, jffi and ASM. */
    private static boolean isGreenhubOrJnr(Path entry) {
        String name = entry.getFileName().toString();
        if (name.startsWith("jnr-") || name.startsWith("jffi-") || name.startsWith("asm-")) {
            return true;
        }
        if (!Files.exists(entry)) {
            return false;
        }
        Optional<String> module;
        try {
            module = ModuleFinder.of(entry).findAll().stream().map(ModuleReference::descriptor)
                    .filter(d -> !d.isAutomatic()).map(d -> d.name()).findFirst();
        } catch (RuntimeException e) {
            return false;
        }
        return module.filter(m -> m.startsWith("dev.greenhub.") && !m.equals("dev.greenhub.tck")).isPresent();
    }

    private record Child(int exit, String out, String err, List<String> flags) {
        @Override
        public String toString() {
            return "child JVM (module path) with " + flags + " exited " + exit + "\nstdout:\n" + out
                    + "\nstderr:\n" + err;
        }
    }

    /** Run in the child JVM, on the class path: says where the core and the hub are, then runs JvmFlagsTest's probe. */
    public static final class ModuleProbe {
        public static void main(String[] args) {
            System.out.println("core module: " + dev.greenhub.Green.class.getModule().getName());
            dev.greenhub.hub.Hubs.providers().stream()
                    .filter(row -> row.name().equals(System.getProperty("greenhub.hub", "epoll")))
                    .flatMap(row -> row.provider().stream())
                    .forEach(p -> System.out.println("hub module: " + p.getClass().getModule().getName()));
            JvmFlagsTest.Probe.main(args);
        }
    }
}
