package dev.greenhub;

/**
 * A {@link Semaphore} whose counter may never exceed its initial value (eventlet's
 * {@code BoundedSemaphore}): releasing more than was acquired is a bug, reported at once.
 *
 * <p>Thread-safe, as {@link Semaphore}.
 */
public final class BoundedSemaphore extends Semaphore {
    private final int limit;

    /**
     * A bounded semaphore with {@code value} units, which is also its limit.
     *
     * @param value the initial counter and limit; not negative
     * @throws IllegalArgumentException if {@code value} is negative
     */
    public BoundedSemaphore(int value) {
        super(value);
        this.limit = value;
    }

    /** A bounded semaphore with one unit. */
    public BoundedSemaphore() {
        this(1);
    }

    /**
     * The initial value, which the counter may not exceed.
     *
     * @return the limit
     */
    public int limit() {
        return limit;
    }

    /**
     * {@inheritDoc}
     *
     * @throws IllegalStateException if the counter is already at the initial value (more releases
     *     than acquires)
     */
    @Override
    public void release() {
        super.release();
    }

    @Override
    void checkRelease() {
        if (counter >= limit) {
            throw new IllegalStateException("BoundedSemaphore released too many times: the counter is already"
                    + " at its initial value " + limit);
        }
    }
}
