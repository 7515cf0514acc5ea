package dev.greenhub.hub.poll;

import jnr.ffi.LibraryLoader;
import jnr.ffi.Platform;
import jnr.ffi.Pointer;
import jnr.ffi.types.size_t;

/** The poll(2) binding: loads it once and calls it with the platform's {@code nfds_t}. */
final class PollCall {
    /**
     * poll(2), bound with jnr-ffi. Every call saves errno: read it with
     * {@link dev.greenhub.nativeio.Native#errno()} straight after the call, on the same thread.
     *
     * <p>{@code nfds_t} is {@code unsigned long} on Linux (as wide as {@code size_t}) and
     * {@code unsigned int} on the BSDs and macOS, hence two overloads of one symbol.
     *
     * <p>Declared public only because jnr-ffi implements it in a class loader of its own, which must
     * be able to see it; nesting it in this package-private class keeps it out of the API.
     */
    public interface PollLib {
        /** poll(2) where {@code nfds_t} is {@code unsigned long}. */
        int poll(Pointer fds, @size_t long nfds, int timeout);

        /** poll(2) where {@code nfds_t} is {@code unsigned int}. */
        int poll(Pointer fds, int nfds, int timeout);
    }

    private static final boolean LONG_NFDS = Platform.getNativePlatform().getOS() == Platform.OS.LINUX;

    private static final class Holder {
        static final PollLib LIB;
        static final Throwable ERROR;

        static {
            PollLib lib = null;
            Throwable error = null;
            try {
                lib = LibraryLoader.create(PollLib.class)
                        .load(Platform.getNativePlatform().getStandardCLibraryName());
            } catch (Throwable t) {
                error = t;
            }
            LIB = lib;
            ERROR = error;
        }
    }

    private PollCall() {
    }

    /**
     * Why the binding could not be loaded.
     *
     * @return the failure, or null if it loaded
     */
    static Throwable loadError() {
        return Holder.ERROR;
    }

    /**
     * The binding.
     *
     * @return the binding
     * @throws UnsupportedOperationException if it could not be loaded, with the reason
     */
    static PollLib lib() {
        PollLib lib = Holder.LIB;
        if (lib == null) {
            throw new UnsupportedOperationException("could not bind poll(2) with jnr-ffi: " + Holder.ERROR,
                    Holder.ERROR);
        }
        return lib;
    }

    /**
     * poll(2). errno is saved when the result is negative; read it at once.
     *
     * @param lib the binding
     * @param fds the pollfd array
     * @param nfds how many entries to pass, no more than the array holds
     * @param timeoutMillis -1 for no limit
     * @return poll's result
     */
    static int poll(PollLib lib, Pointer fds, int nfds, int timeoutMillis) {
        return LONG_NFDS ? lib.poll(fds, (long) nfds, timeoutMillis) : lib.poll(fds, nfds, timeoutMillis);
    }
}
