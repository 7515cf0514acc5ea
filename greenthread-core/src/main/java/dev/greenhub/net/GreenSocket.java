package dev.greenhub.net;

import dev.greenhub.IoClosedException;
import dev.greenhub.IoTimeoutException;
import dev.greenhub.Scheduler;
import dev.greenhub.Tpool;
import dev.greenhub.hub.Readiness;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.SocketOption;
import java.net.SocketTimeoutException;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.SocketChannel;
import java.time.Duration;
import java.util.Objects;

/**
 * A stream connection (TCP, or a Unix-domain stream socket) whose blocking-style operations park
 * only the calling green thread (eventlet's {@code GreenSocket}): a non-blocking
 * {@link SocketChannel} whose waits go through the hub of the {@link Scheduler} it belongs to.
 *
 * <h2>Ownership and threading</h2>
 * A socket belongs to the scheduler that was current where it was created ({@link #connect} or
 * {@link GreenServerSocket#accept}). Its reads and writes must be made from threads of that
 * scheduler (its green threads, or its carrier, which runs the loop while it waits); another
 * scheduler's thread gets a {@link WrongThreadException} when it would have to wait. At most one
 * thread reads and one writes at a time: a second simultaneous reader (or writer) gets an
 * {@link IllegalStateException} ("second simultaneous read on fd N"), as in eventlet.
 * {@link #close()} may be called from any thread. A wait from a thread of no scheduler or of
 * another one is a {@link WrongThreadException} (an IllegalStateException) naming the fix; a wait
 * of the carrier while it holds a monitor is an {@link IllegalStateException} (in {@code synchronized} code, or inside a java.io
 * {@code BufferedReader}/{@code InputStreamReader}, which lock themselves while reading): the
 * green threads it would run meanwhile would be pinned to it and the loop would hang. Read such
 * streams from a green thread.
 *
 * <h2>Timeouts</h2>
 * {@link #setReadTimeout} and {@link #setWriteTimeout} (or {@link #setTimeout} for both) bound
 * each wait for progress: a read that gets no byte, or a write that can send no byte, within the
 * timeout throws a {@link SocketTimeoutException} ({@link IoTimeoutException}) naming the socket
 * and the operation. The socket stays usable. No timeout by default. A {@link dev.greenhub.Timeout}
 * or a kill of the waiting green thread ends any wait at once with its own exception.
 *
 * <h2>Closing</h2>
 * {@link #close()} from another green thread wakes this socket's blocked reader and writer at once
 * with an {@link IoClosedException} (a {@link java.nio.channels.AsynchronousCloseException}); any
 * later operation throws an {@link IoClosedException} too. From a thread of another scheduler,
 * the close is handed to the owning scheduler's loop (the fd is closed at its next turn, after
 * its waiters are woken), so that the fd number cannot be reused while a waiter still watches it.
 */
public final class GreenSocket implements Closeable {
    private final SocketChannel channel;
    private final int fd;
    private final Scheduler home;
    private final String description;
    private volatile long readTimeoutNanos;
    private volatile long writeTimeoutNanos;
    private volatile boolean closed;
    /**
     * The last read got fewer bytes than it had room for, so the kernel's receive buffer was empty
     * then: the next read waits for readiness first instead of making a read(2) that would most
     * likely fail with EAGAIN (Netty's epoll transport reasons the same way). Touched by the one
     * reading thread only.
     */
    private boolean drained;
    private volatile boolean outputShut;
    private InputStream in;
    private OutputStream out;

    /** Takes over a connected channel; puts it in non-blocking mode. */
    GreenSocket(SocketChannel channel, int fd, Scheduler home) throws IOException {
        this.channel = channel;
        channel.configureBlocking(false);
        this.fd = fd;
        this.home = home;
        this.description = describe(channel, fd);
    }

