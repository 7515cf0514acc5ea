package dev.greenhub.net;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.ByteChannel;

/**
 * One read or write of a channel with a heap buffer moved in slices of at most {@link #CHUNK}
 * bytes, so that the JDK's temporary direct buffer (which it copies a heap buffer through) stays
 * small for large transfers. Direct buffers go to the channel whole.
 */
final class HeapChunks {
    static final int CHUNK = 256 * 1024;

    private HeapChunks() {
    }

    /** How many bytes one {@link #read} can take into {@code dst} at most. */
    static int room(ByteBuffer dst) {
        return dst.isDirect() ? dst.remaining() : Math.min(dst.remaining(), CHUNK);
    }

    /** One {@code channel.read}, into at most one chunk of a heap {@code dst}. */
    static int read(ByteChannel channel, ByteBuffer dst) throws IOException {
        return move(channel, dst, false);
    }

    /** One {@code channel.write}, from at most one chunk of a heap {@code src}. */
    static int write(ByteChannel channel, ByteBuffer src) throws IOException {
        return move(channel, src, true);
    }

    private static int move(ByteChannel channel, ByteBuffer buffer, boolean write) throws IOException {
        if (buffer.isDirect() || buffer.remaining() <= CHUNK) {
            return write ? channel.write(buffer) : channel.read(buffer);
        }
        ByteBuffer slice = buffer.slice(buffer.position(), CHUNK);
        int n = write ? channel.write(slice) : channel.read(slice);
        if (n > 0) {
            buffer.position(buffer.position() + n);
        }
        return n;
    }
}
