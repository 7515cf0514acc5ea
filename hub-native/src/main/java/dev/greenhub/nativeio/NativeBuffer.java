package dev.greenhub.nativeio;

import com.kenai.jffi.MemoryIO;
import jnr.ffi.Pointer;

/**
 * A block of native memory that is freed explicitly and whose every access is bounds-checked, so a
 * bug in a hub fails with an exception instead of writing past the block.
 *
 * <p>Not thread-safe: owned by one hub.
 */
public final class NativeBuffer implements AutoCloseable {
    private static final MemoryIO IO = MemoryIO.getInstance();

    private final long size;
    private long address;
    private final Pointer pointer;

    private NativeBuffer(long size) {
        if (size <= 0) {
            throw new IllegalArgumentException("native buffer size must be positive, got " + size);
        }
        this.size = size;
        this.address = IO.allocateMemory(size, true);
        if (address == 0) {
            throw new OutOfMemoryError("could not allocate " + size + " bytes of native memory");
        }
        this.pointer = Pointer.wrap(Native.runtime(), address, size);
    }

    /**
     * Allocates {@code size} zeroed bytes.
     *
     * @param size the size in bytes, positive
     * @return the buffer
     */
    public static NativeBuffer allocate(long size) {
        return new NativeBuffer(size);
    }

    /**
     * The size in bytes.
     *
     * @return the size
     */
    public long size() {
        return size;
    }

    /**
     * The memory as a jnr pointer, to pass to a native call. The callee must be told a length no
     * larger than {@link #size()}.
     *
     * @return the pointer
     * @throws IllegalStateException if freed
     */
    public Pointer pointer() {
        live();
        return pointer;
    }

    /**
     * Reads an int.
     *
     * @param offset the byte offset
     * @return the value
     */
    public int getInt(long offset) {
        check(offset, 4);
        return IO.getInt(address + offset);
    }

    /**
     * Writes an int.
     *
     * @param offset the byte offset
     * @param value the value
     */
    public void putInt(long offset, int value) {
        check(offset, 4);
        IO.putInt(address + offset, value);
    }

    /**
     * Reads a short.
     *
     * @param offset the byte offset
     * @return the value
     */
    public short getShort(long offset) {
        check(offset, 2);
        return IO.getShort(address + offset);
    }

    /**
     * Writes a short.
     *
     * @param offset the byte offset
     * @param value the value
     */
    public void putShort(long offset, short value) {
        check(offset, 2);
        IO.putShort(address + offset, value);
    }

    /**
     * Reads a long.
     *
     * @param offset the byte offset
     * @return the value
     */
    public long getLong(long offset) {
        check(offset, 8);
        return IO.getLong(address + offset);
    }

    /**
     * Writes a long.
     *
     * @param offset the byte offset
     * @param value the value
     */
    public void putLong(long offset, long value) {
        check(offset, 8);
        IO.putLong(address + offset, value);
    }

    /**
     * Zeroes {@code length} bytes from {@code offset}.
     *
     * @param offset the byte offset
     * @param length how many bytes
     */
    public void zero(long offset, long length) {
        check(offset, length);
        IO.setMemory(address + offset, length, (byte) 0);
    }

    /**
     * Copies this buffer's first {@code length} bytes into another buffer.
     *
     * @param target where to copy to; must hold {@code length} bytes
     * @param length how many bytes
     */
    public void copyTo(NativeBuffer target, long length) {
        check(0, length);
        target.check(0, length);
        IO.copyMemory(address, target.address, length);
    }

    /** Frees the memory. Idempotent. */
    @Override
    public void close() {
        long a = address;
        if (a != 0) {
            address = 0;
            IO.freeMemory(a);
        }
    }

    private void live() {
        if (address == 0) {
            throw new IllegalStateException("native buffer already freed");
        }
    }

    private void check(long offset, long length) {
        live();
        if (offset < 0 || length < 0 || offset > size - length) {
            throw new IndexOutOfBoundsException("native access of " + length + " bytes at offset "
                    + offset + " is outside a buffer of " + size + " bytes");
        }
    }
}
