package dev.greenhub.hub.select;

import jnr.ffi.LibraryLoader;
import jnr.ffi.Platform;
import jnr.ffi.types.u_int64_t;

/**
 * Interrupts one thread's system call with a signal: SIGPIPE, for which HotSpot installs a handler
 * that does nothing, so the signal makes select(2) fail with EINTR and has no other effect.
 */
final class Signals {
    private static final int SIGPIPE = 13;

    /** pthread_self and pthread_kill (in libc since glibc 2.34). */
    public interface Threads {
        @u_int64_t long pthread_self();

        int pthread_kill(@u_int64_t long thread, int signal);
    }

    private static final Threads THREADS = LibraryLoader.create(Threads.class)
            .load(Platform.getNativePlatform().getStandardCLibraryName());

    private Signals() {
    }

    static long self() {
        return THREADS.pthread_self();
    }

    static void sigpipe(long thread) {
        int rc = THREADS.pthread_kill(thread, SIGPIPE);
        if (rc != 0) {
            throw new IllegalStateException("pthread_kill(SIGPIPE) failed with " + rc);
        }
    }
}
