package dev.greenhub.example.customhub;

import dev.greenhub.nativeio.Fds;
import dev.greenhub.nativeio.Native;
import java.io.IOException;
import java.lang.reflect.Field;
import java.lang.reflect.InaccessibleObjectException;
import java.nio.channels.Selector;
import jnr.constants.platform.Fcntl;

/**
 * The wakeup pipe inside jnr-enxio's {@code PollSelector}, the selector jnr-enxio opens on Linux.
 *
 * <p>The hub reaches into the selector's private {@code pipefd} array because the selector, as of
 * jnr-enxio 0.32.20:
 * <ul>
 *   <li>ignores the result of {@code pipe(2)}: when the process is out of fds it builds a selector
 *       whose {@code wakeup()} silently writes to fd -1;</li>
 *   <li>opens the pipe blocking and without close-on-exec, so {@code wakeup()} could block on a
 *       full pipe, and the fds leak into child processes;</li>
 *   <li>retries {@code close(2)} on EINTR when it closes, which on Linux may close an fd that
 *       another thread has just been given.</li>
 * </ul>
 * So the hub checks the pipe, makes both ends non-blocking and close-on-exec, and closes them
 * itself, once, after taking them away from the selector.
 */
final class PollSelectorPipe {
    /** The class of the selector this works with. */
    static final String SELECTOR_CLASS = "jnr.enxio.channels.PollSelector";

    private static final int F_SETFD = Fcntl.F_SETFD.intValue();
    private static final int FD_CLOEXEC = 1;

    /** The selector's own array: {read end, write end}, -1 once taken away. */
    private final int[] pipefd;
    private final int readFd;
    private final int writeFd;

    private PollSelectorPipe(int[] pipefd) {
        this.pipefd = pipefd;
        this.readFd = pipefd[0];
        this.writeFd = pipefd[1];
    }

    /**
     * Finds the pipe of a freshly opened selector, checks that it exists, and makes both ends
     * non-blocking and close-on-exec.
     *
     * @param selector a selector from {@code NativeSelectorProvider.getInstance().openSelector()}
     * @return the pipe
     * @throws IOException if the selector is not a {@value #SELECTOR_CLASS}, its pipe could not be
     *     created, or the fds cannot be configured
     */
    static PollSelectorPipe of(Selector selector) throws IOException {
        Class<?> type = selector.getClass();
        if (!type.getName().equals(SELECTOR_CLASS)) {
            throw new IOException("jnr-enxio opened a " + type.getName() + "; the enxio hub works only with "
                    + SELECTOR_CLASS + ", the selector jnr-enxio uses on Linux");
        }
        int[] pipefd;
        try {
            Field field = type.getDeclaredField("pipefd");
            field.setAccessible(true);
            pipefd = (int[]) field.get(selector);
        } catch (NoSuchFieldException | IllegalAccessException | ClassCastException
                 | InaccessibleObjectException e) {
            throw new IOException("cannot reach the wakeup pipe of " + SELECTOR_CLASS + " (field int[] pipefd):"
                    + " this hub was written against jnr-enxio 0.32.20", e);
        }
        if (pipefd == null || pipefd.length != 2 || pipefd[0] < 0 || pipefd[1] < 0) {
            throw new IOException(SELECTOR_CLASS + " has no wakeup pipe: its pipe(2) call failed"
                    + " (open fds: " + Fds.openFdCount() + ", soft limit: " + Fds.fdLimit() + ")");
        }
        PollSelectorPipe pipe = new PollSelectorPipe(pipefd);
        for (int fd : new int[] {pipe.readFd, pipe.writeFd}) {
            Fds.setNonBlocking(fd);
            if (Native.libc().fcntl(fd, F_SETFD, FD_CLOEXEC) < 0) {
                throw Native.error("fcntl(fd " + fd + ", F_SETFD, FD_CLOEXEC)");
            }
        }
        return pipe;
    }

    /**
     * The read end, which the selector polls.
     *
     * @return the fd
     */
    int readFd() {
        return readFd;
    }

    /**
     * The write end, which {@code Selector.wakeup()} writes to.
     *
     * @return the fd
     */
    int writeFd() {
        return writeFd;
    }

    /**
     * Takes the pipe away from the selector, so that neither its {@code wakeup()} nor its
     * {@code close()} touches the fds any more. Call before closing the selector.
     */
    void detach() {
        pipefd[0] = -1;
        pipefd[1] = -1;
    }

    /** Closes both ends once, without retrying on EINTR. Call after {@link #detach()}. */
    void close() {
        Fds.closeQuietly(readFd, writeFd);
    }
}
