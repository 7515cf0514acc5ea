package dev.greenhub;

import dev.greenhub.hub.Readiness;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Consumer;

/**
 * What eventlet's {@code eventlet.debug} offers: blocking detection, hub exception reporting, and
 * listings of a hub's listeners and timers. Everything is logged through {@link System.Logger}
 * (logger {@code dev.greenhub.diagnostics}).
 *
 * <h2>Blocking detection</h2>
 * Off by default (it costs two volatile writes per task the loop runs). When on, a watchdog
 * platform thread ({@code greenhub-blocking-watchdog}, a daemon) looks at every open scheduler
 * several times per threshold; when one green thread (or one timer callback) has held its hub's
 * carrier longer than the threshold without giving it back, it reports that green thread's name,
 * the hub, how long, and the green thread's current stack trace — once per such stretch. Switch it
 * on with the system property {@value #BLOCKING_PROPERTY}{@code =true} (read when this class
 * initialises, with the threshold in milliseconds from {@value #THRESHOLD_PROPERTY}, default
 * 1000) or with {@link #enableBlockingDetection(Duration)}.
 *
 * <h2>Threading</h2>
 * The blocking-detection methods are thread-safe. The listings read a scheduler's
 * carrier-confined state and must be called from one of that scheduler's threads (its carrier
 * or one of its green threads).
 */
public final class Diagnostics {
    /** System property: {@code true} switches blocking detection on. */
    public static final String BLOCKING_PROPERTY = "greenhub.debug.blocking";
    /** System property: the blocking threshold in milliseconds (a positive integer). */
    public static final String THRESHOLD_PROPERTY = "greenhub.debug.blocking.threshold";
    /** The threshold used when none is given: one second, as eventlet's default resolution. */
    public static final Duration DEFAULT_THRESHOLD = Duration.ofSeconds(1);

    private static final System.Logger LOG = System.getLogger("dev.greenhub.diagnostics");
    private static final long MIN_CHECK_NANOS = 1_000_000L;

    /** Read by the loop on every task: whether to record what runs. */
    static volatile boolean watching;
    private static volatile long thresholdNanos = DEFAULT_THRESHOLD.toNanos();
    private static volatile Consumer<BlockingReport> blockingReporter;
    private static final Set<Scheduler> OPEN = ConcurrentHashMap.newKeySet();
    private static final Map<Scheduler, Long> REPORTED = new ConcurrentHashMap<>();
    private static Thread watchdog; // guarded by Diagnostics.class

    static {
        if (Boolean.parseBoolean(System.getProperty(BLOCKING_PROPERTY))) {
            enableBlockingDetection(thresholdFromProperty());
        }
    }

    private Diagnostics() {
    }

    /**
     * One detected stretch of a green thread (or timer callback) holding its hub.
     *
     * @param thread the green thread, or null when a timer callback or loop task held the hub
     * @param what a description of what held the hub (the thread's name, or the callback)
     * @param hub the scheduler whose carrier was held
     * @param held how long it had held the carrier when detected
     * @param stackTrace the green thread's stack trace then (the carrier's when no green thread)
     */
    public record BlockingReport(Thread thread, String what, Scheduler hub, Duration held,
                                 List<StackTraceElement> stackTrace) {
        /**
         * The report as logged: one line, then the stack trace.
         *
         * @return the text
         */
        public String format() {
            StringBuilder b = new StringBuilder("blocking detected: ").append(what).append(" has held the hub of ")
                    .append(hub).append(" for ").append(held.toMillis()).append(" ms without yielding");
            for (StackTraceElement e : stackTrace) {
                b.append("\n\tat ").append(e);
            }
            return b.toString();
        }
    }

    /**
     * One fd a hub watches (eventlet's listener).
     *
     * @param fd the file descriptor
     * @param interest the interest registered in the hub ({@link Readiness} READ/WRITE bits; 0
     *     if none is registered at the moment)
     * @param reader the thread waiting to read it, or null
     * @param writer the thread waiting to write it, or null
     */
    public record Listener(int fd, int interest, Thread reader, Thread writer) {
        @Override
        public String toString() {
            return "fd " + fd + " " + Readiness.describe(interest)
                    + (reader == null ? "" : ", reader " + Fiber.label(reader))
                    + (writer == null ? "" : ", writer " + Fiber.label(writer));
        }
    }

