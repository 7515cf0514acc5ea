package dev.greenhub.example.servers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetSocketAddress;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The command line the example programs share. */
class ServerArgsTest {
    @Test
    void defaultsToLoopbackTheDefaultPortAndGreenhubsHubSelection() {
        ServerArgs a = ServerArgs.parse();
        assertThat(a.hub()).isNull();
        assertThat(a.help()).isFalse();
        assertThat(a.listenAddress(7000)).isEqualTo(new InetSocketAddress("127.0.0.1", 7000));
    }

    @Test
    void readsHubBindAndPortInEitherSpelling() {
        ServerArgs a = ServerArgs.parse("--hub", "poll", "--bind", "::1", "9000");
        assertThat(a.hub()).isEqualTo("poll");
        assertThat(a.listenAddress(7000)).isEqualTo(new InetSocketAddress("::1", 9000));
        ServerArgs b = ServerArgs.parse("9001", "--hub=select", "--bind=0.0.0.0", "host:1");
        assertThat(b.hub()).isEqualTo("select");
        assertThat(b.positionals()).isEqualTo(List.of("9001", "host:1"));
        assertThat(b.listenAddress(7000)).isEqualTo(new InetSocketAddress("0.0.0.0", 9001));
        assertThat(ServerArgs.parse("--help").help()).isTrue();
    }

    @Test
    void wrongInputIsNamed() {
        assertThatThrownBy(() -> ServerArgs.parse("--hub")).hasMessage("--hub needs a value");
        assertThatThrownBy(() -> ServerArgs.parse("--hub=")).hasMessage("--hub needs a non-empty value");
        assertThatThrownBy(() -> ServerArgs.parse("--port", "1")).hasMessage("unknown option --port");
        assertThatThrownBy(() -> ServerArgs.parse("seven").listenAddress(1))
                .hasMessage("port must be a number from 0 to 65535, not 'seven'");
        assertThatThrownBy(() -> ServerArgs.parse("65536").listenAddress(1))
                .hasMessage("port must be from 0 to 65535, not 65536");
        assertThatThrownBy(() -> ServerArgs.parse("1", "2").atMost(1)).hasMessage("unexpected argument 2");
    }

    @Test
    void parsesTargetsIncludingBracketedIpv6() {
        InetSocketAddress v4 = ServerArgs.hostAndPort("example.org:80");
        assertThat(v4.getHostString()).isEqualTo("example.org");
        assertThat(v4.getPort()).isEqualTo(80);
        assertThat(v4.isUnresolved()).as("resolved when connecting, not when parsing").isTrue();
        InetSocketAddress v6 = ServerArgs.hostAndPort("[::1]:7000");
        assertThat(v6.getHostString()).isEqualTo("::1");
        assertThat(v6.getPort()).isEqualTo(7000);
        assertThatThrownBy(() -> ServerArgs.hostAndPort("::1:7000")).hasMessageContaining("[ADDRESS]:PORT");
        assertThatThrownBy(() -> ServerArgs.hostAndPort("host")).hasMessage("target must be HOST:PORT, not 'host'");
        assertThatThrownBy(() -> ServerArgs.hostAndPort("host:")).hasMessage("target must be HOST:PORT, not 'host:'");
        assertThatThrownBy(() -> ServerArgs.hostAndPort("host:0")).hasMessage("target port must not be 0: 'host:0'");
    }
}
