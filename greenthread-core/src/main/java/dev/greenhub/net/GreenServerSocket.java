package dev.greenhub.net;

import dev.greenhub.Green;
import dev.greenhub.IoClosedException;
import dev.greenhub.IoTimeoutException;
import dev.greenhub.Scheduler;
import dev.greenhub.hub.Readiness;
import dev.greenhub.internal.FdWaits;
import java.io.Closeable;
import java.io.IOException;
import java.net.Inet6Address;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.SocketOption;
import java.net.SocketTimeoutException;
import java.net.StandardProtocolFamily;
import java.net.StandardSocketOptions;
import java.nio.channels.AsynchronousCloseException;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.net.UnixDomainSocketAddress;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;

/**
 * A listening stream socket (TCP, or Unix-domain on a socket file) whose {@link #accept()} parks
 * only the calling green thread: a
 * non-blocking {@link ServerSocketChannel} waited on through the hub of the {@link Scheduler} it
 * belongs to. Made by {@link GreenNet#listen}.
 *
 * <h2>Running out of fds</h2>
 * When accepting fails because the process or the system is out of file descriptors (EMFILE,
 * ENFILE: "Too many open files"), {@link #accept()} neither fails nor spins: it logs one warning
 * (logger {@code dev.greenhub.net}), then retries with a growing pause (5 ms doubling up to
 * 100 ms, other green threads run meanwhile) until an fd is free, and logs once more when it
 * accepts again. The accept timeout still applies.
 *
 * <h2>Threading</h2>
 * As {@link GreenSocket}: {@link #accept()} from threads of the owning scheduler, one acceptor at a
 * time; {@link #close()} from any thread, waking a blocked acceptor with an
 * {@link IoClosedException} (one backing off from fd exhaustion notices within 100 ms).
 */
public final class GreenServerSocket implements Closeable {
    private static final System.Logger LOG = System.getLogger("dev.greenhub.net");
    static final long MIN_BACKOFF_NANOS = 5_000_000L;
    static final long MAX_BACKOFF_NANOS = 100_000_000L;

    private final ServerSocketChannel channel;
    private final int fd;
    private final Scheduler home;
    private final String description;
    /** The socket file of a Unix-domain server, deleted on close; null for TCP. */
    private final Path unixPath;
    private volatile long acceptTimeoutNanos;
    private volatile boolean closed;
    private long exhaustedSince = Long.MIN_VALUE;
    private String unloggedWarning;

    private GreenServerSocket(ServerSocketChannel channel, int fd, Scheduler home, Path unixPath) {
        this.channel = channel;
        this.unixPath = unixPath;
        this.fd = fd;
        this.home = home;
        String local;
        try {
            local = String.valueOf(channel.getLocalAddress());
        } catch (IOException e) {
            local = "?";
        }
        this.description = "GreenServerSocket[fd " + fd + ", " + local;
    }

    /**
     * Opens a listening socket on {@code address}: TCP with SO_REUSEADDR (and SO_REUSEPORT if
     * asked), or a Unix-domain stream socket whose file this socket deletes when it closes.
     *
     * @param address where to listen (port 0 picks a free port); an {@link InetSocketAddress} or
     *     a {@link UnixDomainSocketAddress}
     * @param backlog the accept queue length; less than 1 means the system default
     * @param reusePort whether to set SO_REUSEPORT, so several sockets can share the port
     * @return the listening socket, belonging to the caller's scheduler
     * @throws UnsupportedOperationException if SO_REUSEPORT is asked for where the system lacks it
     *     or for a Unix-domain socket
     * @throws IOException if the address cannot be bound (for example "Address already in use")
     */
    static GreenServerSocket bind(SocketAddress address, int backlog, boolean reusePort) throws IOException {
        Objects.requireNonNull(address, "address");
        if (address instanceof UnixDomainSocketAddress unix) {
            if (reusePort) {
                throw new UnsupportedOperationException("SO_REUSEPORT is for TCP; " + unix
                        + " is a Unix-domain socket path");
            }
            return bindUnix(unix, backlog);
        }
        InetSocketAddress local = NetAddresses.resolve(address);
        Scheduler home = Scheduler.current();
        ServerSocketChannel ch = ServerSocketChannel.open(local.getAddress() instanceof Inet6Address
                ? StandardProtocolFamily.INET6 : StandardProtocolFamily.INET);
        boolean ok = false;
        try {
            int fd = ChannelFds.fdOf(ch);
            ch.configureBlocking(false);
            ch.setOption(StandardSocketOptions.SO_REUSEADDR, true);
            if (reusePort) {
                if (!ch.supportedOptions().contains(StandardSocketOptions.SO_REUSEPORT)) {
                    throw new UnsupportedOperationException("SO_REUSEPORT is not supported on this system");
                }
                ch.setOption(StandardSocketOptions.SO_REUSEPORT, true);
            }
            ch.bind(local, Math.max(0, backlog));
            GreenServerSocket s = new GreenServerSocket(ch, fd, home, null);
            ok = true;
            return s;
        } finally {
            if (!ok) {
                ch.close();
            }
        }
    }

