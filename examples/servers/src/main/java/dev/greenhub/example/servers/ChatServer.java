package dev.greenhub.example.servers;

import dev.greenhub.Green;
import dev.greenhub.GreenQueue;
import dev.greenhub.GreenThread;
import dev.greenhub.GreenThreadException;
import dev.greenhub.Timeout;
import dev.greenhub.net.GreenSocket;
import java.io.IOException;
import java.net.Inet6Address;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * A line-based chat server: every line a client sends goes to every other connected client as
 * {@code NAME: line}, where NAME is the sender's address as the server sees it
 * ({@code 127.0.0.1:54321}). The server also says:
 * <ul>
 *   <li>to a newcomer: {@code * you are NAME; N others here};</li>
 *   <li>to the others: {@code * NAME joined}, {@code * NAME left}, or
 *       {@code * NAME was disconnected (REASON)}.</li>
 * </ul>
 * A client leaves by closing its connection (or shutting its output down).
 *
 * <h2>How it is built</h2>
 * Each client has two green threads: the connection's handler reads its lines and broadcasts
 * them, and a writer sends it what is in its <em>outbox</em>, a bounded {@link GreenQueue}.
 * Broadcasting only puts a line in every other client's outbox, without waiting
 * ({@link GreenQueue#offer}), so one client that reads slowly never holds up the others.
 *
 * <h2>Slow clients are disconnected</h2>
 * What a client has not yet taken is bounded: its outbox holds at most {@code queueLines} lines
 * (default {@value #DEFAULT_QUEUE_LINES}) on top of a socket send buffer of
 * {@value #SEND_BUFFER_BYTES} bytes. A line for a client whose outbox is full is not dropped
 * quietly, since that client would then miss part of the conversation without knowing: the client
 * is disconnected instead, and the others are told ({@code * NAME was disconnected (too slow...)}).
 * A client that takes no byte for {@value #WRITE_TIMEOUT_SECONDS} seconds is disconnected as well.
 * Lines longer than {@value #MAX_LINE_BYTES} bytes end the sender's connection.
 *
 * <pre>
 * java ... dev.greenhub.example.servers.ChatServer [--hub NAME] [--bind ADDRESS] [PORT]
 * </pre>
 */
public final class ChatServer {
    /** The port {@code main} listens on unless told otherwise. */
    public static final int DEFAULT_PORT = 7001;
    /** Lines waiting for one client at most, by default. */
    public static final int DEFAULT_QUEUE_LINES = 1000;
    /** The longest line a client may send, in bytes (UTF-8, without the newline). */
    public static final int MAX_LINE_BYTES = 4096;
    /** SO_SNDBUF of every client connection: bounds what the kernel holds for a slow reader. */
    public static final int SEND_BUFFER_BYTES = 64 * 1024;
    /** A client that takes no byte for this long is disconnected. */
    public static final int WRITE_TIMEOUT_SECONDS = 10;
    /** How long a client told to go may still send before its connection is closed. */
    public static final int LINGER_SECONDS = 2;
    /** Clients at once at most; more wait in the listen backlog. */
    public static final int CONCURRENCY = 10_000;
    private static final String USAGE = "usage: ChatServer [--hub NAME] [--bind ADDRESS] [PORT]"
            + "   (default: --bind 127.0.0.1, port " + DEFAULT_PORT + ")";
    /** The writer's signal to stop once the lines before it are sent; compared by identity. */
    private static final byte[] END = new byte[0];

    private final int queueLines;
    /**
     * Everyone connected, in the order they joined. Only this server's green threads touch it, and
     * they run one at a time on one platform thread, switching only where they wait: no lock.
     */
    private final List<Member> members = new ArrayList<>();

    private ChatServer(int queueLines) {
        this.queueLines = queueLines;
    }

    /**
     * Starts a chat server on greenhub's selected hub.
     *
     * @param address where to listen; port 0 picks a free port
     * @return the running server; close it to stop it
     * @throws IOException if it cannot listen
     */
    public static RunningServer start(InetSocketAddress address) throws IOException {
        return start(address, null, DEFAULT_QUEUE_LINES);
    }

    /**
     * Starts a chat server.
     *
     * @param address where to listen; port 0 picks a free port
     * @param hub the hub provider's name, or null for greenhub's selection
     * @param queueLines how many lines may wait for one client before it is disconnected as too
     *     slow; at least 1
     * @return the running server; close it to stop it
     * @throws IllegalArgumentException if {@code queueLines} is less than 1
     * @throws IOException if it cannot listen
     * @throws dev.greenhub.hub.HubUnavailableException if that hub cannot be had
     */
    public static RunningServer start(InetSocketAddress address, String hub, int queueLines) throws IOException {
        if (queueLines < 1) {
            throw new IllegalArgumentException("queueLines must be at least 1, not " + queueLines);
        }
        ChatServer room = new ChatServer(queueLines);
        return RunningServer.start("chat-server", address, hub, CONCURRENCY, room::serve);
    }

    /** One connected client. */
    private final class Member {
        final GreenSocket connection;
        final String name;
        /** Lines for this client (encoded, with their newline), or {@link #END}. The extra slot keeps room for END. */
        final GreenQueue<byte[]> outbox = new GreenQueue<>(queueLines + 1);
        /** Why the server removed this client, or null. */
        String disconnectedBecause;

        Member(GreenSocket connection, String name) {
            this.connection = connection;
            this.name = name;
        }

        /** Queues a line for this client without waiting; a client with a full outbox is disconnected. */
        void deliver(byte[] line) {
            if (outbox.size() >= queueLines) {
                disconnect("too slow: " + queueLines + " lines were waiting for it");
            } else {
                outbox.offer(line);
            }
        }

        /** Removes the client and closes its connection, which wakes its reader and writer. */
        void disconnect(String reason) {
            if (members.remove(this)) {
                disconnectedBecause = reason;
                closeQuietly(connection);
            }
        }

        /** The writer green thread: sends the outbox's lines in order until {@link #END}. */
        Void sendOutbox() {
            try {
                for (byte[] line = outbox.get(); line != END; line = outbox.get()) {
                    connection.writeAll(line);
                }
            } catch (IOException e) {
                // the client is gone, or took nothing for too long: end the reader as well
                disconnect(e instanceof java.net.SocketTimeoutException ? "took nothing for "
                        + WRITE_TIMEOUT_SECONDS + " s" : "write failed: " + e.getMessage());
                closeQuietly(connection);
            }
            return null;
        }
    }

    /** Serves one client, in its own green thread (the connection's handler). */
    private void serve(GreenSocket connection) throws IOException {
        connection.setOption(StandardSocketOptions.SO_SNDBUF, SEND_BUFFER_BYTES);
        connection.setWriteTimeout(Duration.ofSeconds(WRITE_TIMEOUT_SECONDS));
        Member me = new Member(connection, nameOf(connection.remoteAddress()));
        GreenThread<Void> writer = Green.spawn(me::sendOutbox);
        me.deliver(encode("* you are " + me.name + "; " + members.size() + " others here"));
        broadcast(me, "* " + me.name + " joined");
        members.add(me);
        boolean sayGoodbye = false;
        try {
            LineReader lines = new LineReader(connection, MAX_LINE_BYTES);
            for (String line = lines.readLine(); line != null; line = lines.readLine()) {
                broadcast(me, me.name + ": " + line);
            }
        } catch (LineReader.LineTooLongException e) {
            me.deliver(encode("* lines may have at most " + MAX_LINE_BYTES + " bytes; goodbye"));
            me.disconnectedBecause = "line too long";
            sayGoodbye = true;
        } catch (IOException e) {
            // reset by the client, or closed by disconnect(): either way it is gone
        } finally {
            members.remove(me);
            broadcast(me, "* " + me.name + (me.disconnectedBecause == null ? " left"
                    : " was disconnected (" + me.disconnectedBecause + ")"));
            finish(me, writer);
        }
        if (sayGoodbye) {
            closeGently(connection);
        }
        // returning lets serve close the connection
    }

    /**
     * Ends a connection whose client may still be sending, so that the last lines reach it:
     * closing with unread input would make the kernel send a reset, which can destroy what the
     * client has not read yet. So: send the end of the stream, then read and discard until the
     * client closes too, for {@value #LINGER_SECONDS} seconds at most (a green {@link Timeout}).
     */
    private static void closeGently(GreenSocket connection) {
        Timeout limit = Timeout.start(Duration.ofSeconds(LINGER_SECONDS));
        try {
            connection.shutdownOutput();
            ByteBuffer discard = ByteBuffer.allocate(4096);
            while (connection.read(discard) >= 0) {
                discard.clear();
            }
        } catch (Timeout t) {
            if (t != limit) {
                throw t;
            }
        } catch (IOException e) {
            // it went away meanwhile: nothing left to protect
        } finally {
            limit.close();
        }
    }

    /** Lets the writer send what is queued (bounded by the write timeout), then stops it. */
    private static void finish(Member member, GreenThread<Void> writer) {
        if (!member.outbox.offer(END)) {
            writer.kill();
        }
        try {
            writer.get();
        } catch (GreenThreadException e) {
            // killed, or ended by the server's close: nothing more to send
        }
    }

    /** Puts {@code text} in the outbox of everyone but {@code from}. */
    private void broadcast(Member from, String text) {
        byte[] line = encode(text);
        // a copy: deliver may disconnect (remove) a slow member while we go through the list
        for (Member m : List.copyOf(members)) {
            if (m != from) {
                m.deliver(line);
            }
        }
    }

    static String nameOf(InetSocketAddress address) {
        String host = address.getAddress().getHostAddress();
        return address.getAddress() instanceof Inet6Address ? "[" + host + "]:" + address.getPort()
                : host + ":" + address.getPort();
    }

    private static byte[] encode(String text) {
        return (text + "\n").getBytes(StandardCharsets.UTF_8);
    }

    private static void closeQuietly(GreenSocket connection) {
        try {
            connection.close();
        } catch (IOException e) {
            System.getLogger("dev.greenhub.example.servers").log(System.Logger.Level.DEBUG,
                    "closing " + connection + " failed", e);
        }
    }

    /**
     * Runs the chat server until the JVM is stopped (Ctrl-C). Try it with two or three
     * {@code nc 127.0.0.1 7001}.
     *
     * @param args {@code [--hub NAME] [--bind ADDRESS] [PORT]}
     * @throws Exception if it cannot start
     */
    public static void main(String[] args) throws Exception {
        ServerArgs parsed;
        InetSocketAddress address;
        try {
            parsed = ServerArgs.parse(args);
            if (parsed.help()) {
                System.out.println(USAGE);
                return;
            }
            address = parsed.atMost(1).listenAddress(DEFAULT_PORT);
        } catch (IllegalArgumentException e) {
            ServerArgs.fail(USAGE, e.getMessage());
            return;
        }
        RunningServer server = ServerArgs.startOrExit("ChatServer", () -> start(address, parsed.hub(), DEFAULT_QUEUE_LINES));
        server.closeOnShutdown();
        System.out.println("chat server listening on " + server.address() + " (hub " + server.hubName()
                + "); Ctrl-C stops it");
        server.awaitStopped();
    }
}