    /**
     * One pending timer.
     *
     * @param deadlineNanos its deadline on the {@link System#nanoTime()} clock
     * @param remaining how long until it is due when the listing was made (zero or negative if due)
     * @param callback a description of what it runs
     */
    public record PendingTimer(long deadlineNanos, Duration remaining, String callback) {
        @Override
        public String toString() {
            return "in " + remaining.toMillis() + " ms: " + callback;
        }
    }

    // ---------------------------------------------------------------- blocking detection

    /**
     * Switches blocking detection on (or changes its threshold), for every scheduler.
     *
     * @param threshold how long one green thread may hold its hub before it is reported; positive
     * @throws IllegalArgumentException if the threshold is not positive
     */
    public static synchronized void enableBlockingDetection(Duration threshold) {
        Objects.requireNonNull(threshold, "threshold");
        if (threshold.isNegative() || threshold.isZero()) {
            throw new IllegalArgumentException("blocking threshold must be positive: " + threshold);
        }
        thresholdNanos = threshold.toNanos();
        watching = true;
        if (watchdog == null) {
            Thread t = Thread.ofPlatform().daemon().name("greenhub-blocking-watchdog").unstarted(Diagnostics::watch);
            watchdog = t;
            t.start();
        } else {
            LockSupport.unpark(watchdog);
        }
    }

    /** Switches blocking detection off; the watchdog thread ends. */
    public static synchronized void disableBlockingDetection() {
        watching = false;
        Thread t = watchdog;
        watchdog = null;
        if (t != null) {
            LockSupport.unpark(t);
        }
        REPORTED.clear();
    }

    /**
     * Whether blocking detection is on.
     *
     * @return true if on
     */
    public static boolean isBlockingDetectionEnabled() {
        return watching;
    }

    /**
     * The blocking threshold in force (or that would be, when detection is off).
     *
     * @return the threshold
     */
    public static Duration blockingThreshold() {
        return Duration.ofNanos(thresholdNanos);
    }

    /**
     * Where blocking reports go: by default (or after {@code null}) the {@link System.Logger}
     * {@code dev.greenhub.diagnostics} at WARNING, with {@link BlockingReport#format()} as the
     * message. The reporter runs on the watchdog thread and must not block for long.
     *
     * @param reporter the receiver, or null for the logger
     */
    public static void setBlockingReporter(Consumer<BlockingReport> reporter) {
        blockingReporter = reporter;
    }

    static void opened(Scheduler s) {
        OPEN.add(s);
    }

    static void closed(Scheduler s) {
        OPEN.remove(s);
        REPORTED.remove(s);
    }

    /** JFR's periodic hook for {@link GreenThreadStatisticsEvent}: one event per open scheduler. */
    static void emitStatistics() {
        for (Scheduler s : OPEN) {
            s.commitStatistics();
        }
    }

