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
 * Each side's resident memory is read after its collection, once it has settled
 * ({@link SettledRss}): the JVM's own transient native memory (the JIT's arena chunks, freed by
 * HotSpot every 5 s and trimmed back to the kernel by {@link #JVM_FLAGS}) is then gone from both
 * readings. Their sum is {@code bytes_per_idle_connection}; {@link IdleCost} says when a reading
 * cannot be used.
 */
final class IdleMemory {
    /**
     * The flags of a server whose idle memory is measured: a heap fixed and touched at start, and
     * the native heap trimmed every second ({@code malloc_trim}), so memory the JVM or a library
     * frees goes back to the kernel and leaves the resident set instead of lingering in glibc's
     * arenas in one reading and not the other.
     */
    static final List<String> JVM_FLAGS = List.of("-Xms512m", "-Xmx512m", "-XX:+AlwaysPreTouch",
            "-XX:TrimNativeHeapInterval=1000");
    /** How long the connections idle before the second measurement starts (its collection and settling follow). */
    static final long IDLE_MILLIS = 2500;
    /**
     * The longest the reading before the connections waits to settle: a fresh server's JIT may still
     * be compiling (the JDK HttpServer's first 10 s timer ticks, for one, each leave a few hundred KiB
     * for the chunk pool cleaner).
     */
    static final long BEFORE_LIMIT_MILLIS = 45_000;
    /**
     * The longest the reading after the idle window waits to settle: short enough that the
     * connections are still open when it is taken (the JDK HttpServer closes connections idle for
     * 30 s, greenhub's for 60 s), which {@link IdleCost} checks.
     */
    static final long AFTER_LIMIT_MILLIS = 22_000;
    private static final byte[] REQUEST = "GET / HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n".getBytes(StandardCharsets.US_ASCII);
    private static final int IO_TIMEOUT_MILLIS = 20_000;

    private IdleMemory() {
    }

    /**
     * Measures: a warm-up exchange; the live heap and the settled resident memory; N connections
     * opened, each served one GET; {@link #IDLE_MILLIS} idle; the live heap and the settled
     * resident memory again. Takes at least twice {@link SettledRss#WINDOW_MILLIS} plus the idle time.
     *
     * @param jcmd the jcmd of the server's JDK
     * @param pid the server process
     * @param port its port on 127.0.0.1
     * @param count the idle connections to open
     * @return what was read; {@link IdleCost#unusable()} says whether it can be used
     * @throws IOException if a connection, a response, jcmd or {@code /proc} fails
     */
    static IdleCost measure(String jcmd, long pid, int port, int count) throws IOException {
        try (Socket warm = open(port)) {
            exchange(warm);
            exchange(warm);
        }
        long heapBefore = liveHeap(jcmd, pid);
        SettledRss.Reading before = SettledRss.read(pid, BEFORE_LIMIT_MILLIS);
        int fdsBefore = openFiles(pid);
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
            sleep(IDLE_MILLIS);
            long heapAfter = liveHeap(jcmd, pid);
            SettledRss.Reading after = SettledRss.read(pid, AFTER_LIMIT_MILLIS);
            int fdsAfter = openFiles(pid);
            return new IdleCost(count, heapBefore, heapAfter, before, after, fdsBefore, fdsAfter);
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

    /** The number of open file descriptors of process {@code pid} (Linux). */
    static int openFiles(long pid) throws IOException {
        try (var fds = Files.list(Path.of("/proc", Long.toString(pid), "fd"))) {
            return (int) fds.count();
        }
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
