package dev.greenhub;

import dev.greenhub.internal.Deadlines;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;

/**
 * The timers of one scheduler, earliest deadline first, equal deadlines in scheduling order
 * (eventlet's {@code timers} heap). Carrier-confined.
 *
 * <p>One store in two shapes: timers whose deadlines arrive in non-decreasing order (zero-delay
 * spawns, {@code sleep(0)}, any timer not earlier than the last one added that way) are already
 * sorted, so they go to a deque and skip the heap's O(log n) sift; the others go to the heap. The
 * next timer is the earlier of the two heads.
 *
 * <p>Deadlines are clamped on entry to within {@link #MAX_DELAY_NANOS} of a recent clock reading,
 * so that every difference of two deadlines, or of a deadline and {@link System#nanoTime()}, is
 * free of overflow: {@code Long.MIN_VALUE} means "already due", {@code Long.MAX_VALUE} "in about
 * 73 years".
 *
 * <p>Cancelling is O(1) and lazy: a cancelled timer stays stored until it reaches the head or
 * until more than {@link #COMPACT_THRESHOLD} are stored and at least half are cancelled.
 */
final class TimerQueue {
    /** Longest distance kept between a deadline and now (about 73 years); longer ones are clamped. */
    static final long MAX_DELAY_NANOS = Deadlines.MAX_DELAY_NANOS;
    /** The store is compacted when more timers than this are stored and half are cancelled. */
    static final int COMPACT_THRESHOLD = 1000;

    private final TimerHeap heap = new TimerHeap();
    private final ArrayDeque<Timer> inOrder = new ArrayDeque<>();
    /** Due timers added during the current round of firing, stored back by {@link #endRound()}. */
    private final ArrayList<Timer> heldBack = new ArrayList<>();
    private int cancelled;
    private long nextSequence;
    /** A recent {@link System#nanoTime()} reading that clamping is relative to. */
    private long anchor = System.nanoTime();

    /** Stores a timer; it fires at the first {@link #nextDue} whose clock reading is at or after it. */
    Timer add(long deadline, Runnable callback) {
        Timer t = new Timer(this, clamp(deadline), nextSequence++, callback);
        store(t);
        return t;
    }

    private void store(Timer t) {
        Timer last = inOrder.peekLast();
        // t's sequence number is higher than last's, so an equal deadline keeps the order
        if (last == null || t.deadline - last.deadline >= 0) {
            inOrder.addLast(t);
        } else {
            heap.add(t);
        }
    }

    /** {@code deadline} clamped to within {@link #MAX_DELAY_NANOS} of a recent clock reading. */
    long clamp(long deadline) {
        long a = anchor;
        long latest = a + MAX_DELAY_NANOS;
        long earliest = a - MAX_DELAY_NANOS;
        return deadline > latest ? latest : deadline < earliest ? earliest : deadline;
    }

    /** The sequence number the next timer gets: {@link #nextDue} holds back timers from here on. */
    long sequenceMark() {
        return nextSequence;
    }

    /** Called by {@link Timer#cancel()}. */
    void cancelled() {
        cancelled++;
        int stored = size();
        if (stored > COMPACT_THRESHOLD && cancelled * 2 >= stored) {
            heap.removeCancelled();
            inOrder.removeIf(Timer::isCancelled);
            heldBack.removeIf(Timer::isCancelled);
            cancelled = 0;
        }
    }

    /** The earliest stored timer that is not cancelled, or null (dropping cancelled ones on the way). */
    Timer firstLive() {
        Timer first;
        while ((first = first()) != null && first.state == Timer.CANCELLED) {
            removeFirst(first);
            cancelled--;
        }
        return first;
    }

    /**
     * The earliest live timer due at {@code now} that was added before {@code sequenceLimit}, or
     * null; it stays stored until {@link #remove(Timer)}. Due timers added later (by the callbacks
     * of this round, with a deadline already passed) are held back until {@link #endRound()}, so
     * that they fire at the next round, as eventlet's {@code next_timers}.
     */
    Timer nextDue(long now, long sequenceLimit) {
        anchor = now;
        Timer t;
        while ((t = first()) != null && t.deadline - now <= 0) {
            if (t.state == Timer.CANCELLED) {
                removeFirst(t);
                cancelled--;
            } else if (t.sequence >= sequenceLimit) {
                removeFirst(t);
                heldBack.add(t);
            } else {
                return t;
            }
        }
        return null;
    }

    /** Removes the timer {@link #nextDue} returned, before it fires. */
    void remove(Timer due) {
        removeFirst(due);
    }

    /** Ends a round of {@link #nextDue} calls: the timers it held back are stored again. */
    void endRound() {
        if (heldBack.isEmpty()) {
            return;
        }
        for (Timer t : heldBack) {
            if (t.state == Timer.CANCELLED) {
                cancelled--;
            } else {
                store(t);
            }
        }
        heldBack.clear();
    }

    boolean isEmpty() {
        return heap.isEmpty() && inOrder.isEmpty();
    }

    /** How many timers are stored, pending or cancelled. */
    int size() {
        return heap.size() + inOrder.size() + heldBack.size();
    }

    int cancelledCount() {
        return cancelled;
    }

    /** The timers neither fired nor cancelled, in no particular order. */
    List<Timer> pendingSnapshot() {
        List<Timer> out = new ArrayList<>(size());
        for (Timer t : inOrder) {
            if (t.state == Timer.PENDING) {
                out.add(t);
            }
        }
        heap.forEachPending(out::add);
        for (Timer t : heldBack) {
            if (t.state == Timer.PENDING) {
                out.add(t);
            }
        }
        return out;
    }

    /** Drops every timer (the scheduler is closing); they never fire. */
    void clear() {
        while (heap.poll() != null) {
            // drop
        }
        inOrder.clear();
        heldBack.clear();
        cancelled = 0;
    }

    private Timer first() {
        Timer fromHeap = heap.peek();
        Timer sorted = inOrder.peekFirst();
        if (fromHeap == null) {
            return sorted;
        }
        if (sorted == null) {
            return fromHeap;
        }
        return TimerHeap.before(sorted, fromHeap) ? sorted : fromHeap;
    }

    private void removeFirst(Timer t) {
        if (inOrder.peekFirst() == t) {
            inOrder.pollFirst();
        } else {
            heap.poll();
        }
    }
}