    /**
     * Connects to {@code remote} (eventlet's {@code connect}), waiting green.
     *
     * @param remote where to connect; an unresolved address is resolved on the {@link Tpool}
     * @return the connected socket, belonging to the caller's scheduler
     * @throws java.net.ConnectException if the peer refuses
     * @throws IOException on other failures
     */
    public static GreenSocket connect(SocketAddress remote) throws IOException {
        return connect(remote, null);
    }

    /**
     * Connects to {@code remote}, waiting at most {@code timeout}.
     *
     * @param remote where to connect: an {@link InetSocketAddress} (an unresolved one is resolved
     *     on the {@link Tpool}) or a {@link UnixDomainSocketAddress} (a Unix-domain stream socket)
     * @param timeout how long the connection may take; null or zero for no limit
     * @return the connected socket, belonging to the caller's scheduler
     * @throws SocketTimeoutException if the timeout passed first
     * @throws java.net.ConnectException if the peer refuses
     * @throws IllegalArgumentException if the address is neither an InetSocketAddress nor a
     *     UnixDomainSocketAddress, or the timeout is negative
     * @throws IOException on other failures
     */
    public static GreenSocket connect(SocketAddress remote, Duration timeout) throws IOException {
        long timeoutNanos = NetTimeouts.nanos(timeout, "connect timeout");
        Objects.requireNonNull(remote, "remote");
        return StreamConnector.connect(remote, timeoutNanos, GreenSocket::new);
    }

    // ---------------------------------------------------------------- reading

    /**
     * Reads bytes into {@code dst}, waiting until at least one byte or the end of the stream
     * arrives.
     *
     * @param dst where to put them
     * @return the number read (at least 1 if {@code dst} has room), or -1 at the end of the stream
     * @throws SocketTimeoutException if the read timeout passed without a byte
     * @throws IoClosedException if the socket is or gets closed through greenhub
     * @throws IllegalStateException if another thread is already reading
     * @throws IOException on a connection failure (for example "Connection reset")
     */
    public int read(ByteBuffer dst) throws IOException {
        Objects.requireNonNull(dst, "dst");
        long deadline = Long.MIN_VALUE;
        if (drained && dst.hasRemaining()) {
            // The receive buffer was empty at the last read: wait for readiness before reading.
            // A level-triggered hub reports data that is already there at its next turn; a wait
            // that times out still tries one read, so data that came in time is never lost to it.
            deadline = NetTimeouts.deadline(readTimeoutNanos);
            awaitOrTimeOut(Readiness.READ, deadline, "read");
        }
        while (true) {
            int room = HeapChunks.room(dst);
            int n = readOnce(dst);
            if (n != 0 || room == 0) {
                drained = n > 0 && n < room;
                return n;
            }
            drained = false;
            if (deadline == Long.MIN_VALUE) {
                deadline = NetTimeouts.deadline(readTimeoutNanos);
            }
            await(Readiness.READ, deadline, readTimeoutNanos, "read");
        }
    }

    /**
     * Reads into {@code buffer[offset, offset + length)}, as {@link #read(ByteBuffer)}.
     *
     * @param buffer the buffer
     * @param offset where to start
     * @param length at most this many bytes
     * @return the number read, 0 only if {@code length} is 0, or -1 at the end of the stream
     * @throws IndexOutOfBoundsException if the range is outside the buffer
     * @throws IOException as {@link #read(ByteBuffer)}
     */
    public int read(byte[] buffer, int offset, int length) throws IOException {
        Objects.checkFromIndexSize(offset, length, buffer.length);
        return read(ByteBuffer.wrap(buffer, offset, length));
    }

    /**
     * Reads until {@code dst} is full or the stream ends.
     *
     * @param dst where to put the bytes
     * @return the number read; less than {@code dst}'s room only at the end of the stream
     * @throws IOException as {@link #read(ByteBuffer)}
     */
    public int readFully(ByteBuffer dst) throws IOException {
        int total = 0;
        while (dst.hasRemaining()) {
            int n = read(dst);
            if (n < 0) {
                break;
            }
            total += n;
        }
        return total;
    }

