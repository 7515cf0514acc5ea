package dev.greenhub;

import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Command lines for a child JVM that runs a probe class of these tests the way this test JVM runs
 * them: on the module path (Surefire's default for a module with module-info.java: the test classes
 * patched into dev.greenhub.core) or on the class path. Without any JVM flag, so a probe shows what
 * a missing flag does; the flag it must name depends on where the core is.
 */
public final class ChildJvm {
    private ChildJvm() {
    }

    /**
     * The {@code --add-opens} flag the core names for a package in this test JVM's mode.
     *
     * @param pkg a package of java.base
     * @return {@code --add-opens java.base/PKG=dev.greenhub.core} on the module path,
     *     {@code ...=ALL-UNNAMED} on the class path
     */
    public static String addOpens(String pkg) {
        Module core = Scheduler.class.getModule();
        return "--add-opens java.base/" + pkg + "=" + (core.isNamed() ? core.getName() : "ALL-UNNAMED");
    }

    /**
     * A java command that runs {@code main} with no JVM flag.
     *
     * @param main a class of these tests with a main method
     * @return the command
     */
    public static List<String> command(Class<?> main) {
        List<String> command = new ArrayList<>();
        command.add(ProcessHandle.current().info().command().orElseThrow());
        Module core = Scheduler.class.getModule();
        if (core.isNamed()) {
            command.addAll(List.of("--module-path", System.getProperty("jdk.module.path"),
                    "--patch-module", core.getName() + "=" + location(main),
                    "-m", core.getName() + "/" + main.getName()));
        } else {
            command.addAll(List.of("-cp", System.getProperty("java.class.path"), main.getName()));
        }
        return command;
    }

    private static Path location(Class<?> type) {
        try {
            return Path.of(type.getProtectionDomain().getCodeSource().getLocation().toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }
}
