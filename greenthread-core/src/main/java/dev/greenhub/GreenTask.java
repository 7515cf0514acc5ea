package dev.greenhub;

/**
 * A green thread's task (it runs its greenlet) and the mark by which the thread's code finds its
 * {@link Fiber}: the thread's uncaught-exception handler is this object. A {@link ThreadLocal}
 * would cost every green thread a map of its own (three objects, about 140 bytes, kept while it
 * lives); this costs one small object, which the thread needs as its task anyway.
 *
 * <p>A green thread whose code replaces its own uncaught-exception handler is still found, on a
 * slow path: the virtual thread's scheduler names the {@link Scheduler}, whose live green threads
 * are searched for it. Nothing escapes a greenlet's body uncaught, so the handler is otherwise
 * unused.
 */
final class GreenTask implements Runnable, Thread.UncaughtExceptionHandler {
    /** {@link #get()}: the calling thread's fiber. */
    static final GreenTask.Lookup CURRENT = new Lookup();

    final Fiber fiber;

    GreenTask(Fiber fiber) {
        this.fiber = fiber;
    }

    /** Makes {@code thread} (the fiber's new virtual thread) recognisable as this green thread. */
    void mark(Thread thread) {
        thread.setUncaughtExceptionHandler(this);
    }

    @Override
    public void run() {
        fiber.greenlet.main();
    }

    @Override
    public void uncaughtException(Thread t, Throwable e) {
        fiber.scheduler.report("uncaught exception in " + t, e);
    }

    /** Finds the calling green thread's fiber, as a {@code ThreadLocal<Fiber>}'s get would. */
    static final class Lookup {
        private Lookup() {
        }

        /** The calling thread's fiber if it is a green thread, else null. */
        Fiber get() {
            Thread t = Thread.currentThread();
            if (t.getUncaughtExceptionHandler() instanceof GreenTask task) {
                return task.fiber;
            }
            return t.isVirtual() ? Scheduler.findGreen(t) : null;
        }
    }

    @Override
    public String toString() {
        return "run " + fiber.thread;
    }
}
