package dev.greenhub.bench;

import dev.greenhub.cli.GreenEcho;
import java.io.IOException;
import java.net.InetSocketAddress;

/**
 * The W6/W7 greenhub echo server as a child process, {@code GreenEchoProcess HUB PORT}: serves
 * with {@link GreenEcho} on 127.0.0.1, prints {@code LISTENING <port> <hub fd limit>} (or
 * {@code ERROR <reason>} and exits 1) and serves until its standard input ends.
 */
public final class GreenEchoProcess {
    private GreenEchoProcess() {
    }

    /**
     * Runs the server.
     *
     * @param args hub, port
     */
    public static void main(String[] args) {
        if (args.length != 2) {
            System.err.println("usage: GreenEchoProcess HUB PORT");
            System.exit(2);
        }
        GreenEcho.Control control = new GreenEcho.Control();
        Thread.ofPlatform().daemon().name("green-echo-stdin").start(() -> {
            NettyEchoServer.waitForEndOfInput();
            control.stop();
        });
        try {
            GreenEcho.serve(args[0], new InetSocketAddress("127.0.0.1", Integer.parseInt(args[1])), control,
                    (address, hub, limit) -> {
                        System.out.println("LISTENING " + address.getPort() + " " + limit);
                        System.out.flush();
                    });
        } catch (IOException | RuntimeException e) {
            System.out.println("ERROR " + e);
            System.out.flush();
            System.exit(1);
        }
        System.exit(0);
    }
}
