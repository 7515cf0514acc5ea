package dev.greenhub;

import java.util.ArrayDeque;
import java.util.Comparator;
import java.util.PriorityQueue;

/**
 * Where a {@link GreenQueue} keeps its queued items; the order they come out in is the queue's
 * kind: FIFO, LIFO, or priority (lowest first, FIFO among equals). Not thread-safe: the queue
 * guards it with its lock.
 *
 * @param <E> the item type
 */
interface QueueStore<E> {
    void add(E item);

    /** Puts back an item a killed getter took: it comes out next. */
    void addFront(E item);

    /** Removes and returns the next item, or null if there is none. */
    E poll();

    int size();

    /** The kind, for toString: "fifo", "lifo" or "priority". */
    String name();

    static <E> QueueStore<E> fifo() {
        return new DequeStore<>(false);
    }

    static <E> QueueStore<E> lifo() {
        return new DequeStore<>(true);
    }

    static <E> QueueStore<E> priority(Comparator<? super E> order) {
        return new Priority<>(order);
    }

    /** FIFO or LIFO: items go in at the tail and come out at the head, or at the tail. */
    final class DequeStore<E> implements QueueStore<E> {
        private final ArrayDeque<E> items = new ArrayDeque<>();
        private final boolean lifo;

        DequeStore(boolean lifo) {
            this.lifo = lifo;
        }

        @Override
        public void add(E item) {
            items.addLast(item);
        }

        @Override
        public void addFront(E item) {
            if (lifo) {
                items.addLast(item);
            } else {
                items.addFirst(item);
            }
        }

        @Override
        public E poll() {
            return lifo ? items.pollLast() : items.pollFirst();
        }

        @Override
        public int size() {
            return items.size();
        }

        @Override
        public String name() {
            return lifo ? "lifo" : "fifo";
        }
    }

    final class Priority<E> implements QueueStore<E> {
        private final PriorityQueue<Entry<E>> items;
        private long nextSequence;
        private long frontSequence;

        Priority(Comparator<? super E> order) {
            Comparator<Entry<E>> byItem = (a, b) -> order.compare(a.item, b.item);
            this.items = new PriorityQueue<>(byItem.thenComparingLong(Entry::sequence));
        }

        @Override
        public void add(E item) {
            items.add(new Entry<>(item, nextSequence++));
        }

        @Override
        public void addFront(E item) {
            items.add(new Entry<>(item, --frontSequence));
        }

        @Override
        public E poll() {
            Entry<E> e = items.poll();
            return e == null ? null : e.item;
        }

        @Override
        public int size() {
            return items.size();
        }

        @Override
        public String name() {
            return "priority";
        }

        private record Entry<E>(E item, long sequence) {
        }
    }
}
