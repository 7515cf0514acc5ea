package dev.greenhub.hub.epoll;

/**
 * When the epoll hub checks which of its registrations are still open: in sweeps over the dense
 * registration table, each taking half the closed-fd detection interval, paced over the polls of
 * that half (a poll checks the share of the table that fell due since the last one), so that a
 * hub with many registrations never stalls one poll on checking them all (checking 1,000
 * registrations in one poll took 2.2-2.7 ms). Every registration is checked within one interval
 * of any moment: the sweep under way reaches it within half an interval, or the next sweep does.
 *
 * <p>An unregistration moves the table's last fd into the freed index; when that index was
 * already passed in this sweep, the moved fd (not yet checked) is owed a check at the next poll.
 * Hub-thread confined; allocation-free once the owed list has grown to its need.
 */
final class ClosedFdSweep {
    /** The registrations the sweep walks, and the check of one of them. */
    interface Table {
        /** How many fds are registered. */
        int count();

        /** The fd at a dense index in {@code [0, count())}. */
        int fdAt(int index);

        /** Checks {@code fd} if it is still registered (an owed fd may have been unregistered since). */
        void check(int fd);
    }

    private final Table table;
    private final long sweepNanos;
    private long sweepStart;
    private int cursor;
    private int[] owed = new int[8];
    private int owedCount;

    /**
     * @param table the registrations
     * @param detectionNanos the closed-fd detection interval, at least 2 ns
     * @param now the current {@link System#nanoTime()}
     */
    ClosedFdSweep(Table table, long detectionNanos, long now) {
        this.table = table;
        this.sweepNanos = detectionNanos / 2;
        this.sweepStart = now;
    }

    /** Checks the owed fds and the share of the sweep that fell due by {@code now}. */
    void run(long now) {
        while (owedCount > 0) {
            table.check(owed[--owedCount]);
        }
        int n = table.count();
        if (n == 0) {
            cursor = 0;
            sweepStart = now;
            return;
        }
        long elapsed = now - sweepStart;
        int target = elapsed >= sweepNanos ? n : (int) ((double) n * elapsed / sweepNanos);
        while (cursor < target) {
            table.check(table.fdAt(cursor++));
        }
        if (elapsed >= sweepNanos) {
            // target was n: this sweep is done (a cursor past a shrunk table ran no checks above)
            cursor = 0;
            sweepStart = now;
        }
    }

    /**
     * How long a blocking wait may last before the sweep under way must finish (0 if it is late).
     */
    long nanosUntilDue(long now) {
        return Math.max(0, sweepStart + sweepNanos - now);
    }

    /**
     * Tells the sweep that an unregistration freed {@code index} of the table, now {@code newCount}
     * long, and moved {@code movedFd} (or -1 for none) from index {@code newCount} into it.
     */
    void removed(int index, int movedFd, int newCount) {
        // The moved fd sat at index newCount: unchecked in this sweep if the cursor had not passed it.
        if (movedFd >= 0 && index < cursor && newCount >= cursor) {
            if (owedCount == owed.length) {
                owed = java.util.Arrays.copyOf(owed, owedCount * 2);
            }
            owed[owedCount++] = movedFd;
        }
    }
}