    private int readOnce(ByteBuffer dst) throws IOException {
        ensureOpen("read");
        try {
            return HeapChunks.read(channel, dst);
        } catch (ClosedChannelException e) {
            throw ChannelWaits.closedDuring(this, "read", e);
        }
    }

    // ---------------------------------------------------------------- writing

    /**
     * Writes some bytes of {@code src}, waiting until at least one can be sent.
     *
     * @param src the bytes; its position advances past those written
     * @return the number written (at least 1 if {@code src} has bytes)
     * @throws SocketTimeoutException if the write timeout passed without progress
     * @throws IoClosedException if the socket is or gets closed through greenhub
     * @throws IllegalStateException if another thread is already writing
     * @throws IOException on a connection failure (for example "Broken pipe")
     */
    public int write(ByteBuffer src) throws IOException {
        Objects.requireNonNull(src, "src");
        long deadline = Long.MIN_VALUE;
        while (true) {
            int n = writeOnce(src);
            if (n != 0 || !src.hasRemaining()) {
                return n;
            }
            if (deadline == Long.MIN_VALUE) {
                deadline = NetTimeouts.deadline(writeTimeoutNanos);
            }
            await(Readiness.WRITE, deadline, writeTimeoutNanos, "write");
        }
    }

    /**
     * Writes all of {@code src} (eventlet's {@code sendall}), in as many partial writes as the
     * connection needs. The write timeout bounds each wait for progress, not the whole call.
     *
     * @param src the bytes; on return its position is its limit
     * @throws IOException as {@link #write(ByteBuffer)}; then an unknown part was sent
     */
    public void writeAll(ByteBuffer src) throws IOException {
        Objects.requireNonNull(src, "src");
        while (src.hasRemaining()) {
            write(src);
        }
    }

    /**
     * Writes {@code buffer[offset, offset + length)} completely, as {@link #writeAll(ByteBuffer)}.
     *
     * @param buffer the bytes
     * @param offset where to start
     * @param length how many
     * @throws IndexOutOfBoundsException if the range is outside the buffer
     * @throws IOException as {@link #write(ByteBuffer)}
     */
    public void writeAll(byte[] buffer, int offset, int length) throws IOException {
        Objects.checkFromIndexSize(offset, length, buffer.length);
        writeAll(ByteBuffer.wrap(buffer, offset, length));
    }

    /**
     * Writes all of {@code buffer}.
     *
     * @param buffer the bytes
     * @throws IOException as {@link #write(ByteBuffer)}
     */
    public void writeAll(byte[] buffer) throws IOException {
        writeAll(ByteBuffer.wrap(buffer));
    }

    private int writeOnce(ByteBuffer src) throws IOException {
        ensureOpen("write");
        try {
            return HeapChunks.write(channel, src);
        } catch (ClosedChannelException e) {
            if (outputShut && !closed) {
                java.net.SocketException shut = new java.net.SocketException("cannot write: the output of " + this
                        + " was shut down by shutdownOutput(); the socket itself is open (reads still work)");
                shut.initCause(e);
                throw shut;
            }
            throw ChannelWaits.closedDuring(this, "write", e);
        }
    }

    // ---------------------------------------------------------------- waiting

    private void await(int interest, long deadline, long timeoutNanos, String what) throws IOException {
        if (!awaitOrTimeOut(interest, deadline, what)) {
            throw ChannelWaits.timedOut(this, what, timeoutNanos);
        }
    }

    /** Waits for readiness; false if the deadline passed first. */
    private boolean awaitOrTimeOut(int interest, long deadline, String what) throws IOException {
        ensureOpen(what);
        CarrierMonitors.refuseIfHeld(home, this);
        return ChannelWaits.ready(home, fd, interest, deadline, this, what);
    }

