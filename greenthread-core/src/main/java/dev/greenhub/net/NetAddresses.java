package dev.greenhub.net;

import dev.greenhub.Tpool;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.UnknownHostException;
import java.util.Objects;

/** The addresses the green sockets take: resolved without blocking the carrier, and checked. */
final class NetAddresses {
    private NetAddresses() {
    }

    /**
     * {@code remote} resolved: as it is if it is resolved already, else looked up on the
     * {@link Tpool} (the lookup blocks).
     *
     * @throws IllegalArgumentException if it is not an InetSocketAddress
     * @throws UnknownHostException if the name does not resolve
     */
    static InetSocketAddress resolve(SocketAddress remote) throws IOException {
        Objects.requireNonNull(remote, "remote");
        if (!(remote instanceof InetSocketAddress isa)) {
            throw new IllegalArgumentException("green sockets take an InetSocketAddress or a"
                    + " UnixDomainSocketAddress, not "
                    + remote.getClass().getName() + " " + remote);
        }
        if (!isa.isUnresolved()) {
            return isa;
        }
        try {
            InetSocketAddress resolved = Tpool.execute(() -> new InetSocketAddress(isa.getHostString(), isa.getPort()));
            if (resolved.isUnresolved()) {
                throw new UnknownHostException("cannot resolve " + isa.getHostString());
            }
            return resolved;
        } catch (IOException | RuntimeException | Error e) {
            throw e;
        } catch (Exception e) {
            throw new IOException("resolving " + isa.getHostString() + " failed", e);
        }
    }

    /**
     * {@code address} as the InetSocketAddress that {@code method} returns.
     *
     * @throws UnsupportedOperationException naming the {@code ...SocketAddress()} method to call
     *     instead if it is not one (a Unix-domain socket's address)
     */
    static InetSocketAddress inet(SocketAddress address, String method) {
        if (address instanceof InetSocketAddress isa) {
            return isa;
        }
        throw new UnsupportedOperationException(method + "() is for TCP sockets; this one is bound to "
                + address + ": use " + method.replace("Address", "SocketAddress") + "()");
    }
}
