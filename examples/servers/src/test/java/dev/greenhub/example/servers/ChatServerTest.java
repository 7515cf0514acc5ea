package dev.greenhub.example.servers;

import static dev.greenhub.example.servers.TestSupport.LOOPBACK;
import static dev.greenhub.example.servers.TestSupport.assertNoFdLeft;
import static dev.greenhub.example.servers.TestSupport.assertStopped;
import static dev.greenhub.example.servers.TestSupport.openFds;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The chat server on every hub, driven by plain JDK blocking sockets from the test thread (any
 * client works with a green server).
 */
class ChatServerTest {
    private static final int READ_TIMEOUT_MILLIS = 20_000;

    /** A chat client over a JDK socket; every read is bounded by {@link #READ_TIMEOUT_MILLIS}. */
    private static final class Client implements AutoCloseable {
        final Socket socket;
        final BufferedReader in;
        final OutputStream out;
        final String name;

        Client(InetSocketAddress server, int receiveBuffer) throws IOException {
            socket = new Socket();
            if (receiveBuffer > 0) {
                socket.setReceiveBufferSize(receiveBuffer);
            }
            socket.connect(server, READ_TIMEOUT_MILLIS);
            socket.setSoTimeout(READ_TIMEOUT_MILLIS);
            in = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8));
            out = socket.getOutputStream();
            name = ChatServer.nameOf((InetSocketAddress) socket.getLocalSocketAddress());
        }

        static Client join(RunningServer server, int others) throws IOException {
            Client c = new Client(server.address(), 0);
            assertThat(c.readLine()).isEqualTo("* you are " + c.name + "; " + others + " others here");
            return c;
        }

        void say(String line) throws IOException {
            out.write((line + "\n").getBytes(StandardCharsets.UTF_8));
        }

        String readLine() throws IOException {
            return in.readLine();
        }

        @Override
        public void close() throws IOException {
            socket.close();
        }
    }

    @ParameterizedTest
    @MethodSource("dev.greenhub.example.servers.EveryHub#hubs")
    void everyClientSeesTheOthersLinesInOrderButNotItsOwnAndLearnsWhoLeft(String hub) throws Exception {
        int fdsBefore = openFds();
        RunningServer server = ChatServer.start(LOOPBACK, hub, ChatServer.DEFAULT_QUEUE_LINES);
        try (Client a = Client.join(server, 0)) {
            Client b = Client.join(server, 1);
            assertThat(a.readLine()).isEqualTo("* " + b.name + " joined");
            Client c = Client.join(server, 2);
            assertThat(a.readLine()).isEqualTo("* " + c.name + " joined");
            assertThat(b.readLine()).isEqualTo("* " + c.name + " joined");
            List<Client> all = List.of(a, b, c);

            int lines = 100;
            for (int i = 0; i < lines; i++) {
                for (Client sender : all) {
                    sender.say("line " + i + " from " + sender.name);
                }
            }
            for (Client receiver : all) {
                Map<String, List<String>> bySender = new LinkedHashMap<>();
                for (int i = 0; i < 2 * lines; i++) {
                    String line = receiver.readLine();
                    assertThat(line).as("line %d to %s", i, receiver.name).isNotNull().contains(": ");
                    String sender = line.substring(0, line.indexOf(": "));
                    bySender.computeIfAbsent(sender, k -> new ArrayList<>()).add(line.substring(line.indexOf(": ") + 2));
                }
                List<String> others = all.stream().filter(x -> x != receiver).map(x -> x.name).toList();
                assertThat(bySender.keySet()).as("senders %s heard", receiver.name).containsExactlyInAnyOrderElementsOf(others);
                for (String sender : others) {
                    List<String> expected = new ArrayList<>();
                    for (int i = 0; i < lines; i++) {
                        expected.add("line " + i + " from " + sender);
                    }
                    assertThat(bySender.get(sender)).as("%s's lines to %s", sender, receiver.name).isEqualTo(expected);
                }
            }

            c.close(); // leaves
            assertThat(a.readLine()).isEqualTo("* " + c.name + " left");
            assertThat(b.readLine()).isEqualTo("* " + c.name + " left");
            a.say("still here?");
            assertThat(b.readLine()).isEqualTo(a.name + ": still here?");

            b.socket.shutdownOutput(); // leaving by half-close works too
            assertThat(a.readLine()).isEqualTo("* " + b.name + " left");
            assertThat(b.readLine()).as("b's connection ends").isNull();
            b.close();

            Client d = Client.join(server, 1); // a is the only other one left
            assertThat(a.readLine()).isEqualTo("* " + d.name + " joined");
            d.close();
            assertThat(a.readLine()).isEqualTo("* " + d.name + " left");
        } finally {
            server.close();
        }
        assertStopped(server);
        assertNoFdLeft(fdsBefore);
    }

    @ParameterizedTest
    @MethodSource("dev.greenhub.example.servers.EveryHub#hubs")
    void aClientThatDoesNotReadIsDisconnectedWhileTheOthersGoOn(String hub) throws Exception {
        int queueLines = 16;
        int fdsBefore = openFds();
        RunningServer server = ChatServer.start(LOOPBACK, hub, queueLines);
        try (Client slow = new Client(server.address(), 4096)) {
            Client a = Client.join(server, 1);
            Client b = Client.join(server, 2);
            assertThat(a.readLine()).isEqualTo("* " + b.name + " joined");

            // About 2 MB for the slow client, far more than its queue and both socket buffers.
            String filler = "x".repeat(1000);
            String notice = "* " + slow.name + " was disconnected (too slow: " + queueLines + " lines were waiting for it)";
            int noticesToB = 0;
            for (int i = 0; i < 2000; i++) {
                a.say(i + " " + filler);
                String line = b.readLine(); // b keeps up: it reads each line before a sends the next
                if (line.equals(notice)) {
                    noticesToB++;
                    line = b.readLine();
                }
                assertThat(line).isEqualTo(a.name + ": " + i + " " + filler);
            }
            assertThat(noticesToB).as("b told that the slow client was disconnected").isEqualTo(1);
            assertThat(a.readLine()).isEqualTo(notice);

            // The slow client gets what was sent to it before the cut, in order, then the end.
            int got = 0;
            for (String line = slow.readLine(); line != null; line = slow.readLine()) {
                if (got == 0) {
                    assertThat(line).startsWith("* you are " + slow.name);
                } else if (got == 1) {
                    assertThat(line).isEqualTo("* " + a.name + " joined");
                } else if (got == 2) {
                    assertThat(line).isEqualTo("* " + b.name + " joined");
                } else {
                    String expected = a.name + ": " + (got - 3) + " " + filler;
                    if (!line.equals(expected)) {
                        // the cut may come in the middle of a line: then it is the last one
                        assertThat(expected).as("a line cut short by the disconnect").startsWith(line);
                        assertThat(slow.readLine()).isNull();
                        break;
                    }
                }
                got++;
            }
            assertThat(got - 3).as("lines the slow client got").isPositive().isLessThan(2000);
            a.close();
            b.close();
        } finally {
            server.close();
        }
        assertStopped(server);
        assertNoFdLeft(fdsBefore);
    }

    @ParameterizedTest
    @MethodSource("dev.greenhub.example.servers.EveryHub#hubs")
    void aLineOverTheLimitEndsTheSendersConnection(String hub) throws Exception {
        int fdsBefore = openFds();
        RunningServer server = ChatServer.start(LOOPBACK, hub, ChatServer.DEFAULT_QUEUE_LINES);
        try (Client a = Client.join(server, 0); Client b = Client.join(server, 1)) {
            assertThat(a.readLine()).isEqualTo("* " + b.name + " joined");
            b.say("é".repeat(ChatServer.MAX_LINE_BYTES / 2)); // exactly the limit, in two-byte characters
            assertThat(a.readLine()).isEqualTo(b.name + ": " + "é".repeat(ChatServer.MAX_LINE_BYTES / 2));
            b.say("y".repeat(ChatServer.MAX_LINE_BYTES + 1));
            assertThat(b.readLine()).isEqualTo("* lines may have at most " + ChatServer.MAX_LINE_BYTES + " bytes; goodbye");
            assertThat(b.readLine()).isNull();
            assertThat(a.readLine()).isEqualTo("* " + b.name + " was disconnected (line too long)");
        } finally {
            server.close();
        }
        assertStopped(server);
        assertNoFdLeft(fdsBefore);
    }

    @Test
    void closingTheServerEndsEveryClientsConnection() throws Exception {
        RunningServer server = ChatServer.start(LOOPBACK);
        try (Client a = Client.join(server, 0); Client b = Client.join(server, 1)) {
            assertThat(a.readLine()).isEqualTo("* " + b.name + " joined");
            server.close();
            assertStopped(server);
            assertThat(a.readLine()).isIn(null, "* " + b.name + " left");
            assertThat(a.readLine()).isNull();
            assertThat(b.readLine()).isIn(null, "* " + a.name + " left");
            assertThat(b.readLine()).isNull();
        } finally {
            server.close();
        }
    }

    @Test
    void aQueueOfNoLinesIsRefused() {
        assertThatThrownBy(() -> ChatServer.start(LOOPBACK, null, 0))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("queueLines must be at least 1, not 0");
    }
}