    /**
     * As {@link #read(ByteBuffer)}, but a wait also ends at {@code limit} (a {@link System#nanoTime()}
     * deadline), then with an {@link IoTimeoutException} saying {@code what} timed out.
     */
    int readBefore(ByteBuffer dst, long limit, String what) throws IOException {
        long deadline = Long.MIN_VALUE;
        while (true) {
            int n = readOnce(dst);
            if (n != 0 || !dst.hasRemaining()) {
                return n;
            }
            if (deadline == Long.MIN_VALUE) {
                deadline = Math.min(NetTimeouts.deadline(readTimeoutNanos), limit);
            }
            awaitBefore(Readiness.READ, deadline, limit, readTimeoutNanos, what);
        }
    }

    /** As {@link #writeAll(ByteBuffer)}, with each wait also ending at {@code limit} (see readBefore). */
    void writeAllBefore(ByteBuffer src, long limit, String what) throws IOException {
        while (src.hasRemaining()) {
            long deadline = Long.MIN_VALUE;
            while (writeOnce(src) == 0 && src.hasRemaining()) {
                if (deadline == Long.MIN_VALUE) {
                    deadline = Math.min(NetTimeouts.deadline(writeTimeoutNanos), limit);
                }
                awaitBefore(Readiness.WRITE, deadline, limit, writeTimeoutNanos, what);
            }
        }
    }

    private void awaitBefore(int interest, long deadline, long limit, long timeoutNanos, String what)
            throws IOException {
        if (!awaitOrTimeOut(interest, deadline, what)) {
            if (deadline == limit) {
                throw new IoTimeoutException(what + " timed out on " + this);
            }
            throw ChannelWaits.timedOut(this, what, timeoutNanos);
        }
    }

    private void ensureOpen(String what) throws IoClosedException {
        if (closed) {
            throw ChannelWaits.closed(this, what);
        }
    }

    // ---------------------------------------------------------------- settings

    /**
     * Sets the read timeout.
     *
     * @param timeout the longest wait for a byte; null or zero for no limit
     * @throws IllegalArgumentException if negative
     */
    public void setReadTimeout(Duration timeout) {
        readTimeoutNanos = NetTimeouts.nanos(timeout, "read timeout");
    }

    /**
     * Sets the write timeout.
     *
     * @param timeout the longest wait for progress; null or zero for no limit
     * @throws IllegalArgumentException if negative
     */
    public void setWriteTimeout(Duration timeout) {
        writeTimeoutNanos = NetTimeouts.nanos(timeout, "write timeout");
    }

    /**
     * Sets the read and the write timeout (eventlet's {@code settimeout}).
     *
     * @param timeout the longest wait; null or zero for no limit
     * @throws IllegalArgumentException if negative
     */
    public void setTimeout(Duration timeout) {
        setReadTimeout(timeout);
        setWriteTimeout(timeout);
    }

    /**
     * The read timeout.
     *
     * @return the timeout, or null for none
     */
    public Duration readTimeout() {
        return NetTimeouts.duration(readTimeoutNanos);
    }

    /**
     * The write timeout.
     *
     * @return the timeout, or null for none
     */
    public Duration writeTimeout() {
        return NetTimeouts.duration(writeTimeoutNanos);
    }

    /**
     * Sets a socket option, such as {@link java.net.StandardSocketOptions#TCP_NODELAY}.
     *
     * @param option the option
     * @param value its value
     * @param <T> the value type
     * @return this socket
     * @throws IOException if the option cannot be set; {@link IoClosedException} if closed
     * @throws UnsupportedOperationException if TCP sockets do not have it
     */
    public <T> GreenSocket setOption(SocketOption<T> option, T value) throws IOException {
        ensureOpen("set " + option);
        channel.setOption(option, value);
        return this;
    }

    /**
     * Reads a socket option.
     *
     * @param option the option
     * @param <T> the value type
     * @return its value
     * @throws IOException if it cannot be read; {@link IoClosedException} if closed
     */
    public <T> T getOption(SocketOption<T> option) throws IOException {
        ensureOpen("read " + option);
        return channel.getOption(option);
    }

