package dev.greenhub;

import java.time.Duration;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.function.BiFunction;
import java.util.function.Function;

/**
 * A pool that limits how many green threads run its tasks at once (eventlet's
 * {@code GreenPool}).
 *
 * <p>{@link #spawn} and {@link #spawnN} start a task in a new green thread of the caller's
 * scheduler when fewer than {@link #size()} of the pool's tasks are running, and otherwise wait
 * (FIFO among waiting spawners) until one ends. A task that spawns into its own full pool runs the
 * new task itself, inline, instead of waiting for a slot it may be holding (eventlet's reentrancy
 * rule); the number of green threads running the pool's tasks never exceeds its size.
 *
 * <p>{@link #imap} runs a function over an input sequence (or, element-wise, over two, or with
 * {@link #starmap} and {@link #zip} over any number) with the pool's concurrency and returns the
 * results lazily, in input order, using memory proportional to the pool size.
 *
 * <p>A pool of size 0 is accepted, as in eventlet: spawners wait until {@link #resize} makes
 * room.
 *
 * <h2>Errors</h2>
 * A task's exception ends its green thread: {@link GreenThread#get()} rethrows it (wrapped), and
 * for {@link #spawnN} it is reported to the scheduler's exception reporter. Either way the slot is
 * freed. A kill (such as a {@link Timeout}) is thrown from a waiting spawn, which then holds no
 * slot.
 *
 * <h2>Threading</h2>
 * Thread-safe; tasks run in green threads of the scheduler of the thread that spawns them.
 */
public final class GreenPool {
    /** eventlet's default size. */
    public static final int DEFAULT_SIZE = 1000;

    private final Object lock = new Object();
    private final PoolSlots slots;
    /** The green threads running the pool's tasks. */
    private final Set<Greenlet> members = Collections.newSetFromMap(new IdentityHashMap<>());

    /** A pool of {@value #DEFAULT_SIZE}. */
    public GreenPool() {
        this(DEFAULT_SIZE);
    }

    /**
     * A pool running at most {@code size} tasks at once.
     *
     * @param size the limit; not negative. 0 is accepted, as in eventlet: every spawn waits until
     *     a {@link #resize} makes room
     * @throws IllegalArgumentException if {@code size} is negative
     */
    public GreenPool(int size) {
        this.slots = new PoolSlots(lock, checkSize(size));
    }

    private static int checkSize(int size) {
        if (size < 0) {
            throw new IllegalArgumentException("GreenPool size must not be negative: " + size
                    + " (0 makes spawners wait until resize)");
        }
        return size;
    }

    /**
     * Runs {@code task} in a green thread of the pool, waiting for a free slot first.
     *
     * @param task the work
     * @param <T> its result type
     * @return the green thread running it (for a reentrant spawn into a full pool: a green thread
     *     that only reports the result of the task, which the caller ran inline)
     */
    public <T> GreenThread<T> spawn(Callable<T> task) {
        Objects.requireNonNull(task, "task");
        if (mustRunInline()) {
            return runInline(task);
        }
        slots.acquire();
        GreenThread<T> g;
        try {
            g = Green.spawn(task);
        } catch (RuntimeException | Error e) {
            releaseSlot(null);
            throw e;
        }
        synchronized (lock) {
            members.add(g);
        }
        g.link(this::releaseSlot);
        return g;
    }

    /**
     * Runs {@code task} in a green thread of the pool without a result to wait for (eventlet's
     * {@code spawn_n}), waiting for a free slot first. Its exception is reported.
     *
     * @param task the work
     */
    public void spawnN(Runnable task) {
        Objects.requireNonNull(task, "task");
        if (mustRunInline()) {
            try {
                task.run();
            } catch (Timeout | GreenletExit e) {
                throw e;
            } catch (RuntimeException | Error e) {
                Fiber.current().scheduler.report("GreenPool task " + task + " run inline failed", e);
            }
            return;
        }
        spawn(() -> {
            task.run();
            return null;
        });
    }

    /** A member spawning into its own full pool must not wait for the slot it holds. */
    private boolean mustRunInline() {
        if (!Thread.currentThread().isVirtual()) {
            return false;
        }
        Greenlet me = Fiber.current().greenlet;
        synchronized (lock) {
            return members.contains(me) && slots.full();
        }
    }

    private static <T> GreenThread<T> runInline(Callable<T> task) {
        T value;
        try {
            value = task.call();
        } catch (Timeout | GreenletExit e) {
            throw e; // aimed at the caller, which ran the task
        } catch (Throwable e) {
            return Green.spawn(() -> {
                throw Sneaky.rethrow(e);
            });
        }
        return Green.spawn(() -> value);
    }

