package dev.greenhub.net;

import dev.greenhub.IoClosedException;
import dev.greenhub.IoTimeoutException;
import dev.greenhub.Scheduler;
import dev.greenhub.hub.Readiness;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.Pipe;
import java.nio.channels.ReadableByteChannel;
import java.nio.channels.SelectableChannel;
import java.nio.channels.WritableByteChannel;
import java.time.Duration;
import java.util.Objects;

/**
 * One end of a pipe whose blocking-style reads or writes park only the calling green thread
 * (eventlet's {@code GreenPipe}): a non-blocking JDK {@link Pipe} channel (a {@code pipe(2)} on
 * Linux and macOS) waited on through the hub of the {@link Scheduler} it belongs to.
 *
 * <p>{@link #open()} makes both ends of a new pipe; {@link GreenProcess} makes the parent's ends
 * of a child process's stdin, stdout and stderr. A read end only reads and a write end only
 * writes; the other direction throws {@link UnsupportedOperationException}.
 *
 * <h2>Threading, timeouts, closing</h2>
 * As {@link GreenSocket}: reads and writes from threads of the owning scheduler, one reader (or
 * writer) at a time; {@link #setTimeout} bounds each wait for progress with a
 * {@link java.net.SocketTimeoutException} ({@link IoTimeoutException}); {@link #close()} from any
 * thread wakes a blocked reader or writer with an {@link IoClosedException}.
 *
 * <h2>Differences from eventlet</h2>
 * eventlet's {@code GreenPipe} is a buffered file object over any fd, with {@code readline} and
 * text modes; this is the byte level only (wrap {@link #getInputStream()} in a
 * {@link java.io.BufferedReader} for lines: its reads then park green). Writing to a pipe whose
 * read end is closed throws the JDK's {@link IOException} ("Broken pipe"), as eventlet raises
 * {@code BrokenPipeError}.
 */
public final class GreenPipe implements Closeable {
    /**
     * The two ends of a new pipe.
     *
     * @param readEnd the end that reads what {@code writeEnd} writes
     * @param writeEnd the end that writes
     */
    public record Ends(GreenPipe readEnd, GreenPipe writeEnd) implements Closeable {
        /**
         * Closes both ends.
         *
         * @throws IOException if closing one fails (the other is closed anyway)
         */
        @Override
        public void close() throws IOException {
            try {
                readEnd.close();
            } finally {
                writeEnd.close();
            }
        }
    }

    private final SelectableChannel channel;
    private final boolean readEnd;
    private final int fd;
    private final Scheduler home;
    private final String description;
    private volatile long timeoutNanos;
    private volatile boolean closed;
    private InputStream in;
    private OutputStream out;

    /** Takes over one end of a JDK pipe (a SourceChannel or a SinkChannel) and makes it non-blocking. */
    GreenPipe(SelectableChannel channel, String name, Scheduler home) throws IOException {
        if (!(channel instanceof Pipe.SourceChannel) && !(channel instanceof Pipe.SinkChannel)) {
            throw new IllegalArgumentException("not a pipe end: " + channel);
        }
        this.channel = channel;
        this.readEnd = channel instanceof Pipe.SourceChannel;
        this.fd = ChannelFds.fdOf(channel);
        this.home = home;
        channel.configureBlocking(false);
        this.description = "GreenPipe[fd " + fd + ", " + name + " (" + (readEnd ? "read" : "write") + " end)";
    }

    /**
     * Opens a new pipe (eventlet's {@code GreenPipe} over {@code os.pipe()}): both ends belong to
     * the caller's scheduler.
     *
     * @return the read end and the write end
     * @throws IOException if the system cannot make a pipe (for example, out of fds)
     */
    public static Ends open() throws IOException {
        Scheduler home = Scheduler.current();
        Pipe pipe = Pipe.open();
        GreenPipe source = null;
        try {
            source = new GreenPipe(pipe.source(), "pipe", home);
            GreenPipe sink = new GreenPipe(pipe.sink(), "pipe", home);
            return new Ends(source, sink);
        } catch (IOException | RuntimeException e) {
            pipe.source().close();
            pipe.sink().close();
            throw e;
        }
    }

    /**
     * Reads bytes into {@code dst}, waiting until at least one byte or the end arrives (the end:
     * every write end is closed, for a child's output when the child and its children are gone).
     *
     * @param dst where to put them
     * @return the number read (at least 1 if {@code dst} has room), or -1 at the end
     * @throws java.net.SocketTimeoutException if the timeout passed without a byte
     * @throws IoClosedException if this end is or gets closed through greenhub
     * @throws UnsupportedOperationException on a write end
     * @throws IOException on other failures
     */
    public int read(ByteBuffer dst) throws IOException {
        Objects.requireNonNull(dst, "dst");
        if (!readEnd) {
            throw new UnsupportedOperationException("cannot read from " + this + ": it is a write end");
        }
        long deadline = Long.MIN_VALUE;
        while (true) {
            ensureOpen("read");
            int n;
            try {
                n = ((ReadableByteChannel) channel).read(dst);
            } catch (ClosedChannelException e) {
                throw ChannelWaits.closedDuring(this, "read", e);
            }
            if (n != 0 || !dst.hasRemaining()) {
                return n;
            }
            if (deadline == Long.MIN_VALUE) {
                deadline = NetTimeouts.deadline(timeoutNanos);
            }
            await(Readiness.READ, deadline, "read");
        }
    }

