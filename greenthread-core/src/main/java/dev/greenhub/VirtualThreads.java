package dev.greenhub;

import dev.greenhub.internal.JvmFlags;
import java.io.IOException;
import java.lang.reflect.Constructor;
import java.lang.reflect.InaccessibleObjectException;
import java.lang.reflect.InvocationTargetException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.SocketTimeoutException;
import java.util.concurrent.Executor;
import java.util.concurrent.ThreadFactory;

/**
 * The one place that touches the JDK's virtual-thread scheduler hook: the package-private
 * constructor {@code java.lang.ThreadBuilders.VirtualThreadBuilder(Executor scheduler)}, reached
 * by reflection. It is probed once, when this class initialises; every later use either works or
 * throws an {@link UnsupportedOperationException} whose message names the JVM flag to add.
 *
 * <p>It also starts the JDK's I/O pollers ({@code sun.nio.ch.Poller}) from a platform thread. The
 * pollers' static initialiser starts their threads with {@code Thread.ofVirtual()}, which inherits
 * the scheduler of the initialising thread when that thread is virtual: if a green thread did the
 * first blocking JDK socket call, the pollers would live on that hub's single carrier.
 */
final class VirtualThreads {
    private static final String BUILDER_CLASS = "java.lang.ThreadBuilders$VirtualThreadBuilder";
    private static final String POLLER_CLASS = "sun.nio.ch.Poller";

    private static final Constructor<?> CONSTRUCTOR;
    private static final String FAILURE;
    private static final Throwable FAILURE_CAUSE;
    private static boolean pollersStarted;

    static {
        Constructor<?> constructor = null;
        String failure = null;
        Throwable cause = null;
        try {
            Class<?> builder = Class.forName(BUILDER_CLASS);
            constructor = builder.getDeclaredConstructor(Executor.class);
            constructor.setAccessible(true);
            // One real construction, so that a JVM without continuation support fails here.
            Object probe = constructor.newInstance((Executor) Runnable::run);
            if (!(probe instanceof Thread.Builder.OfVirtual)) {
                throw new IllegalStateException(BUILDER_CLASS + " is not a Thread.Builder.OfVirtual");
            }
        } catch (InaccessibleObjectException e) {
            failure = JvmFlags.message("cannot start green threads: the virtual-thread scheduler hook "
                    + BUILDER_CLASS + "(Executor) is not open to greenhub", requiredFlag());
            cause = e;
        } catch (ClassNotFoundException | NoSuchMethodException e) {
            failure = "this JDK (" + Runtime.version() + ", " + System.getProperty("java.vendor")
                    + ") has no virtual-thread scheduler hook " + BUILDER_CLASS + "(Executor);"
                    + " greenhub needs a JDK 25 build that has it, run with " + requiredFlag();
            cause = e;
        } catch (InvocationTargetException e) {
            failure = "the virtual-thread scheduler hook " + BUILDER_CLASS + "(Executor) refused to"
                    + " work on this JVM (" + e.getCause() + "); virtual threads may be disabled"
                    + " (-XX:-VMContinuations); greenhub needs them, and the flag " + requiredFlag();
            cause = e.getCause();
        } catch (ReflectiveOperationException | RuntimeException | LinkageError e) {
            failure = "the virtual-thread scheduler hook " + BUILDER_CLASS + "(Executor) is unusable ("
                    + e + "); greenhub needs JDK 25 and the flag " + requiredFlag();
            cause = e;
        }
        CONSTRUCTOR = failure == null ? constructor : null;
        FAILURE = failure;
        FAILURE_CAUSE = cause;
    }

    private VirtualThreads() {
    }

    /**
     * The exact {@code --add-opens} flag greenhub needs, for the module this class is in.
     *
     * @return the flag, such as {@code --add-opens java.base/java.lang=ALL-UNNAMED}
     */
    static String requiredFlag() {
        return JvmFlags.addOpens("java.lang");
    }

