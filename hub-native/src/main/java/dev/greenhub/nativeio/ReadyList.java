package dev.greenhub.nativeio;

import java.util.Arrays;

/**
 * The readiness one wait collected, in the order it was collected, each entry tagged with the
 * generation of the registration it belongs to. Reused from poll to poll: it allocates only when
 * a wait collects more entries than any wait before.
 *
 * <p>Not thread-safe.
 */
final class ReadyList {
    private int[] fds = new int[64];
    private int[] ops = new int[64];
    private int[] generations = new int[64];
    private int count;

    void add(int fd, int readyOps, int generation) {
        if (count == fds.length) {
            int n = count * 2;
            fds = Arrays.copyOf(fds, n);
            ops = Arrays.copyOf(ops, n);
            generations = Arrays.copyOf(generations, n);
        }
        fds[count] = fd;
        ops[count] = readyOps;
        generations[count] = generation;
        count++;
    }

    void clear() {
        count = 0;
    }

    int count() {
        return count;
    }

    int fd(int i) {
        return fds[i];
    }

    int ops(int i) {
        return ops[i];
    }

    int generation(int i) {
        return generations[i];
    }
}
