package dev.greenhub;

/**
 * The green threads that yielded ({@code sleep(0)}) with the {@link System#nanoTime()} reading of
 * each yield, first in first out. Carrier-confined.
 *
 * <p>A yield is what a zero-delay timer would be, without the timer: the scheduler releases the
 * yielded threads of one turn in deadline order among that turn's due timers (each yield's time is
 * its deadline), after the threads the poll made ready, so that {@code sleep(0)} lets every other
 * ready thread, the I/O and the due timers go first, as eventlet's {@code sleep(0)} (a timer at
 * {@code now}) does. A ring of two arrays, so that a yield allocates nothing.
 */
final class YieldQueue {
    private Runnable[] tasks = new Runnable[16];
    private long[] times = new long[16];
    private int head;
    private int size;

    void add(Runnable task, long time) {
        if (size == tasks.length) {
            grow();
        }
        int i = (head + size) & (tasks.length - 1);
        tasks[i] = task;
        times[i] = time;
        size++;
    }

    int size() {
        return size;
    }

    boolean isEmpty() {
        return size == 0;
    }

    /** The time of the oldest yield; only when not empty. */
    long firstTime() {
        return times[head];
    }

    /** Removes and returns the oldest yield's task; only when not empty. */
    Runnable poll() {
        Runnable t = tasks[head];
        tasks[head] = null;
        head = (head + 1) & (tasks.length - 1);
        size--;
        return t;
    }

    void clear() {
        while (size > 0) {
            poll();
        }
        head = 0;
    }

    private void grow() {
        int n = tasks.length;
        Runnable[] t = new Runnable[n * 2];
        long[] s = new long[n * 2];
        for (int k = 0; k < size; k++) {
            int i = (head + k) & (n - 1);
            t[k] = tasks[i];
            s[k] = times[i];
        }
        tasks = t;
        times = s;
        head = 0;
    }
}