    private void releaseSlot(GreenThread<?> ended) {
        synchronized (lock) {
            if (ended != null) {
                members.remove(ended);
            }
            slots.release();
        }
    }

    /**
     * Waits until no task of the pool is running or about to start.
     *
     * @throws IllegalStateException if called from one of the pool's own tasks (it would wait for
     *     itself)
     */
    public void waitAll() {
        waitAll(false, 0);
    }

    /**
     * Waits at most {@code timeout} until no task of the pool is running or about to start.
     *
     * @param timeout how long at most; not negative
     * @return true if the pool is idle, false if the time passed first
     * @throws IllegalStateException if called from one of the pool's own tasks
     * @throws IllegalArgumentException if the timeout is negative
     */
    public boolean waitAll(Duration timeout) {
        long nanos = Scheduler.delayNanos(timeout, "timeout");
        return waitAll(true, Scheduler.deadlineAfter(nanos));
    }

    private boolean waitAll(boolean timed, long deadline) {
        Greenlet me = Fiber.current().greenlet;
        synchronized (lock) {
            if (members.contains(me)) {
                throw new IllegalStateException("waitAll() from one of the pool's own tasks (" + me
                        + ") would never return");
            }
        }
        return slots.awaitIdle(timed, deadline);
    }

    /**
     * Changes the limit. Growing it lets waiting spawners in; shrinking it lets the running tasks
     * finish, and new ones start only when fewer than {@code newSize} run ({@link #free()} is
     * negative meanwhile).
     *
     * @param newSize the new limit; not negative (0: new spawns wait until the next resize)
     * @throws IllegalArgumentException if {@code newSize} is negative
     */
    public void resize(int newSize) {
        checkSize(newSize);
        synchronized (lock) {
            slots.resize(newSize);
        }
    }

    /**
     * The limit.
     *
     * @return the size
     */
    public int size() {
        synchronized (lock) {
            return slots.size();
        }
    }

    /**
     * How many more tasks could start without waiting; zero or negative when the next spawn
     * waits (negative after shrinking below the running count).
     *
     * @return free slots
     */
    public int free() {
        synchronized (lock) {
            return slots.free();
        }
    }

    /**
     * How many of the pool's tasks are running (started or about to start in their green
     * threads).
     *
     * @return the number of running tasks
     */
    public int running() {
        synchronized (lock) {
            return members.size();
        }
    }

    /**
     * How many spawners wait for a slot.
     *
     * @return the number of waiting spawners
     */
    public int waiting() {
        synchronized (lock) {
            return slots.waiting();
        }
    }

    /**
     * Applies {@code function} to each input in the pool's green threads, and returns the results
     * lazily in input order (eventlet's {@code imap}). A feeder green thread spawns the tasks,
     * staying at most {@link #size()} results ahead of the consumer, so memory stays proportional
     * to the pool size even for endless inputs. That look-ahead is the size when {@code imap} is
     * called (at least 1): a later {@link #resize} changes how many tasks run, not how far this
     * iteration reads ahead, so on a pool of size 0 resized later it runs one or two at a time.
     *
     * <p>{@link Results#next()} waits for the next result; if that task failed it throws a
     * {@link GreenThreadException} whose cause is the task's exception, and the iteration can go
     * on with the following results. An exception from the input iterator itself ends the
     * iteration: it is thrown by the {@code next()} at its position. {@link Results#close()}
     * stops the feeder (the tasks already running finish in the pool).
     *
     * @param function what to apply
     * @param inputs the inputs, iterated by the feeder green thread
     * @param <A> the input type
     * @param <R> the result type
     * @return the results, in input order
     */
    public <A, R> Results<R> imap(Function<? super A, ? extends R> function, Iterable<? extends A> inputs) {
        Objects.requireNonNull(function, "function");
        Objects.requireNonNull(inputs, "inputs");
        return new Results<>(this, function, inputs);
    }

