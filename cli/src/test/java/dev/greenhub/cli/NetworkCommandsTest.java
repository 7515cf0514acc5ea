package dev.greenhub.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class NetworkCommandsTest {
    @Test
    void demoPrintsTheHubTheRateAndTheLatencyPercentiles() {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cl = Main.commandLine();
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));
        int status = cl.execute("demo", "--hub", "poll", "--seconds", "0.5", "--connections", "4");
        assertThat(status).as(out + "\n" + err).isZero();
        String text = out.toString();
        assertThat(text).contains("(hub poll: named by --hub), 4 green clients on a second hub thread, 64-byte ping-pong");
        assertThat(text).containsPattern("(?m)^hub: +poll$");
        Matcher rate = Pattern.compile("(?m)^requests/s: ([0-9,]+)$").matcher(text);
        assertThat(rate.find()).as(text).isTrue();
        assertThat(Long.parseLong(rate.group(1).replace(",", ""))).isPositive();
        assertThat(text).containsPattern("(?m)^latency: +p50 [0-9.]+ (us|ms) +p99 [0-9.]+ (us|ms) +p99\\.9 [0-9.]+ (us|ms)");
        assertThat(text).doesNotContain("errors:");
    }

    @Test
    void serveEchoEchoesUntilStopped() throws Exception {
        StringWriter out = new StringWriter();
        CommandLine cl = Main.commandLine();
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(new StringWriter(), true));
        AtomicInteger status = new AtomicInteger(-1);
        Thread server = Thread.ofPlatform().start(() -> status.set(cl.execute("serve-echo", "--port", "0", "--hub", "select")));
        Pattern listening = Pattern.compile("listening on 127\\.0\\.0\\.1:(\\d+), hub select, one hub thread");
        Matcher m = listening.matcher("");
        long deadline = System.nanoTime() + 20_000_000_000L;
        while (!(m = listening.matcher(out.toString())).find() && System.nanoTime() < deadline && server.isAlive()) {
            Thread.sleep(20);
        }
        assertThat(m.find(0)).as(out.toString()).isTrue();
        try (Socket s = new Socket(InetAddress.getLoopbackAddress(), Integer.parseInt(m.group(1)))) {
            s.setSoTimeout(10_000);
            OutputStream o = s.getOutputStream();
            InputStream i = s.getInputStream();
            byte[] hello = "hello, green world".getBytes(StandardCharsets.UTF_8);
            o.write(hello);
            o.flush();
            assertThat(i.readNBytes(hello.length)).isEqualTo(hello);
        } finally {
            ServeEchoCommand command = cl.getSubcommands().get("serve-echo").getCommand();
            command.control.stop();
            server.join(20_000);
        }
        assertThat(server.isAlive()).isFalse();
        assertThat(status.get()).isZero();
    }

    @Test
    void serveEchoNeedsAPort() {
        StringWriter err = new StringWriter();
        CommandLine cl = Main.commandLine();
        cl.setErr(new PrintWriter(err, true));
        assertThat(cl.execute("serve-echo")).isEqualTo(2);
        assertThat(err.toString()).contains("Missing required option: '--port=P'");
        assertThat(cl.execute("serve-echo", "--port", "70000")).isEqualTo(2);
        assertThat(err.toString()).contains("--port must be 0 to 65535: 70000");
    }
}
