package dev.greenhub.nativeio;

import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;

/**
 * The registration table of a {@link NativeHub}: for each registered fd its interest, the
 * generation of its registration, its dense index and whether it was found closed behind the
 * hub's back; plus the registered fds densely, and the fds found closed.
 *
 * <h2>Memory</h2>
 * Per-fd records live in one {@code int[]} indexed by fd (four ints per fd) for fds below
 * {@link #denseLimit()}, so looking an fd up on the dispatch path is an array load. The array
 * grows to the highest fd registered, never past the dense limit, which the owner sizes by what
 * the process can open (RLIMIT_NOFILE). An fd at or above it (possible after the limit is raised,
 * or for a number that is not open at all) gets a record in a hash map instead, so registering fd
 * 2,000,000,000 costs one small record, not gigabytes.
 *
 * <h2>Dense order</h2>
 * A new fd takes index {@code count()}; removing an fd moves the fd at the last index into its
 * index ({@link #remove} returns which one), so backends with a parallel native array can follow.
 *
 * <p>Not thread-safe.
 */
final class Registrations {
    private static final int STRIDE = 4;
    private static final int INTEREST = 0;
    private static final int GENERATION = 1;
    private static final int INDEX = 2;
    /** 1 + index into {@link #closedFds}, or 0 when the fd is not marked closed. */
    private static final int CLOSED_SLOT = 3;
    private static final int INITIAL = 64;

    private final int denseLimit;
    private int[] dense = new int[INITIAL * STRIDE];
    /** Records of fds at or above {@link #denseLimit}; null until one is registered. */
    private Map<Integer, int[]> sparse;

    private int[] registered = new int[INITIAL];
    private int count;
    private int[] closedFds = new int[8];
    private int closedCount;
    private int nextGeneration = 1;

    /**
     * Creates an empty table.
     *
     * @param denseLimit fds below it are kept in the array indexed by fd; at least 64
     */
    Registrations(int denseLimit) {
        if (denseLimit < INITIAL || denseLimit > Integer.MAX_VALUE / STRIDE) {
            throw new IllegalArgumentException("dense limit " + denseLimit + " is not between " + INITIAL
                    + " and " + Integer.MAX_VALUE / STRIDE);
        }
        this.denseLimit = denseLimit;
    }

    /**
     * A table whose array part covers every fd this process may open: the RLIMIT_NOFILE hard
     * limit, at least 2^16 and at most 2^22 fds (16 bytes each, allocated only as high as the
     * highest fd registered).
     */
    static Registrations forThisProcess() {
        return new Registrations(DenseLimit.VALUE);
    }

    int denseLimit() {
        return denseLimit;
    }

    /** The interest of {@code fd}, 0 if not registered (any int, also negative, is accepted). */
    int interest(int fd) {
        if (fd >= 0 && fd < dense.length / STRIDE) {
            return dense[fd * STRIDE + INTEREST];
        }
        return sparseField(fd, INTEREST);
    }

    /** The generation of {@code fd}'s registration, 0 if not registered. */
    int generation(int fd) {
        if (fd >= 0 && fd < dense.length / STRIDE) {
            return dense[fd * STRIDE + GENERATION];
        }
        return sparseField(fd, GENERATION);
    }

    /** The dense index of a registered fd. */
    int index(int fd) {
        return field(fd, INDEX);
    }

    int count() {
        return count;
    }

    int fdAt(int index) {
        return registered[index];
    }

    /** A generation number no registration of this table has had (0 is never one). */
    int newGeneration() {
        int g = nextGeneration++;
        if (nextGeneration == 0) {
            nextGeneration = 1;
        }
        return g;
    }

    /**
     * Adds an fd that is not registered; it takes index {@link #count()}.
     *
     * @return the index
     */
    int add(int fd, int interest, int generation) {
        int[] record = record(fd, true);
        int at = offset(fd);
        if (count == registered.length) {
            registered = Arrays.copyOf(registered, count * 2);
        }
        record[at + INTEREST] = interest;
        record[at + GENERATION] = generation;
        record[at + INDEX] = count;
        record[at + CLOSED_SLOT] = 0;
        registered[count] = fd;
        return count++;
    }

