package dev.greenhub.bench;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * W8's memory per idle keep-alive connection: this process opens N connections to a server child,
 * sends one GET on each and reads its response (so each is a served keep-alive connection), lets
 * them idle, and compares the child with what it was before in two parts:
 * <ul>
 *   <li>live Java heap after a full collection ({@code jcmd <pid> GC.class_histogram}, which
 *       collects first): what the server's objects for those connections retain;</li>
 *   <li>resident memory ({@code VmRSS}) outside the heap: the child runs with a fixed, pre-touched
 *       heap ({@link #JVM_FLAGS}), so heap growth does not show in its RSS and the RSS delta is
 *       native memory (direct buffers, thread stacks, kernel-side nothing: socket buffers are not in
 *       RSS).</li>
 * </ul>
 * Their sum is {@code bytes_per_idle_connection}.
 */
final class IdleMemory {
    /** The heap of a server whose idle memory is measured: fixed and touched at start. */
    static final List<String> JVM_FLAGS = List.of("-Xms512m", "-Xmx512m", "-XX:+AlwaysPreTouch");
    /** How long the connections idle before the second measurement. */
    static final long SETTLE_MILLIS = 2500;
    private static final byte[] REQUEST = "GET / HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n".getBytes(StandardCharsets.US_ASCII);
    private static final int IO_TIMEOUT_MILLIS = 20_000;

    private IdleMemory() {
    }

    /**
     * Per idle connection: live heap bytes, native resident bytes.
     *
     * @param heap live heap bytes after a full collection
     * @param nativeRss resident bytes outside the (pre-touched) heap
     */
    record PerConnection(long heap, long nativeRss) {
        long total() {
            return heap + nativeRss;
        }
    }

    /**
     * Measures.
     *
     * @param jcmd the jcmd of the server's JDK
     * @param pid the server process
     * @param port its port on 127.0.0.1
     * @param count the idle connections to open
     * @return the bytes per idle connection (a part may be slightly negative: noise)
     * @throws IOException if a connection, a response or jcmd fails
     */
    static PerConnection measure(String jcmd, long pid, int port, int count) throws IOException {
        try (Socket warm = open(port)) {
            exchange(warm);
            exchange(warm);
        }
        sleep(1000);
        long heapBefore = liveHeap(jcmd, pid);
        long before = rss(pid);
        List<Socket> sockets = new ArrayList<>(count);
        try {
            for (int i = 0; i < count; i++) {
                Socket s = open(port);
                sockets.add(s);
                s.getOutputStream().write(REQUEST);
            }
            for (Socket s : sockets) {
                readResponse(s.getInputStream());
            }
            sleep(SETTLE_MILLIS);
            long heapAfter = liveHeap(jcmd, pid);
            long after = rss(pid);
            return new PerConnection((heapAfter - heapBefore) / count, (after - before) / count);
        } finally {
            for (Socket s : sockets) {
                try {
                    s.close();
                } catch (IOException e) {
                    // closing anyway
                }
            }
        }
    }

    private static Socket open(int port) throws IOException {
        Socket s = new Socket();
        s.setSoTimeout(IO_TIMEOUT_MILLIS);
        s.setTcpNoDelay(true);
        s.connect(new InetSocketAddress("127.0.0.1", port), IO_TIMEOUT_MILLIS);
        return s;
    }

    private static void exchange(Socket s) throws IOException {
        OutputStream out = s.getOutputStream();
        out.write(REQUEST);
        readResponse(s.getInputStream());
    }

    /** Reads one response with a Content-Length body; fails on anything else. */
    private static void readResponse(InputStream in) throws IOException {
        StringBuilder head = new StringBuilder();
        while (!(head.length() >= 4 && head.substring(head.length() - 4).equals("\r\n\r\n"))) {
            int c = in.read();
            if (c < 0) {
                throw new IOException("the server closed the connection inside a response head: " + head);
            }
            head.append((char) c);
        }
        if (!head.toString().startsWith("HTTP/1.1 200")) {
            throw new IOException("the server answered " + head.toString().lines().findFirst().orElse(""));
        }
        long length = -1;
        for (String line : head.toString().split("\r\n")) {
            int colon = line.indexOf(':');
            if (colon > 0 && line.substring(0, colon).strip().equalsIgnoreCase("Content-Length")) {
                length = Long.parseLong(line.substring(colon + 1).strip());
            }
        }
        if (length < 0) {
            throw new IOException("the response has no Content-Length: " + head);
        }
        if (in.readNBytes((int) length).length != length) {
            throw new IOException("the server closed the connection inside a response body");
        }
    }

    /** The live heap bytes of JVM {@code pid} after a full collection: the total of its class histogram. */
    static long liveHeap(String jcmd, long pid) throws IOException {
        Process p = new ProcessBuilder(jcmd, Long.toString(pid), "GC.class_histogram").redirectErrorStream(true).start();
        p.getOutputStream().close();
        String output;
        try (InputStream in = p.getInputStream()) {
            output = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        try {
            if (!p.waitFor(60, java.util.concurrent.TimeUnit.SECONDS) || p.exitValue() != 0) {
                p.destroyForcibly();
                throw new IOException("jcmd " + pid + " GC.class_histogram failed: " + output.strip());
            }
        } catch (InterruptedException e) {
            p.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
        for (String line : output.lines().toList().reversed()) {
            String[] words = line.strip().split("\\s+");
            if (words.length == 3 && words[0].equals("Total")) {
                return Long.parseLong(words[2]);
            }
        }
        throw new IOException("jcmd " + pid + " GC.class_histogram printed no Total line: " + output.strip());
    }

    /** The resident set size of process {@code pid} in bytes. */
    static long rss(long pid) throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
            if (line.startsWith("VmRSS:")) {
                String[] parts = line.substring("VmRSS:".length()).strip().split("\\s+");
                return Long.parseLong(parts[0]) * 1024;
            }
        }
        throw new IOException("/proc/" + pid + "/status has no VmRSS line (resident memory is measured on Linux only)");
    }

    private static void sleep(long millis) throws IOException {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
    }
}