    /**
     * Applies {@code function} to pairs taken from two sources, element by element, as Python's
     * {@code map(f, a, b)} and eventlet's {@code imap(f, a, b)}: the results come lazily, in input
     * order, as {@link #imap(Function, Iterable)}'s do; the iteration stops at the end of the
     * shorter source (Python 3's {@code zip}). For more sources, use
     * {@link #starmap}{@code (f, }{@link #zip}{@code (a, b, c))}.
     *
     * @param function what to apply, to one element of each source
     * @param first the first arguments
     * @param second the second arguments
     * @param <A> the first argument's type
     * @param <B> the second argument's type
     * @param <R> the result type
     * @return the results, in input order
     */
    public <A, B, R> Results<R> imap(BiFunction<? super A, ? super B, ? extends R> function,
            Iterable<? extends A> first, Iterable<? extends B> second) {
        Objects.requireNonNull(function, "function");
        Objects.requireNonNull(first, "first");
        Objects.requireNonNull(second, "second");
        Iterable<Map.Entry<A, B>> pairs = PoolIterables.pairs(first, second);
        return imap((Map.Entry<A, B> p) -> function.apply(p.getKey(), p.getValue()), pairs);
    }

    /**
     * Applies {@code function} to each list of arguments (eventlet's {@code starmap}, Python's
     * {@code itertools.starmap}); the results come lazily, in input order, as
     * {@link #imap(Function, Iterable)}'s do. The function receives the list as it is (Java has
     * no spreading of arguments); {@link #zip} makes such lists from several sources.
     *
     * @param function what to apply to each argument list
     * @param argumentLists the argument lists
     * @param <R> the result type
     * @return the results, in input order
     */
    public <R> Results<R> starmap(Function<? super List<?>, ? extends R> function,
            Iterable<? extends List<?>> argumentLists) {
        Objects.requireNonNull(function, "function");
        Objects.requireNonNull(argumentLists, "argumentLists");
        return imap(function, argumentLists);
    }

    /**
     * The element-wise lists of {@code sources} (Python 3's {@code zip}): the i-th list holds the
     * i-th element of each source, and the iteration stops at the end of the shortest source.
     * Lazy: each source is read one element ahead at most, so endless sources are fine.
     *
     * @param sources the sources, at least one
     * @return the argument lists, unmodifiable
     * @throws IllegalArgumentException if no source is given
     */
    public static Iterable<List<Object>> zip(Iterable<?>... sources) {
        Objects.requireNonNull(sources, "sources");
        if (sources.length == 0) {
            throw new IllegalArgumentException("zip needs at least one source");
        }
        return PoolIterables.zip(List.of(sources)); // List.of refuses a null source
    }

    @Override
    public String toString() {
        synchronized (lock) {
            return "GreenPool[size=" + slots.size() + ", running=" + members.size() + ", waiting=" + slots.waiting() + "]";
        }
    }

    /**
     * The lazy, ordered results of {@link GreenPool#imap}. Iterate it from the thread that
     * created it, or another thread of its scheduler.
     *
     * @param <R> the result type
     */
    public static final class Results<R> implements Iterator<R>, AutoCloseable {
        private static final Object END = new Object();

        private final GreenQueue<Object> ready;
        private final GreenThread<Void> feeder;
        private Object next;
        private boolean finished;

        private <A> Results(GreenPool pool, Function<? super A, ? extends R> function, Iterable<? extends A> inputs) {
            this.ready = new GreenQueue<>(Math.max(1, pool.size()));
            this.feeder = Green.spawn(() -> {
                try {
                    for (A input : inputs) {
                        ready.put(pool.spawn(() -> function.apply(input)));
                    }
                } catch (RuntimeException | Error e) {
                    if (e instanceof Timeout || e instanceof GreenletExit) {
                        throw e;
                    }
                    ready.put(new InputFailure(e));
                    return null;
                }
                ready.put(END);
                return null;
            });
        }

        /**
         * Whether another result follows; waits until the feeder has spawned its task or reached
         * the end of the input.
         *
         * @return true if {@link #next()} has a result
         */
        @Override
        public boolean hasNext() {
            if (finished) {
                return false;
            }
            if (next == null) {
                next = ready.get();
            }
            if (next == END) {
                finished = true;
                return false;
            }
            return true;
        }

        /**
         * The next result, in input order, waiting for its task to finish.
         *
         * @return the result
         * @throws GreenThreadException if that task failed (the cause); iteration may go on
         * @throws NoSuchElementException after the last result
         */
        @Override
        @SuppressWarnings("unchecked")
        public R next() {
            if (!hasNext()) {
                throw new NoSuchElementException("no more imap results");
            }
            Object item = next;
            next = null;
            if (item instanceof InputFailure f) {
                finished = true;
                throw Sneaky.rethrow(f.error);
            }
            return ((GreenThread<R>) item).get();
        }

        /** Stops the feeder; no more results are returned. */
        @Override
        public void close() {
            finished = true;
            next = null;
            feeder.kill();
        }

        private record InputFailure(Throwable error) {
        }
    }
}
