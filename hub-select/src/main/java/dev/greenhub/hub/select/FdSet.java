package dev.greenhub.hub.select;

import dev.greenhub.nativeio.NativeBuffer;
import dev.greenhub.nativeio.StructLayout;
import jnr.ffi.Pointer;

/**
 * One {@code fd_set} of select(2): a master bitmap kept in Java and a native working copy that
 * select overwrites with its result. fd n is bit {@code n % 64} of the 64-bit word {@code n / 64},
 * which is the kernel's layout on every LP64 Linux whatever the byte order.
 *
 * <p>Every fd is checked against FD_SETSIZE before a bit is touched, so even a bug elsewhere in the
 * hub cannot set a bit outside the 128 bytes of an {@code fd_set}.
 */
final class FdSet implements AutoCloseable {
    /** 64-bit words in an {@code fd_set}. */
    static final int WORDS = StructLayout.FD_SET_BYTES / Long.BYTES;

    private final long[] master = new long[WORDS];
    private final NativeBuffer working;

    FdSet() {
        working = NativeBuffer.allocate(StructLayout.FD_SET_BYTES);
    }

    /**
     * Checks that an fd fits in an {@code fd_set}.
     *
     * @param fd the fd
     * @return its word index
     * @throws IllegalArgumentException if it is negative or not below FD_SETSIZE
     */
    static int wordOf(int fd) {
        if (fd < 0 || fd >= StructLayout.FD_SETSIZE) {
            throw new IllegalArgumentException("fd " + fd + " does not fit in an fd_set: select(2) takes fds 0 to "
                    + (StructLayout.FD_SETSIZE - 1) + " (FD_SETSIZE " + StructLayout.FD_SETSIZE + ")");
        }
        return fd >>> 6;
    }

    /**
     * Checks that an fd fits in an {@code fd_set}.
     *
     * @param fd the fd
     * @throws IllegalArgumentException if it is negative or not below FD_SETSIZE
     */
    static void check(int fd) {
        wordOf(fd);
    }

    /**
     * How many words cover fds 0 to {@code nfds - 1}.
     *
     * @param nfds the highest fd plus one
     * @return the word count
     */
    static int wordsFor(int nfds) {
        return (nfds + Long.SIZE - 1) >>> 6;
    }

    void add(int fd) {
        master[wordOf(fd)] |= 1L << (fd & 63);
    }

    void remove(int fd) {
        master[wordOf(fd)] &= ~(1L << (fd & 63));
    }

    boolean contains(int fd) {
        return (master[wordOf(fd)] & (1L << (fd & 63))) != 0;
    }

    /**
     * The master bitmap's word at an index.
     *
     * @param word the index
     * @return the bits
     */
    long masterWord(int word) {
        return master[word];
    }

    /**
     * Copies the master words that cover {@code nfds} into the native set, for one select call.
     *
     * @param nfds the nfds the call is given
     * @return the native set
     */
    Pointer load(int nfds) {
        int words = wordsFor(nfds);
        for (int i = 0; i < words; i++) {
            working.putLong((long) i * Long.BYTES, master[i]);
        }
        return working.pointer();
    }

    /**
     * A word of the native set as select left it.
     *
     * @param word the index
     * @return the ready bits
     */
    long resultWord(int word) {
        return working.getLong((long) word * Long.BYTES);
    }

    @Override
    public void close() {
        working.close();
    }
}