    private static GreenServerSocket bindUnix(UnixDomainSocketAddress address, int backlog) throws IOException {
        Path path = address.getPath();
        if (path.toString().isEmpty()) {
            throw new IllegalArgumentException("a Unix-domain server needs a socket file path, not an empty one");
        }
        Scheduler home = Scheduler.current();
        ServerSocketChannel ch = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
        boolean ok = false;
        try {
            int fd = ChannelFds.fdOf(ch);
            ch.configureBlocking(false);
            try {
                ch.bind(address, Math.max(0, backlog));
            } catch (java.net.BindException e) {
                if (Files.exists(path, LinkOption.NOFOLLOW_LINKS)) {
                    java.net.BindException named = new java.net.BindException("cannot listen on " + path
                            + ": the file exists (" + e.getMessage() + "); if it is a stale socket file of a"
                            + " server that is gone, delete it first");
                    named.initCause(e);
                    throw named;
                }
                throw e;
            }
            GreenServerSocket s = new GreenServerSocket(ch, fd, home, path);
            ok = true;
            return s;
        } finally {
            if (!ok) {
                ch.close();
            }
        }
    }

    /**
     * Accepts a connection, waiting green for one.
     *
     * @return the new connection, belonging to this socket's scheduler
     * @throws SocketTimeoutException if the accept timeout passed first
     * @throws IoClosedException if this socket is or gets closed
     * @throws IllegalStateException if another thread is already accepting
     * @throws IOException on other failures
     */
    public GreenSocket accept() throws IOException {
        long deadline = Long.MIN_VALUE;
        long backoff = MIN_BACKOFF_NANOS;
        while (true) {
            ensureOpen();
            SocketChannel ch;
            try {
                ch = channel.accept();
            } catch (ClosedChannelException e) {
                throw ChannelWaits.closedDuring(this, "accept", e);
            } catch (IOException e) {
                if (!isFdExhaustion(e)) {
                    throw e;
                }
                if (deadline == Long.MIN_VALUE) {
                    deadline = NetTimeouts.deadline(acceptTimeoutNanos);
                }
                noteExhausted(e);
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    throw timedOut();
                }
                Green.sleep(Duration.ofNanos(Math.min(backoff, left)));
                backoff = Math.min(backoff * 2, MAX_BACKOFF_NANOS);
                continue;
            }
            if (ch != null) {
                noteRecovered();
                return adopt(ch);
            }
            if (deadline == Long.MIN_VALUE) {
                deadline = NetTimeouts.deadline(acceptTimeoutNanos);
            }
            ensureOpen();
            int ops;
            try {
                ops = FdWaits.trampoline(home, fd, Readiness.READ, deadline);
            } catch (AsynchronousCloseException e) {
                throw ChannelWaits.closedDuring(this, "accept", e);
            }
            if (ops == 0) {
                throw timedOut();
            }
        }
    }

    private GreenSocket adopt(SocketChannel ch) throws IOException {
        try {
            return new GreenSocket(ch, ChannelFds.fdOf(ch), home);
        } catch (IOException | RuntimeException e) {
            ch.close();
            throw e;
        }
    }

    static boolean isFdExhaustion(IOException e) {
        String m = e.getMessage();
        return m != null && m.contains("Too many open files");
    }

    private void noteExhausted(IOException e) {
        if (exhaustedSince == Long.MIN_VALUE) {
            exhaustedSince = System.nanoTime();
            String warning = "accept on " + this + " failed: " + e.getMessage()
                    + "; out of file descriptors, backing off (up to " + MAX_BACKOFF_NANOS / 1_000_000L
                    + " ms between tries) until one is free";
            Throwable failure = log(System.Logger.Level.WARNING, warning);
            if (failure != null) {
                // logging itself needed an fd; say it again once fds are back
                unloggedWarning = warning + " (logged again: logging failed then with " + failure + ")";
            }
        }
    }

    private void noteRecovered() {
        if (exhaustedSince != Long.MIN_VALUE) {
            long millis = (System.nanoTime() - exhaustedSince) / 1_000_000L;
            exhaustedSince = Long.MIN_VALUE;
            if (unloggedWarning != null) {
                log(System.Logger.Level.WARNING, unloggedWarning);
                unloggedWarning = null;
            }
            log(System.Logger.Level.INFO, "accept on " + this + " works again after " + millis
                    + " ms out of file descriptors");
        }
    }

    /** Logs; returns what the logger threw (a log handler may need an fd), or null. */
    private static Throwable log(System.Logger.Level level, String message) {
        try {
            LOG.log(level, message);
            return null;
        } catch (RuntimeException | Error e) {
            return e;
        }
    }

    private IoTimeoutException timedOut() {
        return ChannelWaits.timedOut(this, "accept", acceptTimeoutNanos);
    }

    private void ensureOpen() throws IoClosedException {
        if (closed) {
            throw ChannelWaits.closed(this, "accept");
        }
    }

    /**
     * Sets the accept timeout.
     *
     * @param timeout the longest wait for a connection; null or zero for no limit
     * @throws IllegalArgumentException if negative
     */
    public void setAcceptTimeout(Duration timeout) {
        acceptTimeoutNanos = NetTimeouts.nanos(timeout, "accept timeout");
    }

    /**
     * The accept timeout.
     *
     * @return the timeout, or null for none
     */
    public Duration acceptTimeout() {
        return NetTimeouts.duration(acceptTimeoutNanos);
    }

    /**
     * Sets a socket option of the listening socket.
     *
     * @param option the option
     * @param value its value
     * @param <T> the value type
     * @return this socket
     * @throws IOException if it cannot be set
     */
    public <T> GreenServerSocket setOption(SocketOption<T> option, T value) throws IOException {
        ensureOpen();
        channel.setOption(option, value);
        return this;
    }

    /**
     * Reads a socket option of the listening socket.
     *
     * @param option the option
     * @param <T> the value type
     * @return its value
     * @throws IOException if it cannot be read
     */
    public <T> T getOption(SocketOption<T> option) throws IOException {
        ensureOpen();
        return channel.getOption(option);
    }

    /**
     * The address it listens on (with the real port when bound to port 0).
     *
     * @return the local address
     * @throws UnsupportedOperationException for a Unix-domain server (use {@link #localSocketAddress()})
     * @throws IOException if closed
     */
    public InetSocketAddress localAddress() throws IOException {
        return NetAddresses.inet(localSocketAddress(), "localAddress");
    }

    /**
     * The address it listens on, of any kind: an {@link InetSocketAddress} for TCP, the
     * {@link UnixDomainSocketAddress} of its socket file for a Unix-domain server.
     *
     * @return the local address
     * @throws IOException if closed
     */
    public SocketAddress localSocketAddress() throws IOException {
        ensureOpen();
        return channel.getLocalAddress();
    }

    /**
     * The listening socket's file descriptor (for diagnostics).
     *
     * @return the fd number
     */
    public int fd() {
        return fd;
    }

    /**
     * The scheduler the socket belongs to.
     *
     * @return its scheduler
     */
    public Scheduler scheduler() {
        return home;
    }

    /**
     * Whether {@link #close()} has not been called.
     *
     * @return true while open
     */
    public boolean isOpen() {
        return !closed;
    }

    /**
     * Stops listening. A blocked acceptor wakes at once with an {@link IoClosedException}. A
     * Unix-domain server deletes its socket file first (connections already accepted go on).
     * Idempotent; callable from any thread (see {@link GreenSocket#close()}).
     *
     * @throws IOException if the JDK fails to close the channel or the socket file cannot be
     *     deleted
     */
    @Override
    public void close() throws IOException {
        if (closed) {
            return;
        }
        closed = true;
        try {
            if (unixPath != null) {
                Files.deleteIfExists(unixPath);
            }
        } finally {
            ChannelCloser.closeOn(home, fd, channel);
        }
    }

    @Override
    public String toString() {
        return description + (closed ? ", closed]" : "]");
    }
}
