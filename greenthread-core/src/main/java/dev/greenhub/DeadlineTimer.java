package dev.greenhub;

/**
 * The deadline timer of a green fiber's timed parks, kept from one park to the next: a park whose
 * deadline is not before the pending timer's reuses it, and the timer, when it fires, re-arms
 * itself for the deadline of the park in progress if that is later, or lets itself go if none
 * is in progress (Netty's idle-timeout technique). A read with a 60-second timeout per request
 * thus costs no timer at all while requests keep coming, instead of a timer stored and cancelled
 * each time. A park never ends before its own deadline: only a timer at or after it wakes it.
 * Carrier-confined, as timers are. A platform fiber, whose timed waits can nest (a timer
 * callback's refused sleep runs inside the outer wait), gets a new one per wait instead.
 */
final class DeadlineTimer implements Runnable {
    private final Fiber fiber;
    /** The pending timer, or null. */
    private Timer timer;
    /** Whether a timed park is in progress, and its (clamped) deadline. */
    private boolean waiting;
    private long deadline;
    /** Whether the deadline of the park in progress has passed. */
    volatile boolean fired;

    DeadlineTimer(Fiber fiber) {
        this.fiber = fiber;
    }

    void begin(long wanted) {
        TimerQueue timers = fiber.scheduler.timers;
        long d = timers.clamp(wanted);
        deadline = d;
        fired = false;
        waiting = true;
        Timer t = timer;
        if (t != null) {
            if (t.deadline - d <= 0) {
                return; // fires first; run() re-arms it for d
            }
            t.cancel();
        }
        timer = fiber.scheduler.scheduleAt(d, this);
    }

    /** The park is over: a green fiber keeps the timer for its next one. */
    void end() {
        if (fiber.green) {
            waiting = false;
        } else {
            drop();
        }
    }

    void drop() {
        waiting = false;
        Timer t = timer;
        if (t != null) {
            timer = null;
            t.cancel();
        }
    }

    @Override
    public void run() {
        timer = null;
        if (!waiting) {
            return;
        }
        if (deadline - System.nanoTime() > 0) {
            timer = fiber.scheduler.scheduleAt(deadline, this);
            return;
        }
        fired = true;
        fiber.signal(false);
    }

    @Override
    public String toString() {
        return "wake " + Fiber.label(fiber.thread) + (waiting ? " (deadline of its park or sleep)"
                : " (kept for its next timed park)");
    }
}
