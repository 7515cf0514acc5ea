package dev.greenhub;

import java.time.Duration;
import java.util.Comparator;
import java.util.Objects;
import java.util.OptionalInt;
import java.util.concurrent.TimeoutException;

/**
 * A queue between green threads with eventlet's semantics ({@code eventlet.queue.Queue},
 * {@code LifoQueue}, {@code PriorityQueue}).
 *
 * <h2>Capacity</h2>
 * <ul>
 *   <li>{@link #GreenQueue()}: unbounded; {@link #put} never waits.</li>
 *   <li>{@link #GreenQueue(int) GreenQueue(n)} with n &gt; 0: bounded; {@link #put} waits while
 *       {@code n} items are queued.</li>
 *   <li>{@code GreenQueue(0)}: a rendezvous channel: {@link #put} waits until a getter takes the
 *       item, and then lets the getter run before it returns (as eventlet's channel switches
 *       to the getter). Such a queue is always both {@linkplain #isEmpty() empty} and
 *       {@linkplain #isFull() full}.</li>
 * </ul>
 * A negative maximum size is refused (eventlet reads it as unbounded; here unbounded is said with
 * the no-argument constructor or {@link #resizeUnbounded()}). Items may not be null.
 *
 * <h2>Order and fairness</h2>
 * Items come out in FIFO order ({@link #lifo() LIFO} and {@link #priority() priority} variants:
 * most recent first, lowest first with FIFO among equals). Waiting getters are served in FIFO
 * order, and so are waiting putters; an item is handed directly to the longest-waiting getter, and
 * a newcomer never overtakes a waiting getter or putter. Every item put is received by exactly one
 * get: a getter that times out or is killed after an item was handed to it returns the item (timed
 * out) or puts it back at the head of the queue (killed), where the next getter finds it.
 *
 * <h2>Waiting, timeouts and kills</h2>
 * {@link #put(Object)} and {@link #get()} wait without limit; {@link #put(Object, Duration)} and
 * {@link #get(Duration)} throw {@link TimeoutException} when the time passes first (eventlet's
 * {@code queue.Full} and {@code queue.Empty}); {@link #offer(Object)} and {@link #poll()} never
 * wait and return false or null instead. A kill (such as a {@link Timeout}) is thrown from a
 * waiting call; a putter killed after its item was taken still has put it.
 *
 * <h2>Tasks</h2>
 * Every item accepted counts as an unfinished task until {@link #taskDone()}; {@link #join()}
 * waits until none is left.
 *
 * <h2>Threading</h2>
 * Thread-safe: getters and putters may be green threads of any scheduler or platform threads
 * (which run their own scheduler's loop while they wait).
 *
 * @param <E> the item type
 */
public final class GreenQueue<E> {
    private static final int UNBOUNDED = -1;

    private final Object lock = new Object();
    private final QueueStore<E> store;
    private int maxSize;
    private final QueueWaiters<E> waiters;
    /** The unfinished tasks: items accepted whose taskDone has not been called. */
    private final ZeroCount tasks = new ZeroCount(lock);

    /** An unbounded FIFO queue. */
    public GreenQueue() {
        this(QueueStore.fifo(), UNBOUNDED);
    }

    /**
     * A FIFO queue holding at most {@code maxSize} items; 0 makes a rendezvous channel.
     *
     * @param maxSize the capacity; not negative
     * @throws IllegalArgumentException if {@code maxSize} is negative
     */
    public GreenQueue(int maxSize) {
        this(QueueStore.fifo(), checkMaxSize(maxSize));
    }

    private GreenQueue(QueueStore<E> store, int maxSize) {
        this.store = store;
        this.maxSize = maxSize;
        this.waiters = new QueueWaiters<>(lock, store);
    }

    /**
     * An unbounded LIFO queue: {@link #get()} returns the most recently added item.
     *
     * @param <E> the item type
     * @return the queue
     */
    public static <E> GreenQueue<E> lifo() {
        return new GreenQueue<>(QueueStore.lifo(), UNBOUNDED);
    }

    /**
     * A LIFO queue holding at most {@code maxSize} items.
     *
     * @param maxSize the capacity; not negative (0: a rendezvous channel)
     * @param <E> the item type
     * @return the queue
     * @throws IllegalArgumentException if {@code maxSize} is negative
     */
    public static <E> GreenQueue<E> lifo(int maxSize) {
        return new GreenQueue<>(QueueStore.lifo(), checkMaxSize(maxSize));
    }

    /**
     * An unbounded priority queue in natural order: {@link #get()} returns the lowest item (FIFO
     * among equal ones).
     *
     * @param <E> the item type
     * @return the queue
     */
    public static <E extends Comparable<? super E>> GreenQueue<E> priority() {
        return new GreenQueue<>(QueueStore.<E>priority(Comparator.naturalOrder()), UNBOUNDED);
    }

