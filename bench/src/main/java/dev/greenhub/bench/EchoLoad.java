package dev.greenhub.bench;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.HdrHistogram.Histogram;

/**
 * The load generator of W6/W7, run as a process of its own so that it never shares the server's
 * hub thread: {@code EchoLoad PORT ACTIVE IDLE PAYLOAD WARMUP_S SECONDS}. It connects {@code IDLE}
 * connections that stay silent and {@code ACTIVE} connections that each send {@code PAYLOAD} bytes,
 * wait for all of them to come back, check them, and send again, from one thread with a JDK
 * selector (loopback only: 127.0.0.1). It prints one line
 * {@code LOAD requests=N seconds=S requests_per_s=R p50_us=.. p99_us=.. p999_us=.. max_us=.. total_requests=T
 * unanswered_connections=U fewest_answers=F waiting_max_us=W p99_co_us=C} (a run whose first measured
 * request has not come back after SECONDS goes on until it has, 30 s more at most) and exits 0; on
 * an error (a wrong byte, a closed connection) it prints {@code ERROR ...} and exits 1. The C
 * {@code echo_load} (bench/src/main/c) prints the same line by the same rules.
 *
 * <p>A request's latency runs from just before its write to the read that completes its echo (the
 * clock is read per echo, not once per select). T counts the warm-up's requests too. The rest says
 * whether the server served every connection, which the latencies of answered requests cannot
 * show (a request never answered has no latency, and a starved connection sends few requests):
 * U connections had no measured request answered, F is the least any connection got, W is the age
 * in microseconds of the oldest request still unanswered at the end, and C is the 99th percentile
 * corrected for coordinated omission: each request still waiting at the end counts with its age, and
 * a latency L also counts L - I, L - 2I, ... down to I, where I is a connection's mean round trip
 * ({@code ACTIVE / requests_per_s}, Little's law), for the requests that connection would have sent
 * meanwhile had it been served like the others ({@link Histogram#recordValueWithExpectedInterval}).
 */
public final class EchoLoad {
    private EchoLoad() {
    }

    /**
     * Runs the load.
     *
     * @param args port, active, idle, payload, warm-up seconds, seconds
     */
    public static void main(String[] args) {
        if (args.length != 6) {
            System.err.println("usage: EchoLoad PORT ACTIVE IDLE PAYLOAD WARMUP_S SECONDS");
            System.exit(2);
        }
        try {
            String line = run(Integer.parseInt(args[0]), Integer.parseInt(args[1]), Integer.parseInt(args[2]),
                    Integer.parseInt(args[3]), Double.parseDouble(args[4]), Double.parseDouble(args[5]));
            System.out.println(line);
            System.out.flush();
            System.exit(0);
        } catch (Exception e) {
            System.out.println("ERROR " + e);
            e.printStackTrace(System.err);
            System.exit(1);
        }
    }

    private static final class Connection {
        final SocketChannel channel;
        final ByteBuffer out;
        final ByteBuffer in;
        final byte[] expected;
        long sentAt;
        long sequence;
        long answers;
        boolean waiting;

        Connection(SocketChannel channel, int payload) {
            this.channel = channel;
            this.out = ByteBuffer.allocateDirect(payload);
            this.in = ByteBuffer.allocateDirect(payload);
            this.expected = new byte[payload];
        }
    }

