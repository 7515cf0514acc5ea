package dev.greenhub.net;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.ByteChannel;
import org.junit.jupiter.api.Test;

/** One read or write moves at most one chunk of a heap buffer, and a direct buffer whole. */
class HeapChunksTest {

    /** A channel that takes or gives as many bytes as it is offered, and counts the largest offer. */
    private static final class Bottomless implements ByteChannel {
        int largestOffer;
        byte next = 1;

        @Override
        public int read(ByteBuffer dst) {
            largestOffer = Math.max(largestOffer, dst.remaining());
            int n = dst.remaining();
            while (dst.hasRemaining()) {
                dst.put(next);
            }
            return n;
        }

        @Override
        public int write(ByteBuffer src) {
            largestOffer = Math.max(largestOffer, src.remaining());
            int n = src.remaining();
            src.position(src.limit());
            return n;
        }

        @Override
        public boolean isOpen() {
            return true;
        }

        @Override
        public void close() {
        }
    }

    @Test
    void aLargeHeapBufferMovesOneChunkAtATime() throws IOException {
        int size = HeapChunks.CHUNK * 2 + 10;
        ByteBuffer heap = ByteBuffer.allocate(size);
        Bottomless channel = new Bottomless();
        assertThat(HeapChunks.room(heap)).isEqualTo(HeapChunks.CHUNK);
        assertThat(HeapChunks.read(channel, heap)).isEqualTo(HeapChunks.CHUNK);
        assertThat(heap.position()).isEqualTo(HeapChunks.CHUNK);
        assertThat(heap.get(HeapChunks.CHUNK - 1)).isEqualTo((byte) 1);
        assertThat(heap.get(HeapChunks.CHUNK)).isZero(); // nothing written past the chunk
        assertThat(HeapChunks.read(channel, heap)).isEqualTo(HeapChunks.CHUNK);
        assertThat(HeapChunks.read(channel, heap)).isEqualTo(10);
        assertThat(heap.hasRemaining()).isFalse();
        heap.flip();
        assertThat(HeapChunks.write(channel, heap)).isEqualTo(HeapChunks.CHUNK);
        assertThat(heap.position()).isEqualTo(HeapChunks.CHUNK);
        assertThat(channel.largestOffer).isEqualTo(HeapChunks.CHUNK);
    }

    @Test
    void aDirectBufferGoesWhole() throws IOException {
        int size = HeapChunks.CHUNK * 2 + 10;
        ByteBuffer direct = ByteBuffer.allocateDirect(size);
        Bottomless channel = new Bottomless();
        assertThat(HeapChunks.room(direct)).isEqualTo(size);
        assertThat(HeapChunks.read(channel, direct)).isEqualTo(size);
        direct.flip();
        assertThat(HeapChunks.write(channel, direct)).isEqualTo(size);
        assertThat(channel.largestOffer).isEqualTo(size);
    }
}
