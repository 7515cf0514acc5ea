package dev.greenhub.net;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import org.junit.jupiter.api.Test;

/** A TLS buffer grown for the engine keeps the bytes it holds and gains the room asked for. */
class TlsRecordsTest {

    private static ByteBuffer holding(int capacity, int bytes) {
        ByteBuffer b = ByteBuffer.allocate(capacity);
        for (int i = 0; i < bytes; i++) {
            b.put((byte) (i + 1));
        }
        return b;
    }

    @Test
    void aGrownBufferKeepsItsBytesInOrderAndHasTheRoomAskedFor() {
        ByteBuffer full = holding(100, 100);

        ByteBuffer grown = TlsRecords.grow(full, 16_709);

        assertThat(grown.position()).isEqualTo(100);
        assertThat(grown.remaining()).isEqualTo(16_709);
        for (int i = 0; i < 100; i++) {
            assertThat(grown.get(i)).isEqualTo((byte) (i + 1));
        }
    }

    @Test
    void aGrownBufferGainsAtLeast1024BytesWhateverTheEngineAsks() {
        ByteBuffer half = holding(50, 30);

        ByteBuffer grown = TlsRecords.grow(half, 0);

        assertThat(grown.position()).isEqualTo(30);
        assertThat(grown.remaining()).isEqualTo(1024);
        assertThat(grown.get(29)).isEqualTo((byte) 30);
    }
}
