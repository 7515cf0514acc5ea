package dev.greenhub.nativeio;

import dev.greenhub.nativeio.libc.LibC;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.nio.channels.Channel;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import jnr.constants.platform.RLIMIT;
import jnr.posix.POSIX;
import jnr.posix.POSIXFactory;
import jnr.posix.RLimit;

/**
 * Small fd operations the hubs and the TCK share: pipes, socket pairs, non-blocking mode, closing,
 * checking that an fd is open, counting the process's open fds, and the process fd limit.
 */
public final class Fds {
    private static final int AF_UNIX = 1;
    private static final int SOCK_STREAM = 1;

    private Fds() {
    }

    /**
     * Creates a non-blocking, close-on-exec pipe.
     *
     * @return {read end, write end}
     * @throws IOException naming the errno on failure
     */
    public static int[] pipe() throws IOException {
        int[] fds = new int[2];
        if (Native.libc().pipe2(fds, Native.O_NONBLOCK | Native.O_CLOEXEC) != 0) {
            throw Native.error("pipe2(O_NONBLOCK|O_CLOEXEC)");
        }
        return fds;
    }

    /**
     * Creates a connected pair of non-blocking Unix stream sockets.
     *
     * @return the two ends
     * @throws IOException naming the errno on failure
     */
    public static int[] socketPair() throws IOException {
        int[] fds = new int[2];
        if (Native.libc().socketpair(AF_UNIX, SOCK_STREAM, 0, fds) != 0) {
            throw Native.error("socketpair(AF_UNIX, SOCK_STREAM)");
        }
        setNonBlocking(fds[0]);
        setNonBlocking(fds[1]);
        return fds;
    }

    /**
     * Puts an fd in non-blocking mode.
     *
     * @param fd the fd
     * @throws IOException naming the errno on failure
     */
    public static void setNonBlocking(int fd) throws IOException {
        LibC libc = Native.libc();
        int flags = libc.fcntl(fd, Native.F_GETFL, 0);
        if (flags < 0) {
            throw Native.error("fcntl(fd " + fd + ", F_GETFL)");
        }
        if ((flags & Native.O_NONBLOCK) == 0 && libc.fcntl(fd, Native.F_SETFL, flags | Native.O_NONBLOCK) < 0) {
            throw Native.error("fcntl(fd " + fd + ", F_SETFL, O_NONBLOCK)");
        }
    }

    /**
     * Whether {@code fd} is an open fd of this process.
     *
     * @param fd the fd
     * @return true if open
     */
    public static boolean isOpen(int fd) {
        return fd >= 0 && Native.libc().fcntl(fd, Native.F_GETFD, 0) >= 0;
    }

    /**
     * Closes an fd. Not retried on EINTR: Linux releases the fd whatever close returns.
     *
     * @param fd the fd
     * @throws IOException naming the errno, except for EINTR
     */
    public static void close(int fd) throws IOException {
        if (Native.libc().close(fd) != 0) {
            int errno = Native.errno();
            if (errno != Native.EINTR) {
                throw new ErrnoException("close(fd " + fd + ")", errno);
            }
        }
    }

    /**
     * Closes fds, ignoring errors (for cleanup paths).
     *
     * @param fds the fds; negative values are skipped
     */
    public static void closeQuietly(int... fds) {
        for (int fd : fds) {
            if (fd >= 0) {
                Native.libc().close(fd);
            }
        }
    }

    /**
     * Writes bytes to a non-blocking fd.
     *
     * @param fd the fd
     * @param data what to write
     * @return bytes written, or -1 on EAGAIN
     * @throws IOException naming the errno on any other failure
     */
    public static int write(int fd, byte[] data) throws IOException {
        long n = Native.libc().write(fd, data, data.length);
        if (n < 0) {
            int errno = Native.errno();
            if (errno == Native.EAGAIN) {
                return -1;
            }
            throw new ErrnoException("write(fd " + fd + ", " + data.length + " bytes)", errno);
        }
        return (int) n;
    }

    /**
     * Reads bytes from a non-blocking fd.
     *
     * @param fd the fd
     * @param into the buffer to fill
     * @return bytes read, 0 at end of stream, -1 on EAGAIN
     * @throws IOException naming the errno on any other failure
     */
    public static int read(int fd, byte[] into) throws IOException {
        long n = Native.libc().read(fd, into, into.length);
        if (n < 0) {
            int errno = Native.errno();
            if (errno == Native.EAGAIN) {
                return -1;
            }
            throw new ErrnoException("read(fd " + fd + ")", errno);
        }
        return (int) n;
    }

