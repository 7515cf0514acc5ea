package dev.greenhub;

import java.util.Arrays;

/**
 * A binary min-heap of {@link Timer}s ordered by deadline (on the wrapping
 * {@link System#nanoTime()} clock), then by sequence number, so that timers with equal deadlines
 * come out in the order they were scheduled. Not thread-safe.
 */
final class TimerHeap {
    private Timer[] items = new Timer[64];
    private int size;

    static boolean before(Timer a, Timer b) {
        long diff = a.deadline - b.deadline;
        return diff < 0 || (diff == 0 && a.sequence < b.sequence);
    }

    int size() {
        return size;
    }

    boolean isEmpty() {
        return size == 0;
    }

    Timer peek() {
        return size == 0 ? null : items[0];
    }

    void add(Timer timer) {
        if (size == items.length) {
            items = Arrays.copyOf(items, size * 2);
        }
        siftUp(size++, timer);
    }

    Timer poll() {
        if (size == 0) {
            return null;
        }
        Timer first = items[0];
        Timer last = items[--size];
        items[size] = null;
        if (size > 0) {
            siftDown(0, last);
        }
        first.heapIndex = -1;
        return first;
    }

    /**
     * Drops every cancelled timer and restores the heap order in O(n).
     *
     * @return how many were dropped
     */
    /** Passes every pending (not cancelled, not fired) timer to {@code sink}, in heap order. */
    void forEachPending(java.util.function.Consumer<Timer> sink) {
        for (int i = 0; i < size; i++) {
            if (items[i].state == Timer.PENDING) {
                sink.accept(items[i]);
            }
        }
    }

    int removeCancelled() {
        int kept = 0;
        for (int i = 0; i < size; i++) {
            Timer t = items[i];
            if (t.state == Timer.CANCELLED) {
                t.heapIndex = -1;
            } else {
                items[kept++] = t;
            }
        }
        int dropped = size - kept;
        Arrays.fill(items, kept, size, null);
        size = kept;
        for (int i = (size >>> 1) - 1; i >= 0; i--) {
            siftDown(i, items[i]);
        }
        for (int i = 0; i < size; i++) {
            items[i].heapIndex = i;
        }
        return dropped;
    }

    private void siftUp(int index, Timer timer) {
        while (index > 0) {
            int parent = (index - 1) >>> 1;
            Timer p = items[parent];
            if (!before(timer, p)) {
                break;
            }
            items[index] = p;
            p.heapIndex = index;
            index = parent;
        }
        items[index] = timer;
        timer.heapIndex = index;
    }

    private void siftDown(int index, Timer timer) {
        int half = size >>> 1;
        while (index < half) {
            int child = 2 * index + 1;
            Timer c = items[child];
            int right = child + 1;
            if (right < size && before(items[right], c)) {
                child = right;
                c = items[child];
            }
            if (!before(c, timer)) {
                break;
            }
            items[index] = c;
            c.heapIndex = index;
            index = child;
        }
        items[index] = timer;
        timer.heapIndex = index;
    }
}
