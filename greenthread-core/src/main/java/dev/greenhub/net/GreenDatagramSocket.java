package dev.greenhub.net;

import dev.greenhub.IoClosedException;
import dev.greenhub.IoTimeoutException;
import dev.greenhub.Scheduler;
import dev.greenhub.hub.Readiness;
import java.io.Closeable;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.ProtocolFamily;
import java.net.SocketAddress;
import java.net.SocketOption;
import java.net.StandardProtocolFamily;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.DatagramChannel;
import java.nio.channels.MembershipKey;
import java.time.Duration;
import java.util.Objects;

/**
 * A UDP socket whose blocking-style sends and receives park only the calling green thread
 * (eventlet's green {@code socket(AF_INET, SOCK_DGRAM)}): a non-blocking {@link DatagramChannel}
 * waited on through the hub of the {@link Scheduler} it belongs to.
 *
 * <p>Unconnected: {@link #send(ByteBuffer, SocketAddress)} to any address and
 * {@link #receive(ByteBuffer)} from anyone (it returns the sender). Connected
 * ({@link #connect(InetSocketAddress)}): {@link #write(ByteBuffer)} and {@link #read(ByteBuffer)}
 * with that one peer; datagrams from others are dropped by the system, and an ICMP "port
 * unreachable" for an earlier datagram surfaces as a {@link java.net.PortUnreachableException}.
 * Multicast: {@link #join(InetAddress, NetworkInterface)} and the {@code IP_MULTICAST_*} options
 * through {@link #setOption}.
 *
 * <h2>Datagrams larger than the buffer</h2>
 * A datagram never arrives cut without notice: when it is larger than the room in the buffer,
 * the buffer receives its first bytes and {@link DatagramTooLargeException} says its length and
 * sender. eventlet (like the socket API under it) cuts it silently; this is the deliberate
 * difference. (Each socket receives into a {@value #MAX_DATAGRAM}-byte buffer of its own to
 * learn the length, unless the caller's buffer has that much room.)
 *
 * <h2>Threading, timeouts, closing</h2>
 * As {@link GreenSocket}: operations from threads of the owning scheduler, one receiver and one
 * sender at a time; {@link #setTimeout} bounds each wait with a
 * {@link java.net.SocketTimeoutException} ({@link IoTimeoutException}); {@link #close()} from any
 * thread wakes the waiters with an {@link IoClosedException}.
 */
public final class GreenDatagramSocket implements Closeable {
    /** A buffer with this much room receives any UDP datagram whole (IPv6's largest payload, 65527, rounded up). */
    public static final int MAX_DATAGRAM = 65536;

    private final DatagramChannel channel;
    private final int fd;
    private final Scheduler home;
    private volatile long timeoutNanos;
    private volatile boolean closed;
    private ByteBuffer whole;

    private GreenDatagramSocket(DatagramChannel channel, int fd, Scheduler home) throws IOException {
        this.channel = channel;
        this.fd = fd;
        this.home = home;
        channel.configureBlocking(false);
    }

    /**
     * Opens an unbound UDP socket of the given family, belonging to the caller's scheduler. Set
     * options that must precede binding (such as {@link java.net.StandardSocketOptions#SO_REUSEADDR}
     * for multicast) before {@link #bind}; a send binds it to an ephemeral port if it is unbound.
     *
     * @param family {@link StandardProtocolFamily#INET} or {@link StandardProtocolFamily#INET6}
     * @return the socket
     * @throws UnsupportedOperationException for another family
     * @throws IOException if the system cannot make a socket
     */
    public static GreenDatagramSocket open(ProtocolFamily family) throws IOException {
        Objects.requireNonNull(family, "family");
        if (family != StandardProtocolFamily.INET && family != StandardProtocolFamily.INET6) {
            throw new UnsupportedOperationException("UDP sockets are INET or INET6, not " + family);
        }
        Scheduler home = Scheduler.current();
        DatagramChannel ch = DatagramChannel.open(family);
        try {
            return new GreenDatagramSocket(ch, ChannelFds.fdOf(ch), home);
        } catch (IOException | RuntimeException e) {
            ch.close();
            throw e;
        }
    }