    static String run(int port, int active, int idle, int payload, double warmupSeconds, double seconds)
            throws IOException {
        if (payload < 8) {
            throw new IllegalArgumentException("payload must be at least 8 bytes: " + payload);
        }
        InetSocketAddress address = new InetSocketAddress("127.0.0.1", port);
        List<SocketChannel> idlers = new ArrayList<>(idle);
        List<Connection> connections = new ArrayList<>(active);
        try (Selector selector = Selector.open()) {
            for (int i = 0; i < idle; i++) {
                idlers.add(SocketChannel.open(address));
            }
            for (int i = 0; i < active; i++) {
                SocketChannel ch = SocketChannel.open(address);
                ch.setOption(StandardSocketOptions.TCP_NODELAY, true);
                ch.configureBlocking(false);
                Connection c = new Connection(ch, payload);
                ch.register(selector, SelectionKey.OP_READ, c);
                connections.add(c);
            }
            Histogram latency = new Histogram(60_000_000_000L, 3);
            long start = System.nanoTime();
            long measureFrom = start + (long) (warmupSeconds * 1e9);
            long end = measureFrom + (long) (seconds * 1e9);
            for (Connection c : connections) {
                send(c, payload);
            }
            long requests = 0;
            long total = 0;
            byte[] got = new byte[payload];
            long now = start;
            long hardEnd = end + 30_000_000_000L;
            while (now < end || requests == 0 && now < hardEnd) {
                selector.select(100);
                now = System.nanoTime();
                for (SelectionKey key : selector.selectedKeys()) {
                    Connection c = (Connection) key.attachment();
                    if (key.isWritable()) {
                        c.channel.write(c.out);
                        if (!c.out.hasRemaining()) {
                            key.interestOps(SelectionKey.OP_READ);
                        }
                    }
                    if (!key.isReadable()) {
                        continue;
                    }
                    int n = c.channel.read(c.in);
                    if (n < 0) {
                        throw new IOException("the server closed connection " + c.channel.getLocalAddress()
                                + " after " + c.sequence + " requests");
                    }
                    if (c.in.hasRemaining()) {
                        continue;
                    }
                    c.in.flip();
                    c.in.get(got);
                    c.in.clear();
                    if (!Arrays.equals(got, c.expected)) {
                        throw new IOException("connection " + c.channel.getLocalAddress() + " request " + c.sequence
                                + ": the echo differs from what was sent");
                    }
                    total++;
                    c.waiting = false;
                    if (c.sentAt >= measureFrom) {
                        requests++;
                        c.answers++;
                        latency.recordValue(Math.min(System.nanoTime() - c.sentAt, latency.getHighestTrackableValue()));
                    }
                    if (now < end || requests == 0 && now < hardEnd) {
                        send(c, payload);
                        if (c.out.hasRemaining()) {
                            key.interestOps(SelectionKey.OP_READ | SelectionKey.OP_WRITE);
                        }
                    }
                }
                selector.selectedKeys().clear();
            }
            double measured = (now - measureFrom) / 1e9;
            Metrics m = new Metrics().count("requests", requests).decimal("seconds", measured)
                    .rate("requests_per_s", requests / measured).latencyMicros("", latency, true)
                    .count("total_requests", total);
            served(m, connections, latency, requests == 0 ? 0 : (long) ((double) active * (now - measureFrom) / requests));
            StringBuilder line = new StringBuilder("LOAD");
            m.map().forEach((k, v) -> line.append(' ').append(k).append('=').append(v));
            return line.toString();
        } finally {
            for (Connection c : connections) {
                c.channel.close();
            }
            for (SocketChannel ch : idlers) {
                ch.close();
            }
        }
    }

    /** The fairness metrics and the corrected p99 (see the class comment), from the end of a run. */
    private static void served(Metrics m, List<Connection> connections, Histogram latency, long interval) {
        long finished = System.nanoTime();
        Histogram corrected = interval > 0 ? latency.copyCorrectedForCoordinatedOmission(interval) : latency.copy();
        long unanswered = 0;
        long fewest = Long.MAX_VALUE;
        long waitingMax = 0;
        for (Connection c : connections) {
            unanswered += c.answers == 0 ? 1 : 0;
            fewest = Math.min(fewest, c.answers);
            if (c.waiting) {
                long waited = Math.min(finished - c.sentAt, corrected.getHighestTrackableValue());
                waitingMax = Math.max(waitingMax, waited);
                corrected.recordValueWithExpectedInterval(waited, interval);
            }
        }
        m.count("unanswered_connections", unanswered).count("fewest_answers", connections.isEmpty() ? 0 : fewest)
                .decimal("waiting_max_us", waitingMax / 1e3)
                .decimal("p99_co_us", corrected.getValueAtPercentile(99) / 1e3);
    }

    private static void send(Connection c, int payload) throws IOException {
        c.sequence++;
        c.out.clear();
        c.out.putLong(c.sequence);
        for (int i = 8; i < payload; i++) {
            c.out.put((byte) (c.sequence + i));
        }
        c.out.flip();
        c.out.get(0, c.expected);
        c.sentAt = System.nanoTime();
        c.waiting = true;
        c.channel.write(c.out);
    }
}