    /**
     * A priority queue in natural order holding at most {@code maxSize} items.
     *
     * @param maxSize the capacity; not negative
     * @param <E> the item type
     * @return the queue
     * @throws IllegalArgumentException if {@code maxSize} is negative
     */
    public static <E extends Comparable<? super E>> GreenQueue<E> priority(int maxSize) {
        return new GreenQueue<>(QueueStore.<E>priority(Comparator.naturalOrder()), checkMaxSize(maxSize));
    }

    /**
     * An unbounded priority queue ordered by {@code comparator} (lowest first, FIFO among equals).
     *
     * @param comparator the order
     * @param <E> the item type
     * @return the queue
     */
    public static <E> GreenQueue<E> priority(Comparator<? super E> comparator) {
        return new GreenQueue<>(QueueStore.priority(Objects.requireNonNull(comparator, "comparator")), UNBOUNDED);
    }

    /**
     * A priority queue ordered by {@code comparator} holding at most {@code maxSize} items.
     *
     * @param maxSize the capacity; not negative
     * @param comparator the order
     * @param <E> the item type
     * @return the queue
     * @throws IllegalArgumentException if {@code maxSize} is negative
     */
    public static <E> GreenQueue<E> priority(int maxSize, Comparator<? super E> comparator) {
        return new GreenQueue<>(QueueStore.priority(Objects.requireNonNull(comparator, "comparator")),
                checkMaxSize(maxSize));
    }

    private static int checkMaxSize(int maxSize) {
        if (maxSize < 0) {
            throw new IllegalArgumentException("queue maxSize must not be negative: " + maxSize
                    + " (0 is a rendezvous channel; use the unbounded constructor for no limit)");
        }
        return maxSize;
    }

    // ------------------------------------------------------------------ put

    /**
     * Adds {@code item}, waiting while the queue is full (on a channel: until a getter takes it).
     *
     * @param item the item; not null
     */
    public void put(E item) {
        put(item, true, false, 0);
    }

    /**
     * Adds {@code item}, waiting at most {@code timeout} for room.
     *
     * @param item the item; not null
     * @param timeout how long at most; not negative; zero tries once without waiting, as
     *     {@link #offer} (eventlet yields one loop turn); a huge timeout is clamped to about 73
     *     years
     * @throws TimeoutException if there was no room in time (eventlet's {@code queue.Full}); the
     *     item was not added
     * @throws IllegalArgumentException if the timeout is negative
     */
    public void put(E item, Duration timeout) throws TimeoutException {
        long nanos = TimeoutArgs.nanos(timeout, "put(item)", "offer(item)");
        if (nanos == 0 ? !offer(item) : !put(item, true, true, Scheduler.deadlineAfter(nanos))) {
            throw new TimeoutException("queue still full after " + timeout + " (maxSize " + maxSize + ")");
        }
    }

    /**
     * Adds {@code item} if that needs no waiting: there is room, or (on a channel) a getter is
     * waiting for it (eventlet's {@code put_nowait}).
     *
     * @param item the item; not null
     * @return true if added, false if the queue is full
     */
    public boolean offer(E item) {
        return put(item, false, false, 0);
    }

    private boolean put(E item, boolean block, boolean timed, long deadline) {
        Objects.requireNonNull(item, "queue items must not be null");
        QueueWaiters.Putter<E> p;
        synchronized (lock) {
            QueueWaiters.Getter<E> g = waiters.nextGetter();
            if (g != null) {
                tasks.add(1);
                g.hand(item);
                p = null;
            } else if (waiters.noPutters() && hasRoom()) {
                store.add(item);
                tasks.add(1);
                return true;
            } else if (!block) {
                return false;
            } else {
                p = waiters.addPutter(item);
            }
        }
        if (p == null) {
            if (block && maxSize == 0 && Scheduler.currentIfPresent().isPresent()) {
                Green.sleep(); // a channel's putter lets the getter run first, as eventlet switches
            }
            return true;
        }
        return waiters.awaitTaken(p, timed, deadline);
    }

    // ------------------------------------------------------------------ get

    /**
     * Removes and returns the next item, waiting while the queue is empty.
     *
     * @return the item
     */
    public E get() {
        return get(true, false, 0);
    }

    /**
     * Removes and returns the next item, waiting at most {@code timeout}.
     *
     * @param timeout how long at most; not negative; zero tries once without waiting, as
     *     {@link #poll} (eventlet yields one loop turn); a huge timeout is clamped to about 73
     *     years
     * @return the item
     * @throws TimeoutException if no item came in time (eventlet's {@code queue.Empty})
     * @throws IllegalArgumentException if the timeout is negative
     */
    public E get(Duration timeout) throws TimeoutException {
        long nanos = TimeoutArgs.nanos(timeout, "get()", "poll()");
        E item = nanos == 0 ? poll() : get(true, true, Scheduler.deadlineAfter(nanos));
        if (item == null) {
            throw new TimeoutException("queue still empty after " + timeout);
        }
        return item;
    }

