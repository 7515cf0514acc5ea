package dev.greenhub.hub.select;

import dev.greenhub.nativeio.Native;
import jnr.ffi.LibraryLoader;
import jnr.ffi.Platform;
import jnr.ffi.Pointer;

/**
 * select(2), bound with jnr-ffi on first use. The binding interface is public only because
 * jnr-ffi's generated implementation lives in another class loader and must be able to implement
 * it; this enclosing class keeps it out of the package's API.
 */
final class SelectLib {
    private SelectLib() {
    }

    /**
     * The system calls. errno is saved by every call: read it with {@link Native#errno()} straight
     * after a failed call, on the same thread.
     */
    public interface Calls {
        /**
         * select(2).
         *
         * @param nfds the highest fd in any set, plus one
         * @param readfds an {@code fd_set}, or null
         * @param writefds an {@code fd_set}, or null
         * @param exceptfds an {@code fd_set}, or null
         * @param timeout a {@code struct timeval}, or null for no limit
         * @return the number of ready bits, 0 on timeout, -1 on error (errno set)
         */
        int select(int nfds, Pointer readfds, Pointer writefds, Pointer exceptfds, Pointer timeout);
    }

    /**
     * The bound calls.
     *
     * @return the binding
     * @throws ExceptionInInitializerError (the first time) or NoClassDefFoundError if jnr-ffi
     *     cannot bind libc's select
     */
    static Calls calls() {
        return Holder.CALLS;
    }

    private static final class Holder {
        static final Calls CALLS = LibraryLoader.create(Calls.class)
                .load(Platform.getNativePlatform().getStandardCLibraryName());

        private Holder() {
        }
    }
}
