package dev.greenhub.net;

import java.io.IOException;
import java.net.SocketAddress;

/**
 * A datagram arrived that was larger than the room in the caller's buffer
 * ({@link GreenDatagramSocket#receive} or {@link GreenDatagramSocket#read}). The datagram is
 * consumed: the buffer holds its first bytes (as many as fitted), the rest is gone, and this
 * exception says how long it was and who sent it. Receive into a buffer with room for
 * {@link GreenDatagramSocket#MAX_DATAGRAM} bytes to never see it.
 */
public final class DatagramTooLargeException extends IOException {
    private static final long serialVersionUID = 1L;

    private final transient SocketAddress sender;
    /** The datagram's full length in bytes. */
    private final int datagramLength;
    /** How many of its bytes the buffer received. */
    private final int room;

    DatagramTooLargeException(String socket, SocketAddress sender, int datagramLength, int room) {
        super("a datagram of " + datagramLength + " bytes from " + sender + " did not fit the " + room
                + " bytes of room in the buffer given to " + socket + ": the first " + room
                + " bytes are in the buffer, the rest is lost; give a buffer with room for the largest"
                + " datagram expected (" + GreenDatagramSocket.MAX_DATAGRAM + " bytes fit any)");
        this.sender = sender;
        this.datagramLength = datagramLength;
        this.room = room;
    }

    /**
     * Who sent the datagram.
     *
     * @return the sender's address
     */
    public SocketAddress sender() {
        return sender;
    }

    /**
     * The datagram's full length.
     *
     * @return its length in bytes
     */
    public int datagramLength() {
        return datagramLength;
    }

    /**
     * How many bytes of it the buffer received.
     *
     * @return the buffer's room when the datagram arrived
     */
    public int received() {
        return room;
    }
}
