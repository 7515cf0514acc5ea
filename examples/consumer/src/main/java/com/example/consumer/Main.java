package com.example.consumer;

import dev.greenhub.Green;
import dev.greenhub.GreenThread;
import dev.greenhub.Scheduler;
import dev.greenhub.net.GreenNet;
import dev.greenhub.net.GreenServerSocket;
import dev.greenhub.net.GreenSocket;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * A program that only has greenhub's artifacts: 100 green threads that sleep and answer, then a
 * green echo server and a green client on 127.0.0.1, all on this thread's hub. Prints what it did
 * and exits 0, or exits 1 saying what went wrong.
 */
public final class Main {
    private Main() {
    }

    public static void main(String[] args) throws Exception {
        List<GreenThread<Integer>> threads = new ArrayList<>();
        for (int i = 1; i <= 100; i++) {
            int n = i;
            threads.add(Green.spawn(() -> {
                Green.sleep(Duration.ofMillis(n % 10));
                return n;
            }));
        }
        int sum = 0;
        for (GreenThread<Integer> t : threads) {
            sum += t.get();
        }
        check(sum == 5050, "the 100 green threads returned a sum of " + sum + ", not 5050");

        String hub = Scheduler.current().hubName();
        String reply;
        try (GreenServerSocket server = GreenNet.listen(new InetSocketAddress("127.0.0.1", 0))) {
            GreenThread<Void> echo = Green.spawn(() -> {
                try (GreenSocket connection = server.accept()) {
                    ByteBuffer buffer = ByteBuffer.allocate(64);
                    while (connection.read(buffer) >= 0) {
                        connection.writeAll(buffer.flip());
                        buffer.clear();
                    }
                }
                return null;
            });
            reply = talk(server.localAddress(), "hello, green world");
            echo.get();
        }
        check(reply.equals("hello, green world"), "the echo answered '" + reply + "'");
        System.out.println("consumer ok: 100 green threads summed to 5050; green echo on hub " + hub
                + " answered '" + reply + "'");
    }

    private static String talk(InetSocketAddress address, String message) throws IOException {
        try (GreenSocket client = GreenNet.connect(address)) {
            byte[] bytes = message.getBytes(StandardCharsets.UTF_8);
            client.writeAll(bytes);
            client.shutdownOutput();
            ByteBuffer reply = ByteBuffer.allocate(bytes.length + 16);
            int n = client.readFully(reply);
            return new String(reply.array(), 0, n, StandardCharsets.UTF_8);
        }
    }

    private static void check(boolean ok, String problem) {
        if (!ok) {
            System.err.println("consumer FAILED: " + problem);
            System.exit(1);
        }
    }
}
