package dev.greenhub.net;

import dev.greenhub.IoClosedException;
import dev.greenhub.IoTimeoutException;
import dev.greenhub.Scheduler;
import dev.greenhub.hub.Readiness;
import dev.greenhub.internal.FdWaits;
import java.io.IOException;
import java.net.Inet6Address;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.AsynchronousCloseException;
import java.nio.channels.SocketChannel;

/**
 * Opens a stream socket (TCP, or Unix-domain) and connects it, parking the calling green thread
 * while the connection is made; the connected channel is handed on to become a green socket.
 */
final class StreamConnector {
    /** Takes over a connected, non-blocking channel, its fd and the scheduler it belongs to. */
    @FunctionalInterface
    interface Connected<S> {
        S take(SocketChannel channel, int fd, Scheduler home) throws IOException;
    }

    private StreamConnector() {
    }

    /**
     * Connects to {@code remote} (an unresolved InetSocketAddress is resolved on the Tpool, a
     * UnixDomainSocketAddress gives a Unix-domain socket) within {@code timeoutNanos} (0: no
     * limit), and hands the channel to {@code connected}, on the caller's scheduler.
     *
     * @throws IllegalArgumentException if the address is of another kind
     * @throws IoTimeoutException if the timeout passed first
     */
    static <S> S connect(SocketAddress remote, long timeoutNanos, Connected<S> connected) throws IOException {
        SocketAddress address;
        SocketChannel ch;
        if (remote instanceof UnixDomainSocketAddress unix) {
            address = unix;
            ch = SocketChannel.open(StandardProtocolFamily.UNIX);
        } else {
            InetSocketAddress inet = NetAddresses.resolve(remote);
            address = inet;
            ch = SocketChannel.open(inet.getAddress() instanceof Inet6Address
                    ? StandardProtocolFamily.INET6 : StandardProtocolFamily.INET);
        }
        return connect(ch, address, timeoutNanos, connected);
    }

    /** Connects {@code ch} (not yet connected) to {@code address}, green; closes it on failure. */
    private static <S> S connect(SocketChannel ch, SocketAddress address, long timeoutNanos, Connected<S> connected)
            throws IOException {
        long deadline = NetTimeouts.deadline(timeoutNanos);
        Scheduler home = Scheduler.current();
        int fd;
        try {
            fd = ChannelFds.fdOf(ch);
        } catch (RuntimeException e) {
            ch.close();
            throw e;
        }
        S socket = null;
        try {
            ch.configureBlocking(false);
            boolean done = ch.connect(address);
            while (!done) {
                int ops;
                try {
                    ops = FdWaits.trampoline(home, fd, Readiness.WRITE, deadline);
                } catch (AsynchronousCloseException e) {
                    throw new IoClosedException("connecting fd " + fd + " to " + address + " was abandoned: the"
                            + " fd was closed through greenhub");
                }
                if (ops == 0) {
                    throw new IoTimeoutException("connect to " + address + " timed out after "
                            + timeoutNanos / 1_000_000L + " ms");
                }
                done = ch.finishConnect();
            }
            socket = connected.take(ch, fd, home);
            return socket;
        } finally {
            if (socket == null) {
                ChannelCloser.closeOn(home, fd, ch);
            }
        }
    }
}
