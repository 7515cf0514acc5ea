package dev.greenhub;

import java.util.ArrayList;
import java.util.List;

/**
 * A {@link GreenQueue}'s unfinished tasks (items accepted whose {@code taskDone} has not been
 * called) and the threads that wait in {@code join} until none is left. Guarded by the queue's
 * lock, which it is given.
 */
final class QueueTasks {
    private final Object lock;
    private int unfinished;
    /** Counts the times the count fell to 0, so that a joiner that timed out sees one it missed. */
    private long doneGeneration;
    private final List<Waiter> joiners = new ArrayList<>();

    QueueTasks(Object lock) {
        this.lock = lock;
    }

    /** Under the lock: one more item was accepted. */
    void added() {
        unfinished++;
    }

    /** Under the lock: the number of unfinished tasks. */
    int unfinished() {
        return unfinished;
    }

    /** One task is done; the joiners are woken when none is left. */
    void done() {
        synchronized (lock) {
            if (unfinished <= 0) {
                throw new IllegalStateException("taskDone() called more times than items were put");
            }
            unfinished--;
            if (unfinished == 0) {
                doneGeneration++;
                for (Waiter w : joiners) {
                    w.complete();
                }
            }
        }
    }

    /** Waits until no task is left; false if the deadline (when {@code timed}) passed first. */
    boolean join(boolean timed, long deadline) {
        Waiter w;
        long generation;
        synchronized (lock) {
            if (unfinished == 0) {
                return true;
            }
            w = new Waiter();
            generation = doneGeneration;
            joiners.add(w);
        }
        try {
            if (w.await(timed ? deadline : Long.MAX_VALUE)) {
                return true;
            }
            synchronized (lock) {
                return unfinished == 0 || doneGeneration != generation;
            }
        } finally {
            synchronized (lock) {
                joiners.remove(w);
            }
        }
    }
}