    /**
     * How many fds this process has open, counted from {@code /proc/self/fd} (the count includes
     * the directory stream's own fd, which is the same for every call).
     *
     * @return the count
     * @throws UnsupportedOperationException where there is no {@code /proc/self/fd}
     */
    public static int openFdCount() {
        Path dir = Path.of("/proc/self/fd");
        if (!Files.isDirectory(dir)) {
            throw new UnsupportedOperationException("no /proc/self/fd on this system");
        }
        int n = 0;
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(dir)) {
            for (Path ignored : entries) {
                n++;
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return n;
    }

    /**
     * The process's soft limit on open fds (RLIMIT_NOFILE).
     *
     * @return the soft limit
     */
    public static long fdLimit() {
        RLimit limit = posix().getrlimit(RLIMIT.RLIMIT_NOFILE.intValue());
        return limit.rlimCur();
    }

    /**
     * The process's hard limit on open fds (RLIMIT_NOFILE), the highest the soft limit can be
     * raised to without privileges.
     *
     * @return the hard limit; negative or {@link Long#MAX_VALUE} for no limit
     */
    public static long fdHardLimit() {
        return posix().getrlimit(RLIMIT.RLIMIT_NOFILE.intValue()).rlimMax();
    }

    /**
     * Raises the soft fd limit to at least {@code wanted}, as far as the hard limit allows.
     *
     * @param wanted the soft limit wanted
     * @return the soft limit now in force
     */
    public static long raiseFdLimit(long wanted) {
        POSIX posix = posix();
        int resource = RLIMIT.RLIMIT_NOFILE.intValue();
        RLimit limit = posix.getrlimit(resource);
        long soft = limit.rlimCur();
        long hard = limit.rlimMax();
        if (soft < wanted) {
            long target = hard < 0 ? wanted : Math.min(wanted, hard);
            if (target > soft) {
                posix.setrlimit(resource, target, hard);
            }
        }
        return posix.getrlimit(resource).rlimCur();
    }

    /**
     * The fd number behind a JDK channel (a socket or server-socket channel, a pipe end): every
     * selectable JDK channel implements {@code sun.nio.ch.SelChImpl.getFDVal()}, which this calls.
     * Needs {@code --add-opens java.base/sun.nio.ch=ALL-UNNAMED} (greenhub's JVM flags include it).
     *
     * @param channel an open selectable JDK channel
     * @return its fd
     * @throws IllegalStateException naming the missing flag if {@code sun.nio.ch} is not opened
     * @throws IllegalArgumentException if the channel is not one of the JDK's selectable channels
     */
    public static int fdOf(Channel channel) {
        Method getFdVal = SelChImplHolder.GET_FD_VAL;
        if (getFdVal == null) {
            throw new IllegalStateException("cannot read the fd of " + channel.getClass().getName() + " through "
                    + SelChImplHolder.INTERFACE + ".getFDVal(): add the JVM flag " + SelChImplHolder.FLAG,
                    SelChImplHolder.FAILURE);
        }
        if (!getFdVal.getDeclaringClass().isInstance(channel)) {
            throw new IllegalArgumentException(channel.getClass().getName() + " is not a JDK selectable channel ("
                    + SelChImplHolder.INTERFACE + ")");
        }
        try {
            return (int) getFdVal.invoke(channel);
        } catch (IllegalAccessException e) {
            throw new IllegalStateException("cannot read the fd of " + channel.getClass().getName()
                    + ": add the JVM flag " + SelChImplHolder.FLAG, e);
        } catch (InvocationTargetException e) {
            throw new IllegalStateException("reading the fd of " + channel + " failed", e.getCause());
        }
    }

    private static final class SelChImplHolder {
        static final String INTERFACE = "sun.nio.ch.SelChImpl";
        static final String FLAG = "--add-opens java.base/sun.nio.ch="
                + (Fds.class.getModule().isNamed() ? Fds.class.getModule().getName() : "ALL-UNNAMED");
        static final Method GET_FD_VAL;
        static final RuntimeException FAILURE;

        static {
            Method method = null;
            RuntimeException failure = null;
            try {
                method = Class.forName(INTERFACE, false, null).getMethod("getFDVal");
                method.setAccessible(true);
            } catch (ReflectiveOperationException | LinkageError e) {
                failure = new UnsupportedOperationException("this JDK (" + Runtime.version() + ") has no "
                        + INTERFACE + ".getFDVal()", e);
                method = null;
            } catch (RuntimeException e) {
                failure = e;
                method = null;
            }
            GET_FD_VAL = method;
            FAILURE = failure;
        }
    }

    private static POSIX posix() {
        return PosixHolder.POSIX;
    }

    private static final class PosixHolder {
        static final POSIX POSIX = POSIXFactory.getNativePOSIX();
    }
}