    /**
     * Reads into {@code buffer[offset, offset + length)}, as {@link #read(ByteBuffer)}.
     *
     * @param buffer the buffer
     * @param offset where to start
     * @param length at most this many bytes
     * @return the number read, 0 only if {@code length} is 0, or -1 at the end
     * @throws IOException as {@link #read(ByteBuffer)}
     */
    public int read(byte[] buffer, int offset, int length) throws IOException {
        Objects.checkFromIndexSize(offset, length, buffer.length);
        return read(ByteBuffer.wrap(buffer, offset, length));
    }

    /**
     * Reads everything until the end (every write end closed).
     *
     * @return the bytes
     * @throws IOException as {@link #read(ByteBuffer)}
     */
    public byte[] readAllBytes() throws IOException {
        return getInputStream().readAllBytes();
    }

    /**
     * Writes some bytes of {@code src}, waiting until at least one can be written.
     *
     * @param src the bytes; its position advances past those written
     * @return the number written (at least 1 if {@code src} has bytes)
     * @throws java.net.SocketTimeoutException if the timeout passed without progress
     * @throws IoClosedException if this end is or gets closed through greenhub
     * @throws UnsupportedOperationException on a read end
     * @throws IOException on other failures, for example "Broken pipe" when no read end is open
     */
    public int write(ByteBuffer src) throws IOException {
        Objects.requireNonNull(src, "src");
        if (readEnd) {
            throw new UnsupportedOperationException("cannot write to " + this + ": it is a read end");
        }
        long deadline = Long.MIN_VALUE;
        while (true) {
            ensureOpen("write");
            int n;
            try {
                n = ((WritableByteChannel) channel).write(src);
            } catch (ClosedChannelException e) {
                throw ChannelWaits.closedDuring(this, "write", e);
            }
            if (n != 0 || !src.hasRemaining()) {
                return n;
            }
            if (deadline == Long.MIN_VALUE) {
                deadline = NetTimeouts.deadline(timeoutNanos);
            }
            await(Readiness.WRITE, deadline, "write");
        }
    }

    /**
     * Writes all of {@code src}; the timeout bounds each wait for progress, not the whole call.
     *
     * @param src the bytes; on return its position is its limit
     * @throws IOException as {@link #write(ByteBuffer)}; then an unknown part was written
     */
    public void writeAll(ByteBuffer src) throws IOException {
        Objects.requireNonNull(src, "src");
        while (src.hasRemaining()) {
            write(src);
        }
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

    private void await(int interest, long deadline, String what) throws IOException {
        ensureOpen(what);
        CarrierMonitors.refuseIfHeld(home, this);
        if (!ChannelWaits.ready(home, fd, interest, deadline, this, what)) {
            throw ChannelWaits.timedOut(this, what, timeoutNanos);
        }
    }

    private void ensureOpen(String what) throws IoClosedException {
        if (closed) {
            throw ChannelWaits.closed(this, what);
        }
    }

    /**
     * Sets the timeout of each wait for progress.
     *
     * @param timeout the longest wait; null or zero for no limit
     * @throws IllegalArgumentException if negative
     */
    public void setTimeout(Duration timeout) {
        timeoutNanos = NetTimeouts.nanos(timeout, "pipe timeout");
    }

    /**
     * The timeout.
     *
     * @return the timeout, or null for none
     */
    public Duration timeout() {
        return NetTimeouts.duration(timeoutNanos);
    }

    /**
     * Whether this is a read end.
     *
     * @return true for a read end, false for a write end
     */
    public boolean isReadEnd() {
        return readEnd;
    }

    /**
     * The fd (for diagnostics).
     *
     * @return the fd number
     */
    public int fd() {
        return fd;
    }

    /**
     * The scheduler this end belongs to.
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
     * Closes this end. A blocked reader or writer wakes at once with an {@link IoClosedException};
     * closing the last write end makes the readers see the end, closing the last read end makes
     * writers fail with "Broken pipe". Idempotent; callable from any thread.
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

    /**
     * An {@link InputStream} over a read end: reads park green and follow the timeout; closing
     * it closes this end. The same object every time.
     *
     * @return the stream
     * @throws UnsupportedOperationException on a write end
     */
    public synchronized InputStream getInputStream() {
        if (!readEnd) {
            throw new UnsupportedOperationException(this + " is a write end: it has no input stream");
        }
        if (in == null) {
            in = GreenStreams.input(this::read, this);
        }
        return in;
    }

    /**
     * An {@link OutputStream} over a write end: writes send everything, green; {@code flush} does
     * nothing (nothing is buffered); closing it closes this end. The same object every time.
     *
     * @return the stream
     * @throws UnsupportedOperationException on a read end
     */
    public synchronized OutputStream getOutputStream() {
        if (readEnd) {
            throw new UnsupportedOperationException(this + " is a read end: it has no output stream");
        }
        if (out == null) {
            out = GreenStreams.output(this::writeAll, this);
        }
        return out;
    }

    @Override
    public String toString() {
        return description + (closed ? ", closed]" : "]");
    }
}
