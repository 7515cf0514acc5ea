package dev.greenhub.hub.poll;

import jnr.ffi.LibraryLoader;
import jnr.ffi.Platform;
import jnr.ffi.types.u_int64_t;

/**
 * Sends SIGPIPE to one thread, to interrupt its poll(2) with EINTR. HotSpot installs a handler for
 * SIGPIPE that ignores it, so the signal interrupts the call and does nothing else.
 */
final class Signals {
    private static final int SIGPIPE = 13;

    /** The pthread calls the test needs (in libc since glibc 2.34). */
    public interface PThreads {
        @u_int64_t long pthread_self();

        int pthread_kill(@u_int64_t long thread, int sig);
    }

    private static final PThreads LIB = LibraryLoader.create(PThreads.class)
            .load(Platform.getNativePlatform().getStandardCLibraryName());

    private Signals() {
    }

    static long currentThread() {
        return LIB.pthread_self();
    }

    static void sendSigpipe(long thread) {
        int rc = LIB.pthread_kill(thread, SIGPIPE);
        if (rc != 0) {
            throw new IllegalStateException("pthread_kill(SIGPIPE) failed: " + rc);
        }
    }
}
