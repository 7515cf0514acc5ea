package dev.greenhub.nativeio;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.channels.Pipe;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;

class NativeTest {

    @Test
    void errnoExceptionNamesTheCallAndTheErrno() {
        assertThatThrownBy(() -> Fds.close(1_000_000))
                .isInstanceOf(ErrnoException.class)
                .hasMessage("close(fd 1000000) failed: EBADF (9, Bad file descriptor)")
                .satisfies(e -> assertThat(((ErrnoException) e).errno()).isEqualTo(Native.EBADF));
    }

    @Test
    void pipeCarriesBytesAndReportsEagainWhenEmpty() throws IOException {
        int[] p = Fds.pipe();
        try {
            byte[] buf = new byte[16];
            assertThat(Fds.read(p[0], buf)).isEqualTo(-1);
            assertThat(Fds.write(p[1], new byte[] {1, 2, 3})).isEqualTo(3);
            assertThat(Fds.read(p[0], buf)).isEqualTo(3);
            assertThat(buf[2]).isEqualTo((byte) 3);
            Fds.close(p[1]);
            assertThat(Fds.read(p[0], buf)).isZero();
        } finally {
            Fds.closeQuietly(p[0]);
        }
        assertThat(Fds.isOpen(p[0])).isFalse();
    }

    @Test
    void wakeupCoalescesAndDrains() throws IOException {
        int before = Fds.openFdCount();
        try (WakeupFd w = WakeupFd.open()) {
            assertThat(w.isEventFd()).isTrue();
            w.signal();
            w.signal();
            assertThat(w.isPending()).isTrue();
            assertThat(w.drain()).isTrue();
            assertThat(w.isPending()).isFalse();
            assertThat(w.drain()).isFalse();
        }
        assertThat(Fds.openFdCount()).isEqualTo(before);
    }

    @Test
    void wakeupAfterCloseIsRefused() throws IOException {
        WakeupFd w = WakeupFd.open();
        w.close();
        assertThatThrownBy(w::signal).isInstanceOf(IllegalStateException.class).hasMessageContaining("closed");
    }

    @Test
    void wakeupFromManyThreadsNeverWritesAfterClose() throws Exception {
        for (int round = 0; round < 20; round++) {
            WakeupFd w = WakeupFd.open();
            CountDownLatch go = new CountDownLatch(1);
            List<Thread> threads = new ArrayList<>();
            for (int i = 0; i < 4; i++) {
                threads.add(Thread.ofPlatform().start(() -> {
                    try {
                        go.await();
                        while (true) {
                            w.signal();
                            w.drain();
                        }
                    } catch (IllegalStateException | InterruptedException expected) {
                        // closed
                    }
                }));
            }
            go.countDown();
            Thread.sleep(2);
            w.close();
            for (Thread t : threads) {
                t.join(5_000);
                assertThat(t.isAlive()).isFalse();
            }
        }
    }

    @Test
    void nativeBufferRefusesOutOfBoundsAccess() {
        try (NativeBuffer b = NativeBuffer.allocate(16)) {
            b.putLong(8, 42L);
            assertThat(b.getLong(8)).isEqualTo(42L);
            assertThatThrownBy(() -> b.putInt(13, 1)).isInstanceOf(IndexOutOfBoundsException.class)
                    .hasMessageContaining("offset 13").hasMessageContaining("16 bytes");
            assertThatThrownBy(() -> b.getShort(-1)).isInstanceOf(IndexOutOfBoundsException.class);
            b.close();
            assertThatThrownBy(() -> b.getInt(0)).isInstanceOf(IllegalStateException.class);
        }
    }

    @Test
    void epollEventLayoutMatchesTheCpu() {
        if (Native.cpu().equalsIgnoreCase("x86_64")) {
            assertThat(StructLayout.EPOLL_EVENT_SIZE).isEqualTo(12);
            assertThat(StructLayout.EPOLL_EVENT_DATA_OFFSET).isEqualTo(4);
        } else {
            assertThat(StructLayout.EPOLL_EVENT_SIZE).isEqualTo(16);
            assertThat(StructLayout.EPOLL_EVENT_DATA_OFFSET).isEqualTo(8);
        }
    }

    @Test
    void fdOfAJdkChannelIsItsRealFd() throws IOException {
        Pipe pipe = Pipe.open();
        try {
            int fd = Fds.fdOf(pipe.source());
            assertThat(Fds.isOpen(fd)).isTrue();
            pipe.source().close();
            assertThat(Fds.isOpen(fd)).isFalse();
        } finally {
            pipe.sink().close();
        }
    }

    @Test
    void socketPairIsConnected() throws IOException {
        int[] s = Fds.socketPair();
        try {
            assertThat(Fds.write(s[0], new byte[] {7})).isEqualTo(1);
            byte[] one = new byte[1];
            assertThat(Fds.read(s[1], one)).isEqualTo(1);
            assertThat(one[0]).isEqualTo((byte) 7);
        } finally {
            Fds.closeQuietly(s);
        }
    }

    @Test
    void fdLimitCanBeRaisedToTheHardLimit() {
        long soft = Fds.fdLimit();
        assertThat(soft).isPositive();
        assertThat(Fds.raiseFdLimit(soft)).isEqualTo(soft);
    }

    @Test
    void timeoutsRoundUpNeverDown() {
        assertThat(NativeHub.millisCeil(-5)).isEqualTo(-1);
        assertThat(NativeHub.millisCeil(0)).isZero();
        assertThat(NativeHub.millisCeil(1)).isEqualTo(1);
        assertThat(NativeHub.millisCeil(300_000)).isEqualTo(1);
        assertThat(NativeHub.millisCeil(1_000_000)).isEqualTo(1);
        assertThat(NativeHub.millisCeil(1_500_000)).isEqualTo(2);
        assertThat(NativeHub.millisCeil(Long.MAX_VALUE)).isEqualTo(Integer.MAX_VALUE);
        assertThat(NativeHub.microsCeil(-1)).isEqualTo(-1);
        assertThat(NativeHub.microsCeil(1)).isEqualTo(1);
        assertThat(NativeHub.microsCeil(2_000)).isEqualTo(2);
        assertThat(NativeHub.microsCeil(2_001)).isEqualTo(3);
    }
}
