package dev.greenhub.bench.http;

import java.io.IOException;
import java.nio.charset.StandardCharsets;

/** What W8's hello-world servers have in common: the response and how a server child ends. */
public final class HelloServers {
    /** The body every W8 server answers with. */
    public static final byte[] BODY = "hello, world".getBytes(StandardCharsets.US_ASCII);
    /** Its content type. */
    public static final String CONTENT_TYPE = "text/plain";

    private HelloServers() {
    }

    /** Returns when standard input ends (the bench closed its pipe, or died). */
    static void waitForEndOfInput() {
        try {
            while (System.in.read() >= 0) {
                // the parent never writes
            }
        } catch (IOException e) {
            // the pipe broke: the parent is gone
        }
    }
}
