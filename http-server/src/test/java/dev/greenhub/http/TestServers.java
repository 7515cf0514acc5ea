package dev.greenhub.http;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Random;

/** Shared pieces of the HTTP tests: routes, raw-socket helpers, byte patterns. */
final class TestServers {
    static final InetSocketAddress LOOPBACK = new InetSocketAddress(InetAddress.getLoopbackAddress(), 0);
    /** Upper bound of any single wait in these tests; reached only if something is broken. */
    static final int SOCKET_TIMEOUT_MS = 20_000;

    private TestServers() {
    }

    /** /hello answers "hello"; /echo streams the request body back; /big?n= sends n pattern bytes. */
    static final HttpHandler ROUTES = (request, response) -> {
        switch (request.path()) {
            case "/hello" -> response.sendText(200, "hello");
            case "/echo" -> {
                long length = request.contentLength();
                try (OutputStream out = response.send(200, length >= 0 ? length : HttpResponse.UNKNOWN_LENGTH);
                     InputStream in = request.body()) {
                    in.transferTo(out);
                }
            }
            case "/big" -> {
                int n = Integer.parseInt(request.query().substring(2));
                byte[] all = pattern(7, n);
                try (OutputStream out = response.send(200, HttpResponse.UNKNOWN_LENGTH)) {
                    for (int off = 0; off < n; off += 65536) {
                        out.write(all, off, Math.min(65536, n - off));
                    }
                }
            }
            case "/digest" -> {
                // streams the body through SHA-256: constant memory whatever its size
                java.security.MessageDigest sha = java.security.MessageDigest.getInstance("SHA-256");
                byte[] buf = new byte[16384];
                long total = 0;
                int n;
                while ((n = request.body().read(buf)) > 0) {
                    sha.update(buf, 0, n);
                    total += n;
                }
                response.sendText(200, total + ":" + java.util.HexFormat.of().formatHex(sha.digest()));
            }
            default -> response.sendText(404, "no route " + request.path());
        }
    };

    static GreenHttpServer start(String hub, HttpHandler handler, HttpLimits limits, int hubs) throws IOException {
        return GreenHttpServer.builder(LOOPBACK, handler).hub(hub).hubs(hubs).limits(limits).start();
    }

    static String digest(byte[] data) throws Exception {
        return data.length + ":" + java.util.HexFormat.of().formatHex(
                java.security.MessageDigest.getInstance("SHA-256").digest(data));
    }

    static byte[] pattern(int seed, int length) {
        byte[] b = new byte[length];
        new Random(seed).nextBytes(b);
        return b;
    }

    static Socket connect(GreenHttpServer server) throws IOException {
        Socket s = new Socket(server.address().getAddress(), server.address().getPort());
        s.setSoTimeout(SOCKET_TIMEOUT_MS);
        return s;
    }

    /** Sends {@code request} and reads until the server closes; returns all it sent. */
    static String exchangeUntilClose(GreenHttpServer server, String request) throws IOException {
        try (Socket s = connect(server)) {
            s.getOutputStream().write(request.getBytes(StandardCharsets.ISO_8859_1));
            s.getOutputStream().flush();
            return readToClose(s);
        }
    }

    static String readToClose(Socket s) throws IOException {
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        s.getInputStream().transferTo(all);
        return all.toString(StandardCharsets.ISO_8859_1);
    }

    /** Reads one response with a Content-Length body from a raw stream. */
    static String readResponse(InputStream in) throws IOException {
        StringBuilder head = new StringBuilder();
        while (!head.toString().endsWith("\r\n\r\n")) {
            int c = in.read();
            if (c < 0) {
                throw new IOException("connection ended inside a response head: " + head);
            }
            head.append((char) c);
        }
        int length = 0;
        for (String line : head.toString().split("\r\n")) {
            if (line.toLowerCase().startsWith("content-length:")) {
                length = Integer.parseInt(line.substring(15).strip());
            }
        }
        byte[] body = in.readNBytes(length);
        return head + new String(body, StandardCharsets.ISO_8859_1);
    }

    static Duration seconds(int n) {
        return Duration.ofSeconds(n);
    }
}
