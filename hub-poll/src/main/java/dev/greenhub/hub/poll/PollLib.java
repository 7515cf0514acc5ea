package dev.greenhub.hub.poll;

import jnr.ffi.Pointer;
import jnr.ffi.types.size_t;

/**
 * poll(2), bound with jnr-ffi (loaded by {@link PollCall}). Every call saves errno: read it with
 * {@link dev.greenhub.nativeio.Native#errno()} straight after the call, on the same thread.
 *
 * <p>{@code nfds_t} is {@code unsigned long} on Linux (as wide as {@code size_t}) and
 * {@code unsigned int} on the BSDs and macOS, hence the two overloads of one symbol.
 */
interface PollLib {
    /** poll(2) where {@code nfds_t} is {@code unsigned long}. */
    int poll(Pointer fds, @size_t long nfds, int timeout);

    /** poll(2) where {@code nfds_t} is {@code unsigned int}. */
    int poll(Pointer fds, int nfds, int timeout);
}
