package dev.greenhub.nativeio;

import jnr.ffi.Platform;

/**
 * Sizes and offsets of the kernel structs the hubs fill in, computed for the CPU this JVM runs on.
 */
public final class StructLayout {
    /**
     * {@code sizeof(struct epoll_event)}: the struct is declared packed on x86_64 (12 bytes:
     * a 4-byte events field and an 8-byte data union with no padding) and naturally aligned
     * elsewhere (16 bytes).
     */
    public static final int EPOLL_EVENT_SIZE;
    /** Offset of {@code epoll_event.data} (4 on x86_64, 8 elsewhere). */
    public static final int EPOLL_EVENT_DATA_OFFSET;
    /** {@code sizeof(struct pollfd)}: int fd, short events, short revents. */
    public static final int POLLFD_SIZE = 8;
    /** Offset of {@code pollfd.events}. */
    public static final int POLLFD_EVENTS_OFFSET = 4;
    /** Offset of {@code pollfd.revents}. */
    public static final int POLLFD_REVENTS_OFFSET = 6;
    /** select(2)'s FD_SETSIZE: the fds an {@code fd_set} can hold are 0 to 1023. */
    public static final int FD_SETSIZE = 1024;
    /** {@code sizeof(fd_set)}: FD_SETSIZE bits. */
    public static final int FD_SET_BYTES = FD_SETSIZE / 8;

    static {
        boolean packed = isX86_64(Platform.getNativePlatform().getCPU());
        EPOLL_EVENT_SIZE = packed ? 12 : 16;
        EPOLL_EVENT_DATA_OFFSET = packed ? 4 : 8;
    }

    private StructLayout() {
    }

    static boolean isX86_64(Platform.CPU cpu) {
        return cpu == Platform.CPU.X86_64;
    }
}
