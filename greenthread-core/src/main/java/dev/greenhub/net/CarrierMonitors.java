package dev.greenhub.net;

import dev.greenhub.Scheduler;
import java.lang.management.ManagementFactory;
import java.lang.management.MonitorInfo;
import java.lang.management.ThreadInfo;
import java.util.Arrays;
import java.util.stream.Collectors;

/**
 * Refuses a green I/O wait on a scheduler's platform carrier while that thread holds a monitor.
 *
 * <p>While the carrier waits it runs the loop, which mounts the green threads on it; the JDK
 * counts the carrier's monitors against every green thread mounted there, so each one that
 * parks is pinned (parked with the carrier) and the loop stops for good. java.io's readers and
 * writers hold their lock (a monitor, in JDK 25) while they read: a {@code BufferedReader} over
 * a green socket's stream, read on the carrier, hung that way. The check costs a look at the
 * thread's locked monitors (some tens of microseconds), so it is made only on a platform thread
 * that is about to wait, never on a green thread.
 */
final class CarrierMonitors {
    private CarrierMonitors() {
    }

    /**
     * Throws if the caller is {@code home}'s platform carrier and holds a monitor; does nothing
     * on a green thread (another thread's wait is refused by the scheduler itself).
     *
     * @param home the scheduler whose loop the wait would run
     * @param what the socket or pipe, for the message
     */
    static void refuseIfHeld(Scheduler home, Object what) {
        Thread t = Thread.currentThread();
        if (t.isVirtual() || t != home.carrier()) {
            return;
        }
        ThreadInfo[] info = ManagementFactory.getThreadMXBean().getThreadInfo(new long[] {t.threadId()}, true, false);
        if (info.length == 0 || info[0] == null) {
            return;
        }
        MonitorInfo[] held = info[0].getLockedMonitors();
        if (held.length == 0) {
            return;
        }
        String monitors = Arrays.stream(held).map(m -> m.getClassName() + "@" + Integer.toHexString(m.getIdentityHashCode())
                + " (locked in " + m.getLockedStackFrame() + ")").collect(Collectors.joining(", "));
        throw new IllegalStateException("platform thread \"" + t.getName() + "\" would wait for " + what
                + " while holding the monitor of " + monitors + ": the green threads of " + home
                + " that it runs meanwhile would be pinned to it and the loop would hang. Do the I/O in a green"
                + " thread (Green.spawn) and wait for its result (GreenThread.get()) outside synchronized code;"
                + " java.io readers and writers (BufferedReader, InputStreamReader, PrintStream) lock themselves"
                + " while they read or write, so use them over green streams in a green thread only");
    }
}
