package dev.greenhub.net;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.greenhub.ChildJvm;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.channels.Pipe;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Reading a JDK channel's fd, with and without the JVM flag it needs. */
class ChannelFdsTest {

    @Test
    void theFdIsTheChannelsSocket() throws Exception {
        int fd;
        try (ServerSocketChannel server = ServerSocketChannel.open()) {
            server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            fd = ChannelFds.fdOf(server);
            assertThat(fd).isGreaterThan(2);
            assertThat(Files.readSymbolicLink(Path.of("/proc/self/fd/" + fd)).toString()).startsWith("socket:");
            try (SocketChannel client = SocketChannel.open(server.getLocalAddress())) {
                assertThat(ChannelFds.fdOf(client)).isNotEqualTo(fd).isGreaterThan(2);
            }
        }
        assertThat(Files.exists(Path.of("/proc/self/fd/" + fd), java.nio.file.LinkOption.NOFOLLOW_LINKS)).isFalse();
        Pipe pipe = Pipe.open();
        try {
            assertThat(ChannelFds.fdOf(pipe.source())).isNotEqualTo(ChannelFds.fdOf(pipe.sink()));
        } finally {
            pipe.source().close();
            pipe.sink().close();
        }
        assertThatThrownBy(() -> ChannelFds.fdOf(new java.nio.channels.Channel() {
            @Override
            public boolean isOpen() {
                return true;
            }

            @Override
            public void close() {
            }
        })).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("not a JDK selectable channel");
    }

    /** A child JVM without --add-opens java.base/sun.nio.ch: the message names the flag. */
    @Test
    void withoutTheFlagTheMessageNamesIt() throws Exception {
        Process p = new ProcessBuilder(ChildJvm.command(Probe.class)).redirectErrorStream(true).start();
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(out).contains("IllegalStateException").contains(ChildJvm.addOpens("sun.nio.ch"));
        assertThat(p.exitValue()).as(out).isEqualTo(3);
    }

    /** Run in the child JVM. */
    public static final class Probe {
        public static void main(String[] args) throws Exception {
            try (ServerSocketChannel server = ServerSocketChannel.open()) {
                System.out.println("fd " + ChannelFds.fdOf(server));
                System.exit(1);
            } catch (IllegalStateException e) {
                System.out.println(e);
                System.exit(3);
            }
        }
    }
}
