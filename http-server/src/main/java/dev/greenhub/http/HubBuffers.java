package dev.greenhub.http;

import dev.greenhub.Scheduler;
import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The direct buffers connections do their socket I/O through, one set per hub. Reading or writing a
 * heap buffer makes the JDK copy through a temporary direct buffer that it finds in a carrier-thread
 * local on every call; connections instead read into their hub's {@linkplain Local#readView() read
 * buffer} and write from a direct buffer {@linkplain Local#takeWrite() taken} from their hub's pool.
 * Thread-safe (hubs look theirs up concurrently); each hub's {@link Local} is used on that hub's
 * thread only.
 */
final class HubBuffers {
    /** Write buffers a hub keeps for reuse besides its spare one; more are made while more writes wait at once. */
    static final int MAX_POOLED_WRITE_BUFFERS = 16;
    private final int readCapacity;
    private final int writeCapacity;
    private final ConcurrentHashMap<Scheduler, Local> perHub = new ConcurrentHashMap<>();

    HubBuffers(int readCapacity, int writeCapacity) {
        this.readCapacity = readCapacity;
        this.writeCapacity = writeCapacity;
    }

    /** The buffers of {@code hub}, made at their first use. */
    Local of(Scheduler hub) {
        Local l = perHub.get(hub);
        return l != null ? l : perHub.computeIfAbsent(hub, h -> new Local(readCapacity, writeCapacity));
    }

    /** One hub's buffers; used on that hub's thread only. */
    static final class Local {
        private final ByteBuffer read;
        private final int writeCapacity;
        /** The buffer most writes use; null while taken. */
        private ByteBuffer spare;
        /** More buffers, for writes that wait while others write. */
        private final ArrayDeque<ByteBuffer> writes = new ArrayDeque<>();

        Local(int readCapacity, int writeCapacity) {
            this.read = ByteBuffer.allocateDirect(readCapacity);
            this.writeCapacity = writeCapacity;
        }

        /**
         * A view of the hub's read buffer with a position and limit of its own. Every connection of
         * the hub reads into the same memory: it must copy the bytes out after a read with no wait
         * in between (a hub runs one green thread at a time, so no other read can come between).
         * {@link dev.greenhub.net.GreenSocket#read(ByteBuffer)} writes into its buffer only in the
         * read(2) that ends it, never before a wait.
         */
        ByteBuffer readView() {
            return read.duplicate();
        }

        /**
         * A direct buffer of the write capacity, cleared, held by the caller until {@link #giveBack}.
         * Usually the one spare buffer: a write that needs no wait gives it back before the next.
         */
        ByteBuffer takeWrite() {
            ByteBuffer b = spare;
            if (b != null) {
                spare = null;
                return b;
            }
            b = writes.pollLast();
            return b != null ? b : ByteBuffer.allocateDirect(writeCapacity);
        }

        /** Returns a buffer from {@link #takeWrite()} for reuse. */
        void giveBack(ByteBuffer b) {
            b.clear();
            if (spare == null) {
                spare = b;
            } else if (writes.size() < MAX_POOLED_WRITE_BUFFERS) {
                writes.addLast(b);
            }
        }

        int readCapacity() {
            return read.capacity();
        }

        int writeCapacity() {
            return writeCapacity;
        }
    }
}
