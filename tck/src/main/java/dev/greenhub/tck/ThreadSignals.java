package dev.greenhub.tck;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import jnr.ffi.LibraryLoader;
import jnr.ffi.Platform;

/**
 * Interrupts the system call of one thread with a signal, as a signal aimed at the polling thread
 * does in a real program: the call fails with EINTR and the hub must retry it with the time left.
 * The signal is SIGWINCH with a Java handler that does nothing: the JVM's native handler for a
 * signal with a Java handler only interrupts the system call of the thread the signal is aimed at.
 * The handler is installed through {@code sun.misc.Signal} (module jdk.unsupported), reached by
 * reflection so that the kit compiles without warnings about internal API.
 *
 * <p>Used by the kit's EINTR rule; a hub's own tests may use it too. {@link #install()} and
 * {@link #close()} are not thread-safe (one user at a time); {@link #interrupt(long)} is.
 */
public final class ThreadSignals implements AutoCloseable {
    private static final int SIGWINCH = 28;
    private static final String SIGNAL = "sun.misc.Signal";
    private static final String HANDLER = "sun.misc.SignalHandler";

    /** pthread calls for aiming a signal at one thread. */
    public interface Threads {
        /**
         * The calling thread's pthread id.
         *
         * @return the id
         */
        long pthread_self();

        /**
         * Sends {@code signal} to {@code thread}.
         *
         * @param thread a pthread id
         * @param signal a signal number
         * @return 0, or an errno value
         */
        int pthread_kill(long thread, int signal);
    }

    private static final class Lib {
        static final Threads THREADS = LibraryLoader.create(Threads.class)
                .load(Platform.getNativePlatform().getStandardCLibraryName());
    }

    private final Object previous;
    private boolean closed;

    private ThreadSignals(Object previous) {
        this.previous = previous;
    }

    /**
     * Installs a no-op Java handler for SIGWINCH until {@link #close()}, so that the signal
     * interrupts system calls instead of being ignored.
     *
     * @return the installed signals; close them to restore the previous handler
     */
    public static ThreadSignals install() {
        try {
            Class<?> handlerType = Class.forName(HANDLER);
            InvocationHandler ignore = (proxy, method, args) -> switch (method.getName()) {
                case "handle" -> null;
                case "hashCode" -> System.identityHashCode(proxy);
                case "equals" -> proxy == args[0];
                default -> "no-op SIGWINCH handler of the greenhub TCK";
            };
            Object noOp = Proxy.newProxyInstance(ThreadSignals.class.getClassLoader(), new Class<?>[] {handlerType},
                    ignore);
            return new ThreadSignals(handle(noOp));
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("cannot install a SIGWINCH handler through " + SIGNAL + ": " + e, e);
        }
    }

    private static Object handle(Object handler) throws ReflectiveOperationException {
        Class<?> signalType = Class.forName(SIGNAL);
        Object winch = signalType.getConstructor(String.class).newInstance("WINCH");
        Method handle = signalType.getMethod("handle", signalType, Class.forName(HANDLER));
        return handle.invoke(null, winch, handler);
    }

    /**
     * The calling thread's id, for {@link #interrupt(long)}.
     *
     * @return the pthread id of the calling thread
     */
    public static long currentThread() {
        return Lib.THREADS.pthread_self();
    }

    /**
     * Aims SIGWINCH at {@code thread}: a system call it is blocked in fails with EINTR.
     *
     * @param thread a pthread id from {@link #currentThread()}, of a thread still alive
     * @throws IllegalStateException if the signal could not be sent
     */
    public void interrupt(long thread) {
        int rc = Lib.THREADS.pthread_kill(thread, SIGWINCH);
        if (rc != 0) {
            throw new IllegalStateException("pthread_kill(" + thread + ", SIGWINCH) failed with errno " + rc);
        }
    }

    /** Restores the previous SIGWINCH handler. Idempotent. */
    @Override
    public void close() {
        if (!closed) {
            closed = true;
            try {
                handle(previous);
            } catch (ReflectiveOperationException e) {
                throw new IllegalStateException("cannot restore the SIGWINCH handler: " + e, e);
            }
        }
    }
}
