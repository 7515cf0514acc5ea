package dev.greenhub.example.customhub;

import java.nio.channels.SelectionKey;
import java.nio.channels.spi.AbstractSelectableChannel;
import java.nio.channels.spi.SelectorProvider;
import jnr.enxio.channels.NativeSelectableChannel;

/**
 * A raw fd dressed as a selectable channel, so that jnr-enxio's selector can watch it.
 *
 * <p>Unlike jnr-enxio's own {@code NativeDeviceChannel}, this channel leaves the fd alone: the hub
 * does not own the fds registered with it, so configuring the channel non-blocking (which
 * {@link java.nio.channels.SelectableChannel#register} demands) does not touch the fd's
 * {@code O_NONBLOCK} flag, and closing the channel does not close the fd. One channel serves one
 * registration: after its key is cancelled the hub drops it and makes a new one for the next
 * registration of the same fd number.
 */
final class FdChannel extends AbstractSelectableChannel implements NativeSelectableChannel {
    private final int fd;

    FdChannel(SelectorProvider provider, int fd) {
        super(provider);
        this.fd = fd;
    }

    @Override
    public int getFD() {
        return fd;
    }

    @Override
    public int validOps() {
        return SelectionKey.OP_READ | SelectionKey.OP_WRITE;
    }

    @Override
    protected void implConfigureBlocking(boolean block) {
        // The fd's blocking mode belongs to its owner, not to the hub.
    }

    @Override
    protected void implCloseSelectableChannel() {
        // The fd belongs to its owner, not to the hub.
    }

    @Override
    public String toString() {
        return "FdChannel[fd " + fd + "]";
    }
}
