package dev.greenhub.nativeio;

import dev.greenhub.nativeio.libc.LibC;
import jnr.constants.platform.Errno;
import jnr.constants.platform.Fcntl;
import jnr.constants.platform.OpenFlags;
import jnr.ffi.LibraryLoader;
import jnr.ffi.Platform;
import jnr.ffi.Runtime;

/**
 * The loaded libc and the platform facts the hubs need. Loading happens on first use; if it fails
 * (no jffi native stub for this platform, a JVM without native access), {@link #loadError()} says
 * why and every hub's availability probe reports it.
 */
public final class Native {
    /** errno EINTR: a call interrupted by a signal. */
    public static final int EINTR = Errno.EINTR.intValue();
    /** errno EAGAIN / EWOULDBLOCK. */
    public static final int EAGAIN = Errno.EAGAIN.intValue();
    /** errno EBADF: not an open fd. */
    public static final int EBADF = Errno.EBADF.intValue();
    /** errno ENOENT. */
    public static final int ENOENT = Errno.ENOENT.intValue();
    /** errno EEXIST. */
    public static final int EEXIST = Errno.EEXIST.intValue();
    /** errno EINVAL. */
    public static final int EINVAL = Errno.EINVAL.intValue();
    /** errno EPERM. */
    public static final int EPERM = Errno.EPERM.intValue();
    /** errno ENOSYS. */
    public static final int ENOSYS = Errno.ENOSYS.intValue();
    /** errno EMFILE. */
    public static final int EMFILE = Errno.EMFILE.intValue();

    /** open flag O_NONBLOCK. */
    public static final int O_NONBLOCK = OpenFlags.O_NONBLOCK.intValue();
    /** open flag O_CLOEXEC (Linux value where jnr-constants does not know it). */
    public static final int O_CLOEXEC = OpenFlags.O_CLOEXEC.defined() ? OpenFlags.O_CLOEXEC.intValue() : 02000000;
    /** fcntl F_GETFD. */
    public static final int F_GETFD = Fcntl.F_GETFD.intValue();
    /** fcntl F_GETFL. */
    public static final int F_GETFL = Fcntl.F_GETFL.intValue();
    /** fcntl F_SETFL. */
    public static final int F_SETFL = Fcntl.F_SETFL.intValue();

    private static final class Holder {
        static final LibC LIBC;
        static final Runtime RUNTIME;
        static final Throwable ERROR;

        static {
            LibC libc = null;
            Runtime runtime = null;
            Throwable error = null;
            try {
                libc = LibraryLoader.create(LibC.class).load(Platform.getNativePlatform().getStandardCLibraryName());
                runtime = Runtime.getRuntime(libc);
            } catch (Throwable t) {
                error = t;
            }
            LIBC = libc;
            RUNTIME = runtime;
            ERROR = error;
        }
    }

    private Native() {
    }

    /**
     * Why libc could not be bound, or null if it was.
     *
     * @return the failure, or null
     */
    public static Throwable loadError() {
        return Holder.ERROR;
    }

    /**
     * The bound libc.
     *
     * @return libc
     * @throws UnsupportedOperationException if it could not be loaded, with the reason
     */
    public static LibC libc() {
        LibC libc = Holder.LIBC;
        if (libc == null) {
            throw new UnsupportedOperationException("greenhub could not bind libc with jnr-ffi: "
                    + Holder.ERROR, Holder.ERROR);
        }
        return libc;
    }

    /**
     * The jnr runtime libc was loaded into.
     *
     * @return the runtime
     */
    public static Runtime runtime() {
        libc();
        return Holder.RUNTIME;
    }

    /**
     * The errno the last native call on this thread saved. Read it straight after the call.
     *
     * @return errno
     */
    public static int errno() {
        return Holder.RUNTIME.getLastError();
    }

    /**
     * An exception for the call that just failed on this thread, with the saved errno.
     *
     * @param call the call and its arguments, as in {@code "epoll_wait(epfd 5)"}
     * @return the exception, to throw
     */
    public static ErrnoException error(String call) {
        return new ErrnoException(call, errno());
    }

    /**
     * The symbolic name of an errno value, such as {@code "EBADF"}.
     *
     * @param errno the value
     * @return its name, or {@code "errno N"} if unknown
     */
    public static String errnoName(int errno) {
        Errno e = Errno.valueOf(errno);
        return e == null || e == Errno.__UNKNOWN_CONSTANT__ ? "errno " + errno : e.name();
    }

    /**
     * The C library's description of an errno value.
     *
     * @param errno the value
     * @return the description
     */
    public static String strerror(int errno) {
        Errno e = Errno.valueOf(errno);
        if (e != null && e != Errno.__UNKNOWN_CONSTANT__) {
            return e.description();
        }
        return "unknown error";
    }

    /**
     * Whether this is Linux.
     *
     * @return true on Linux
     */
    public static boolean isLinux() {
        return Platform.getNativePlatform().getOS() == Platform.OS.LINUX;
    }

    /**
     * The CPU name as jnr sees it, such as {@code "x86_64"} or {@code "aarch64"}.
     *
     * @return the CPU name
     */
    public static String cpu() {
        return Platform.getNativePlatform().getCPU().toString();
    }
}
