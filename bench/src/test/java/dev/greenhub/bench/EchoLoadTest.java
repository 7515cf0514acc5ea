package dev.greenhub.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

class EchoLoadTest {
    @Test
    void measuresTheNettyReferenceServerAndChecksEveryEcho() throws Exception {
        try (NettyEchoServer.Running server = NettyEchoServer.start(0)) {
            String line = EchoLoad.run(server.port(), 4, 3, 64, 0.1, 0.3);
            Matcher m = Pattern.compile("^LOAD requests=(\\d+) seconds=[0-9.]+ requests_per_s=(\\d+) p50_us=[0-9.]+"
                    + " p99_us=[0-9.]+ p999_us=[0-9.]+ max_us=[0-9.]+ total_requests=\\d+$").matcher(line);
            assertThat(m.matches()).as(line).isTrue();
            assertThat(Long.parseLong(m.group(1))).isPositive();
            assertThat(Long.parseLong(m.group(2))).isPositive();
        }
    }

    @Test
    void aServerThatChangesTheBytesIsAnError() throws Exception {
        try (ServerSocket server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            Thread corrupt = Thread.ofPlatform().daemon().start(() -> {
                try (Socket s = server.accept()) {
                    InputStream in = s.getInputStream();
                    OutputStream out = s.getOutputStream();
                    byte[] buf = in.readNBytes(64);
                    buf[10] ^= 1;
                    out.write(buf);
                    out.flush();
                    in.read();
                } catch (IOException e) {
                    // the client closed
                }
            });
            assertThatThrownBy(() -> EchoLoad.run(server.getLocalPort(), 1, 0, 64, 0, 5))
                    .isInstanceOf(IOException.class).hasMessageContaining("request 1: the echo differs from what was sent");
            corrupt.join(5000);
            assertThat(corrupt.isAlive()).isFalse();
        }
    }
}