    /**
     * Throws if the hook is unusable.
     *
     * @throws UnsupportedOperationException naming the flag to add, or what the JDK lacks
     */
    static void check() {
        if (FAILURE != null) {
            throw new UnsupportedOperationException(FAILURE, FAILURE_CAUSE);
        }
    }

    /**
     * The scheduler (an {@link Executor}) a virtual thread was built with, read from the JDK's
     * {@code VirtualThread.scheduler} field (java.lang is open to greenhub, as the builder needs),
     * or null when it cannot be read. Slow (reflection); for the rare lookups that need it.
     *
     * @param virtual a virtual thread
     * @return its scheduler, or null
     */
    static Executor schedulerOf(Thread virtual) {
        try {
            java.lang.reflect.Field f = virtual.getClass().getDeclaredField("scheduler");
            f.setAccessible(true);
            return f.get(virtual) instanceof Executor e ? e : null;
        } catch (ReflectiveOperationException | RuntimeException e) {
            return null;
        }
    }

    /**
     * A factory of unstarted virtual threads whose scheduler is {@code scheduler}, all named
     * {@code name}: one shared string, so that naming costs a spawn nothing (the JDK's numbered
     * names cost a counter update, a number format and two strings per thread); thread dumps tell
     * the threads apart by their ids.
     *
     * @param scheduler runs the threads' continuations
     * @param name the name of every thread it makes
     * @return a thread-safe factory
     * @throws UnsupportedOperationException as {@link #check()}
     */
    static ThreadFactory factory(Executor scheduler, String name) {
        check();
        try {
            Thread.Builder.OfVirtual builder = (Thread.Builder.OfVirtual) CONSTRUCTOR.newInstance(scheduler);
            return builder.name(name).factory();
        } catch (ReflectiveOperationException e) {
            throw new UnsupportedOperationException("the virtual-thread scheduler hook " + BUILDER_CLASS
                    + "(Executor) failed: " + e, e);
        }
    }

    /**
     * Initialises the JDK's I/O pollers from the calling platform thread, once per JVM, so that
     * their threads use the JDK's default scheduler and never a hub's carrier.
     *
     * @throws IllegalStateException if called from a virtual thread
     */
    static synchronized void startJdkPollers() {
        if (pollersStarted) {
            return;
        }
        if (Thread.currentThread().isVirtual()) {
            throw new IllegalStateException("the JDK I/O pollers must be started from a platform thread");
        }
        try {
            // The class's static initialiser starts the poller threads (JDK 21-25).
            Class.forName(POLLER_CLASS, true, null);
        } catch (ClassNotFoundException | LinkageError e) {
            startPollersThroughSocket();
        }
        runOneVirtualThreadToItsEnd();
        pollersStarted = true;
    }

    /**
     * Runs an empty virtual thread to its end, so that the classes the JDK's virtual-thread entry
     * uses when a thread ends (its end event) are loaded before C2 compiles that entry. Otherwise
     * a compilation made while many green threads are parked and none has ended yet leaves an
     * "unloaded class" trap there, and every one of those threads deoptimises when it ends.
     */
    private static void runOneVirtualThreadToItsEnd() {
        Thread t = Thread.ofVirtual().name("greenhub-first-end").start(() -> { });
        joinUninterruptibly(t);
    }

    private static void joinUninterruptibly(Thread t) {
        boolean interrupted = false;
        while (true) {
            try {
                t.join();
                break;
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    /** Fallback for a JDK without that class: a virtual thread of the default scheduler polls once. */
    private static void startPollersThroughSocket() {
        Thread poke = Thread.ofVirtual().name("greenhub-poller-start").start(() -> {
            try (ServerSocket server = new ServerSocket()) {
                server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 1);
                server.setSoTimeout(1);
                server.accept().close();
            } catch (SocketTimeoutException expected) {
                // the timed accept parked on the JDK poller, which is all we wanted
            } catch (IOException e) {
                System.getLogger("dev.greenhub").log(System.Logger.Level.WARNING,
                        "could not start the JDK I/O pollers from a platform thread", e);
            }
        });
        joinUninterruptibly(poke);
    }
}