    /**
     * The local address.
     *
     * @return the bound address
     * @throws IOException if closed
     */
    public InetSocketAddress localAddress() throws IOException {
        return NetAddresses.inet(localSocketAddress(), "localAddress");
    }

    /**
     * The local address of any kind: an {@link InetSocketAddress} for TCP, a
     * {@link UnixDomainSocketAddress} for a Unix-domain socket (an empty path when unnamed, as a
     * connecting Unix socket is).
     *
     * @return the bound address
     * @throws IOException if closed
     */
    public SocketAddress localSocketAddress() throws IOException {
        ensureOpen("get the local address");
        return channel.getLocalAddress();
    }

    /**
     * The peer's address.
     *
     * @return the remote address
     * @throws UnsupportedOperationException for a Unix-domain socket (use {@link #remoteSocketAddress()})
     * @throws IOException if closed
     */
    public InetSocketAddress remoteAddress() throws IOException {
        return NetAddresses.inet(remoteSocketAddress(), "remoteAddress");
    }

    /**
     * The peer's address of any kind (see {@link #localSocketAddress()}).
     *
     * @return the remote address
     * @throws IOException if closed
     */
    public SocketAddress remoteSocketAddress() throws IOException {
        ensureOpen("get the remote address");
        return channel.getRemoteAddress();
    }

    /**
     * The socket's file descriptor (for diagnostics).
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

    // ---------------------------------------------------------------- shutdown and close

    /**
     * Shuts the reading half down: reads then return the end of the stream (a reader waiting now
     * wakes with it).
     *
     * @throws IOException on failure; {@link IoClosedException} if closed
     */
    public void shutdownInput() throws IOException {
        ensureOpen("shut down input");
        channel.shutdownInput();
    }

    /**
     * Shuts the writing half down (sends FIN): the peer reads the end of the stream. A later write
     * throws a {@link java.net.SocketException} saying the output was shut down (the JDK's
     * {@link ClosedChannelException} would claim the socket was closed).
     *
     * @throws IOException on failure; {@link IoClosedException} if closed
     */
    public void shutdownOutput() throws IOException {
        ensureOpen("shut down output");
        channel.shutdownOutput();
        outputShut = true;
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
     * Closes the socket. Its blocked reader and writer wake at once with an
     * {@link IoClosedException}. Idempotent; callable from any thread (see the class comment for
     * a thread of another scheduler).
     *
     * @throws IOException if the JDK fails to close the channel
     */
    @Override
    public void close() throws IOException {
        if (closed) {
            return;
        }
        closed = true;
        ChannelCloser.closeOn(home, fd, channel);
    }

    // ---------------------------------------------------------------- streams

    /**
     * An {@link InputStream} over this socket: reads wait green and follow the read timeout;
     * closing it closes the socket. The same object every time.
     *
     * @return the stream
     */
    public synchronized InputStream getInputStream() {
        if (in == null) {
            in = GreenStreams.input(this::read, this);
        }
        return in;
    }

    /**
     * An {@link OutputStream} over this socket: writes send everything, green, following the
     * write timeout; {@code flush} does nothing (nothing is buffered); closing it closes the
     * socket. The same object every time.
     *
     * @return the stream
     */
    public synchronized OutputStream getOutputStream() {
        if (out == null) {
            out = GreenStreams.output(this::writeAll, this);
        }
        return out;
    }

    @Override
    public String toString() {
        return description + (closed ? ", closed]" : "]");
    }

    private static String describe(SocketChannel channel, int fd) {
        String local;
        String remote;
        try {
            local = String.valueOf(channel.getLocalAddress());
            remote = String.valueOf(channel.getRemoteAddress());
        } catch (IOException e) {
            local = "?";
            remote = "?";
        }
        return "GreenSocket[fd " + fd + ", " + local + " -> " + remote;
    }
}