    private static Duration thresholdFromProperty() {
        String value = System.getProperty(THRESHOLD_PROPERTY);
        if (value == null || value.isBlank()) {
            return DEFAULT_THRESHOLD;
        }
        try {
            long millis = Long.parseLong(value.trim());
            if (millis > 0) {
                return Duration.ofMillis(millis);
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new IllegalArgumentException("system property " + THRESHOLD_PROPERTY
                + " must be a positive number of milliseconds, not '" + value + "'");
    }

    private static void watch() {
        Thread me = Thread.currentThread();
        while (true) {
            synchronized (Diagnostics.class) {
                if (watchdog != me) {
                    return;
                }
            }
            long threshold = thresholdNanos;
            for (Scheduler s : OPEN) {
                try {
                    check(s, threshold);
                } catch (RuntimeException e) {
                    LOG.log(System.Logger.Level.WARNING, "blocking detection failed on " + s, e);
                }
            }
            LockSupport.parkNanos(Math.max(MIN_CHECK_NANOS, threshold / 4));
        }
    }

    private static void check(Scheduler s, long threshold) {
        Runnable task = s.runQueue.runningTask;
        if (task == null) {
            return;
        }
        long since = s.runQueue.runningSince;
        long held = System.nanoTime() - since;
        if (held <= threshold || s.runQueue.runningTask != task) {
            return;
        }
        Long last = REPORTED.put(s, since);
        if (last != null && last == since) {
            return;
        }
        Thread green = threadOf(task);
        StackTraceElement[] stack = green != null ? green.getStackTrace() : s.carrier().getStackTrace();
        if (s.runQueue.runningTask != task || s.runQueue.runningSince != since) {
            return; // it gave the hub back while we looked
        }
        String what = green != null ? "green thread " + Fiber.label(green) + " (" + green + ")" : "loop task " + task;
        BlockingReport report = new BlockingReport(green, what, s, Duration.ofNanos(held), List.of(stack));
        JfrEvents.blockingDetected(report, s.carrier());
        Consumer<BlockingReport> r = blockingReporter;
        if (r != null) {
            r.accept(report);
        } else {
            LOG.log(System.Logger.Level.WARNING, report.format());
        }
    }

    /**
     * The virtual thread whose continuation {@code task} is: the JDK hands the scheduler a bound
     * method reference that captures its thread (readable because java.lang is opened to
     * greenhub, which green threads need anyway).
     */
    static Thread threadOf(Runnable task) {
        for (Class<?> c = task.getClass(); c != null && c != Object.class; c = c.getSuperclass()) {
            for (Field f : c.getDeclaredFields()) {
                if (!Modifier.isStatic(f.getModifiers()) && Thread.class.isAssignableFrom(f.getType())) {
                    try {
                        f.setAccessible(true);
                        return (Thread) f.get(task);
                    } catch (ReflectiveOperationException | RuntimeException e) {
                        return null;
                    }
                }
            }
        }
        return null;
    }

    // ---------------------------------------------------------------- hub exceptions

    /**
     * Switches the reporting of exceptions raised in {@code scheduler}'s timers, tasks and green
     * threads on (to the {@link System.Logger}, {@link Scheduler#LOG_REPORTER}) or off (eventlet's
     * {@code hub_exceptions}). Off, such exceptions are dropped silently; a {@link GreenThread}'s
     * exception is still rethrown by its {@link GreenThread#get()}.
     *
     * @param scheduler the scheduler
     * @param on true to report, false to drop
     */
    public static void hubExceptions(Scheduler scheduler, boolean on) {
        Objects.requireNonNull(scheduler, "scheduler").setExceptionReporter(on ? Scheduler.LOG_REPORTER : null);
    }

    // ---------------------------------------------------------------- listings

    /**
     * The fds {@code scheduler} watches, by fd number (eventlet's {@code format_hub_listeners}).
     *
     * @param scheduler the scheduler
     * @return a snapshot
     * @throws WrongThreadException if the caller is not one of the scheduler's threads
     */
    public static List<Listener> listeners(Scheduler scheduler) {
        scheduler.checkOnCarrier("Diagnostics.listeners");
        List<Listener> out = scheduler.listenerSnapshot();
        out.sort(Comparator.comparingInt(Listener::fd));
        return List.copyOf(out);
    }

    /**
     * The timers pending in {@code scheduler} (not fired, not cancelled), earliest first
     * (eventlet's {@code format_hub_timers}).
     *
     * @param scheduler the scheduler
     * @return a snapshot
     * @throws WrongThreadException if the caller is not one of the scheduler's threads
     */
    public static List<PendingTimer> timers(Scheduler scheduler) {
        scheduler.checkOnCarrier("Diagnostics.timers");
        List<Timer> pending = scheduler.pendingTimerSnapshot();
        pending.sort((a, b) -> TimerHeap.before(a, b) ? -1 : TimerHeap.before(b, a) ? 1 : 0);
        long now = System.nanoTime();
        List<PendingTimer> out = new ArrayList<>(pending.size());
        for (Timer t : pending) {
            out.add(new PendingTimer(t.deadline, Duration.ofNanos(t.deadline - now), t.describe()));
        }
        return List.copyOf(out);
    }

    /**
     * {@link #listeners} and {@link #timers} as text, one line each, for logs and debugging.
     *
     * @param scheduler the scheduler
     * @return the text
     * @throws WrongThreadException if the caller is not one of the scheduler's threads
     */
    public static String describe(Scheduler scheduler) {
        StringBuilder b = new StringBuilder(scheduler.toString()).append('\n');
        List<Listener> ls = listeners(scheduler);
        b.append("listeners (").append(ls.size()).append("):\n");
        for (Listener l : ls) {
            b.append("  ").append(l).append('\n');
        }
        List<PendingTimer> ts = timers(scheduler);
        b.append("timers (").append(ts.size()).append("):\n");
        for (PendingTimer t : ts) {
            b.append("  ").append(t).append('\n');
        }
        return b.toString();
    }
}