    /**
     * Removes and returns the next item if that needs no waiting: one is queued, or (on a
     * channel) a putter is waiting with one (eventlet's {@code get_nowait}).
     *
     * @return the item, or null if there is none
     */
    public E poll() {
        return get(false, false, 0);
    }

    private E get(boolean block, boolean timed, long deadline) {
        QueueWaiters.Getter<E> g;
        synchronized (lock) {
            E item = store.poll();
            if (item != null) {
                if (hasRoom()) {
                    QueueWaiters.Putter<E> p = waiters.nextPutter();
                    if (p != null) {
                        store.add(p.item);
                        tasks.add(1);
                        p.finish();
                    }
                }
                return item;
            }
            QueueWaiters.Putter<E> p = waiters.nextPutter();
            if (p != null) {
                tasks.add(1);
                p.finish();
                return p.item;
            }
            if (!block) {
                return null;
            }
            g = waiters.addGetter();
        }
        return waiters.awaitItem(g, timed, deadline);
    }

    private boolean hasRoom() {
        return maxSize == UNBOUNDED || store.size() < maxSize;
    }

    // ------------------------------------------------------------------ size

    /**
     * Changes the capacity; waiting putters are let in if it grows. Shrinking below the number of
     * queued items keeps them: puts wait until gets make room.
     *
     * @param maxSize the new capacity; not negative (0: a rendezvous channel)
     * @throws IllegalArgumentException if {@code maxSize} is negative
     */
    public void resize(int maxSize) {
        checkMaxSize(maxSize);
        synchronized (lock) {
            this.maxSize = maxSize;
            admitPutters();
        }
    }

    /** Removes the capacity limit (eventlet's {@code resize(None)}); waiting putters are let in. */
    public void resizeUnbounded() {
        synchronized (lock) {
            this.maxSize = UNBOUNDED;
            admitPutters();
        }
    }

    private void admitPutters() {
        while (hasRoom()) {
            QueueWaiters.Putter<E> p = waiters.nextPutter();
            if (p == null) {
                return;
            }
            store.add(p.item);
            tasks.add(1);
            p.finish();
        }
    }

    /**
     * The capacity.
     *
     * @return the maximum size, or empty if unbounded
     */
    public OptionalInt maxSize() {
        synchronized (lock) {
            return maxSize == UNBOUNDED ? OptionalInt.empty() : OptionalInt.of(maxSize);
        }
    }

    /**
     * The number of queued items (eventlet's {@code qsize}); items held by waiting putters of a
     * full queue or a channel are not counted.
     *
     * @return the number of items
     */
    public int size() {
        synchronized (lock) {
            return store.size();
        }
    }

    /**
     * Whether no item is queued.
     *
     * @return true if {@link #size()} is 0
     */
    public boolean isEmpty() {
        return size() == 0;
    }

    /**
     * Whether the queue is at capacity (a channel always is; an unbounded queue never is).
     *
     * @return true if a put would wait for room
     */
    public boolean isFull() {
        synchronized (lock) {
            return maxSize != UNBOUNDED && store.size() >= maxSize;
        }
    }

    /**
     * How many threads wait in a get.
     *
     * @return the number of waiting getters
     */
    public int getting() {
        synchronized (lock) {
            return waiters.getting();
        }
    }

    /**
     * How many threads wait in a put.
     *
     * @return the number of waiting putters
     */
    public int putting() {
        synchronized (lock) {
            return waiters.putting();
        }
    }

    // ------------------------------------------------------------------ tasks

    /**
     * Marks one task (an item that was got) as done; when none is left, {@link #join()} returns.
     *
     * @throws IllegalStateException if called more times than items were put
     */
    public void taskDone() {
        synchronized (lock) {
            if (tasks.count() <= 0) {
                throw new IllegalStateException("taskDone() called more times than items were put");
            }
            tasks.add(-1);
            tasks.wakeIfZero();
        }
    }

    /**
     * The number of items put whose {@link #taskDone()} has not been called.
     *
     * @return the count
     */
    public int unfinishedTasks() {
        synchronized (lock) {
            return tasks.count();
        }
    }

    /**
     * Waits until every item put has been marked done with {@link #taskDone()}.
     */
    public void join() {
        tasks.await(false, 0);
    }

    /**
     * Waits at most {@code timeout} until every item put has been marked done.
     *
     * @param timeout how long at most; not negative
     * @return true if all tasks are done, false if the time passed first
     * @throws IllegalArgumentException if the timeout is negative
     */
    public boolean join(Duration timeout) {
        long nanos = Scheduler.delayNanos(timeout, "timeout");
        return tasks.await(true, Scheduler.deadlineAfter(nanos));
    }

    @Override
    public String toString() {
        synchronized (lock) {
            return "GreenQueue[" + store.name() + ", maxSize=" + (maxSize == UNBOUNDED ? "unbounded" : maxSize)
                    + ", size=" + store.size() + ", getting=" + waiters.getting() + ", putting=" + waiters.putting()
                    + ", unfinished=" + tasks.count() + "]";
        }
    }
}
