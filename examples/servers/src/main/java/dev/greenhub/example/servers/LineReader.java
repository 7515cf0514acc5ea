package dev.greenhub.example.servers;

import dev.greenhub.net.GreenSocket;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * Reads UTF-8 lines ending in {@code \n} (a {@code \r} before it is dropped) from a green socket,
 * refusing lines longer than a limit, so that a client cannot make the server buffer without end.
 */
final class LineReader {
    private final GreenSocket socket;
    private final ByteBuffer buffer;
    /** buffer[0, scanned) holds no newline. */
    private int scanned;
    private boolean ended;

    LineReader(GreenSocket socket, int maxLineBytes) {
        this.socket = socket;
        this.buffer = ByteBuffer.allocate(maxLineBytes + 1); // room for the newline
    }

    /**
     * The next line without its terminator; at the end of the stream, the unterminated rest if
     * there is one, then null.
     *
     * @throws LineTooLongException if a line is longer than the limit
     * @throws IOException if reading fails
     */
    String readLine() throws IOException {
        while (true) {
            for (int i = scanned; i < buffer.position(); i++) {
                if (buffer.get(i) == '\n') {
                    return take(i, i + 1);
                }
            }
            scanned = buffer.position();
            if (ended) {
                return buffer.position() == 0 ? null : take(buffer.position(), buffer.position());
            }
            if (!buffer.hasRemaining()) {
                throw new LineTooLongException("line longer than " + (buffer.capacity() - 1) + " bytes from " + socket);
            }
            if (socket.read(buffer) < 0) {
                ended = true;
            }
        }
    }

    /** Removes buffer[0, next) and returns buffer[0, end) as a line. */
    private String take(int end, int next) {
        int length = end > 0 && buffer.get(end - 1) == '\r' ? end - 1 : end;
        String line = new String(buffer.array(), 0, length, StandardCharsets.UTF_8);
        buffer.flip().position(next);
        buffer.compact();
        scanned = 0;
        return line;
    }

    /** A line went over the limit. */
    static final class LineTooLongException extends IOException {
        private static final long serialVersionUID = 1L;

        LineTooLongException(String message) {
            super(message);
        }
    }
}
