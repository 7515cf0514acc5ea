package dev.greenhub.internal;

import java.util.ArrayList;
import java.util.List;

/**
 * The JVM flags greenhub's core cannot work without, checked together so that the first failure
 * names every missing one at once (not one per run). Not API: internal to greenthread-core.
 *
 * <p>The two required flags open JDK internals to the module greenhub is in
 * ({@code ALL-UNNAMED} on the class path, {@code dev.greenhub.core} on the module path):
 * <ul>
 * <li>{@code --add-opens java.base/java.lang=...}: green threads are virtual threads built with
 *     the JDK's package-private {@code ThreadBuilders.VirtualThreadBuilder(Executor)}, whose
 *     executor is the hub loop;</li>
 * <li>{@code --add-opens java.base/sun.nio.ch=...}: green sockets read the fd of a JDK socket
 *     channel with {@code sun.nio.ch.SelChImpl.getFDVal()} to register it with the hub.</li>
 * </ul>
 * An executable jar can carry both in its manifest instead ({@code Add-Opens: java.base/java.lang
 * java.base/sun.nio.ch}).
 */
public final class JvmFlags {
    private static final String[] PACKAGES = {"java.lang", "sun.nio.ch"};

    private JvmFlags() {
    }

    /**
     * The {@code --add-opens} flag that opens {@code pkg} of {@code java.base} to greenhub's core.
     *
     * @param pkg a package of {@code java.base}, such as {@code java.lang}
     * @return the flag, such as {@code --add-opens java.base/java.lang=ALL-UNNAMED}
     */
    public static String addOpens(String pkg) {
        Module core = JvmFlags.class.getModule();
        return "--add-opens java.base/" + pkg + "=" + (core.isNamed() ? core.getName() : "ALL-UNNAMED");
    }

    /**
     * Every required flag this JVM was started without, in a fixed order.
     *
     * @return the missing flags, empty when none is missing
     */
    public static List<String> missing() {
        Module javaBase = Object.class.getModule();
        Module core = JvmFlags.class.getModule();
        List<String> missing = new ArrayList<>(PACKAGES.length);
        for (String pkg : PACKAGES) {
            if (!javaBase.isOpen(pkg, core)) {
                missing.add(addOpens(pkg));
            }
        }
        return missing;
    }

    /**
     * The message for a failure caused by a missing flag: what failed, then every missing flag (so
     * that one run tells them all) and the ways to pass them.
     *
     * @param failure what could not work and why, such as {@code "cannot start green threads:
     *        java.lang is not open to greenhub"}
     * @param flag the flag whose absence was detected; named even if {@link #missing()} does not
     *        list it
     * @return the message
     */
    public static String message(String failure, String flag) {
        List<String> flags = missing();
        if (!flags.contains(flag)) {
            flags.add(0, flag);
        }
        StringBuilder manifest = new StringBuilder();
        for (String f : flags) {
            manifest.append(manifest.isEmpty() ? "" : " ").append(f, f.indexOf(' ') + 1, f.lastIndexOf('='));
        }
        boolean many = flags.size() > 1;
        return failure + "; greenhub needs the JVM flag" + (many ? "s " : " ") + String.join(" ", flags)
                + ": add " + (many ? "them" : "it") + " to the java command line or to JDK_JAVA_OPTIONS,"
                + " or, for an executable jar, put 'Add-Opens: " + manifest + "' in its manifest";
    }
}