    void update(int fd, int interest, int generation) {
        int[] record = record(fd, false);
        int at = offset(fd);
        record[at + INTEREST] = interest;
        record[at + GENERATION] = generation;
    }

    /**
     * Removes a registered fd, and its closed mark.
     *
     * @return the fd that moved from the last index into the removed fd's index, or -1
     */
    int remove(int fd) {
        clearClosed(fd);
        int index = index(fd);
        int last = count - 1;
        int moved = index == last ? -1 : registered[last];
        if (moved >= 0) {
            registered[index] = moved;
            setField(moved, INDEX, index);
        }
        count = last;
        if (fd >= 0 && fd < denseLimit) {
            Arrays.fill(dense, fd * STRIDE, fd * STRIDE + STRIDE, 0);
        } else {
            sparse.remove(fd);
        }
        return moved;
    }

    boolean isClosed(int fd) {
        return interest(fd) != 0 && field(fd, CLOSED_SLOT) != 0;
    }

    /** Marks a registered fd as closed behind the hub's back; no-op if already marked. */
    void markClosed(int fd) {
        if (field(fd, CLOSED_SLOT) != 0) {
            return;
        }
        if (closedCount == closedFds.length) {
            closedFds = Arrays.copyOf(closedFds, closedCount * 2);
        }
        closedFds[closedCount++] = fd;
        setField(fd, CLOSED_SLOT, closedCount);
    }

    void clearClosed(int fd) {
        int slot = field(fd, CLOSED_SLOT);
        if (slot == 0) {
            return;
        }
        int last = closedFds[--closedCount];
        closedFds[slot - 1] = last;
        setField(last, CLOSED_SLOT, slot);
        setField(fd, CLOSED_SLOT, 0);
    }

    int closedCount() {
        return closedCount;
    }

    int closedFdAt(int i) {
        return closedFds[i];
    }

    private int field(int fd, int field) {
        if (fd >= 0 && fd < dense.length / STRIDE) {
            return dense[fd * STRIDE + field];
        }
        return sparseField(fd, field);
    }

    private void setField(int fd, int field, int value) {
        record(fd, false)[offset(fd) + field] = value;
    }

    private int sparseField(int fd, int field) {
        if (sparse == null || fd < denseLimit) {
            return 0;
        }
        int[] record = sparse.get(fd);
        return record == null ? 0 : record[field];
    }

    private int offset(int fd) {
        return fd < denseLimit ? fd * STRIDE : 0;
    }

    /** The array holding {@code fd}'s record (grown or created if {@code create}). */
    private int[] record(int fd, boolean create) {
        if (fd < denseLimit) {
            if (fd >= dense.length / STRIDE) {
                if (!create) {
                    throw new IllegalStateException("fd " + fd + " has no registration record");
                }
                int fds = Math.min(denseLimit, Math.max(dense.length / STRIDE * 2, Integer.highestOneBit(fd) << 1));
                dense = Arrays.copyOf(dense, fds * STRIDE);
            }
            return dense;
        }
        if (sparse == null) {
            sparse = new HashMap<>();
        }
        int[] record = sparse.get(fd);
        if (record == null) {
            if (!create) {
                throw new IllegalStateException("fd " + fd + " has no registration record");
            }
            record = new int[STRIDE];
            sparse.put(fd, record);
        }
        return record;
    }

    /** The RLIMIT_NOFILE hard limit within bounds, read once. */
    private static final class DenseLimit {
        static final int MIN = 1 << 16;
        static final int MAX = 1 << 22;
        static final int VALUE = compute();

        private static int compute() {
            long hard;
            try {
                hard = Fds.fdHardLimit();
            } catch (RuntimeException | LinkageError e) {
                hard = MAX;
            }
            if (hard < 0) {
                hard = MAX;
            }
            return (int) Math.max(MIN, Math.min(MAX, hard));
        }
    }
}