    /**
     * Opens a UDP socket bound to {@code local} (its family follows the address).
     *
     * @param local the address to bind; port 0 picks a free port
     * @return the bound socket, belonging to the caller's scheduler
     * @throws IOException if it cannot be bound
     */
    public static GreenDatagramSocket bind(InetSocketAddress local) throws IOException {
        Objects.requireNonNull(local, "local");
        InetSocketAddress resolved = NetAddresses.resolve(local);
        GreenDatagramSocket s = open(resolved.getAddress() instanceof java.net.Inet6Address
                ? StandardProtocolFamily.INET6 : StandardProtocolFamily.INET);
        try {
            s.bindTo(resolved);
            return s;
        } catch (IOException | RuntimeException e) {
            s.close();
            throw e;
        }
    }

    /**
     * Binds this socket to {@code local}.
     *
     * @param local the address; port 0 picks a free port
     * @return this socket
     * @throws java.nio.channels.AlreadyBoundException if it is bound
     * @throws IOException if it cannot be bound
     */
    public GreenDatagramSocket bindTo(InetSocketAddress local) throws IOException {
        ensureOpen("bind");
        channel.bind(NetAddresses.resolve(Objects.requireNonNull(local, "local")));
        return this;
    }

    /**
     * Connects to {@code remote} (no packet is sent): from now on {@link #read} and
     * {@link #write} exchange datagrams with it only.
     *
     * @param remote the peer
     * @return this socket
     * @throws IOException if it cannot connect (for example, an unreachable address family)
     */
    public GreenDatagramSocket connect(InetSocketAddress remote) throws IOException {
        ensureOpen("connect");
        channel.connect(NetAddresses.resolve(Objects.requireNonNull(remote, "remote")));
        return this;
    }

    /**
     * Whether {@link #connect} was called.
     *
     * @return true if connected
     */
    public boolean isConnected() {
        return channel.isConnected();
    }

    // ---------------------------------------------------------------- receiving

    /**
     * Receives one datagram into {@code dst}, waiting for one.
     *
     * @param dst where to put it; it receives the datagram whole or throws
     * @return the sender
     * @throws DatagramTooLargeException if the datagram did not fit (its first bytes are in
     *     {@code dst})
     * @throws java.net.SocketTimeoutException if the timeout passed first
     * @throws java.net.PortUnreachableException on a connected socket whose earlier datagram was
     *     refused
     * @throws IoClosedException if the socket is or gets closed
     * @throws IOException on other failures
     */
    public SocketAddress receive(ByteBuffer dst) throws IOException {
        Objects.requireNonNull(dst, "dst");
        if (dst.isReadOnly()) {
            throw new IllegalArgumentException("dst is read-only");
        }
        long deadline = Long.MIN_VALUE;
        while (true) {
            SocketAddress sender = receiveOnce(dst);
            if (sender != null) {
                return sender;
            }
            if (deadline == Long.MIN_VALUE) {
                deadline = NetTimeouts.deadline(timeoutNanos);
            }
            await(Readiness.READ, deadline, "receive");
        }
    }

    /**
     * Receives one datagram from the connected peer (as {@link #receive}).
     *
     * @param dst where to put it
     * @return the datagram's length
     * @throws java.nio.channels.NotYetConnectedException if not connected
     * @throws IOException as {@link #receive}
     */
    public int read(ByteBuffer dst) throws IOException {
        if (!channel.isConnected()) {
            throw new java.nio.channels.NotYetConnectedException();
        }
        int before = dst.position();
        receive(dst);
        return dst.position() - before;
    }

    private SocketAddress receiveOnce(ByteBuffer dst) throws IOException {
        ensureOpen("receive");
        try {
            if (dst.remaining() >= MAX_DATAGRAM) {
                return channel.receive(dst);
            }
            if (whole == null) {
                whole = ByteBuffer.allocateDirect(MAX_DATAGRAM);
            }
            whole.clear();
            SocketAddress sender = channel.receive(whole);
            if (sender == null) {
                return null;
            }
            whole.flip();
            int length = whole.remaining();
            int room = dst.remaining();
            if (length > room) {
                whole.limit(room);
                dst.put(whole);
                throw new DatagramTooLargeException(toString(), sender, length, room);
            }
            dst.put(whole);
            return sender;
        } catch (ClosedChannelException e) {
            throw ChannelWaits.closedDuring(this, "receive", e);
        }
    }

    // ---------------------------------------------------------------- sending

    /**
     * Sends {@code src} as one datagram to {@code target}, waiting while the system's send
     * buffer is full.
     *
     * @param src the datagram; its position moves to its limit
     * @param target where to; on a connected socket it must be the peer
     * @throws java.net.SocketTimeoutException if the timeout passed first
     * @throws IoClosedException if the socket is or gets closed
     * @throws IOException if the system refuses (for example "Message too long" past 65507 bytes
     *     over IPv4)
     */
    public void send(ByteBuffer src, SocketAddress target) throws IOException {
        Objects.requireNonNull(src, "src");
        InetSocketAddress to = NetAddresses.resolve(target);
        long deadline = Long.MIN_VALUE;
        while (true) {
            ensureOpen("send");
            int n;
            try {
                n = channel.send(src, to);
            } catch (ClosedChannelException e) {
                throw ChannelWaits.closedDuring(this, "send", e);
            }
            if (n != 0 || !src.hasRemaining()) {
                return;
            }
            if (deadline == Long.MIN_VALUE) {
                deadline = NetTimeouts.deadline(timeoutNanos);
            }
            await(Readiness.WRITE, deadline, "send");
        }
    }

    /**
     * Sends {@code src} as one datagram to the connected peer (as {@link #send}).
     *
     * @param src the datagram
     * @throws java.nio.channels.NotYetConnectedException if not connected
     * @throws IOException as {@link #send}
     */
    public void write(ByteBuffer src) throws IOException {
        if (!channel.isConnected()) {
            throw new java.nio.channels.NotYetConnectedException();
        }
        send(src, channel.getRemoteAddress());
    }

    private void await(int interest, long deadline, String what) throws IOException {
        ensureOpen(what);
        if (!ChannelWaits.ready(home, fd, interest, deadline, this, what)) {
            throw ChannelWaits.timedOut(this, what, timeoutNanos);
        }
    }

    private void ensureOpen(String what) throws IoClosedException {
        if (closed) {
            throw ChannelWaits.closed(this, what);
        }
    }

    // ---------------------------------------------------------------- multicast and options

    /**
     * Joins the multicast {@code group} on {@code networkInterface}; the socket then receives the
     * group's datagrams sent to its port.
     *
     * @param group the group address
     * @param networkInterface where to join
     * @return the membership; {@link MembershipKey#drop()} leaves
     * @throws IOException if the system refuses (for example, the interface has no multicast)
     */
    public MembershipKey join(InetAddress group, NetworkInterface networkInterface) throws IOException {
        ensureOpen("join " + group);
        return channel.join(group, networkInterface);
    }

    /**
     * Sets a socket option, such as {@link java.net.StandardSocketOptions#SO_RCVBUF} or
     * {@link java.net.StandardSocketOptions#IP_MULTICAST_IF}.
     *
     * @param option the option
     * @param value its value
     * @param <T> the value type
     * @return this socket
     * @throws IOException if it cannot be set
     */
    public <T> GreenDatagramSocket setOption(SocketOption<T> option, T value) throws IOException {
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
     * @throws IOException if it cannot be read
     */
    public <T> T getOption(SocketOption<T> option) throws IOException {
        ensureOpen("read " + option);
        return channel.getOption(option);
    }

    /**
     * Sets the timeout of each wait to receive or send.
     *
     * @param timeout the longest wait; null or zero for no limit
     * @throws IllegalArgumentException if negative
     */
    public void setTimeout(Duration timeout) {
        timeoutNanos = NetTimeouts.nanos(timeout, "datagram timeout");
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
     * The local address.
     *
     * @return the bound address, or null if unbound
     * @throws IOException if closed
     */
    public InetSocketAddress localAddress() throws IOException {
        ensureOpen("get the local address");
        return (InetSocketAddress) channel.getLocalAddress();
    }

    /**
     * The connected peer.
     *
     * @return its address, or null if not connected
     * @throws IOException if closed
     */
    public InetSocketAddress remoteAddress() throws IOException {
        ensureOpen("get the remote address");
        return (InetSocketAddress) channel.getRemoteAddress();
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
     * Closes the socket; its waiters wake at once with an {@link IoClosedException}. Idempotent;
     * callable from any thread.
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

    @Override
    public String toString() {
        String local;
        try {
            local = String.valueOf(channel.getLocalAddress());
        } catch (IOException e) {
            local = "?";
        }
        return "GreenDatagramSocket[fd " + fd + ", " + local + (closed ? ", closed]" : "]");
    }
}
