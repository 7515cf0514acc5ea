package dev.greenhub;

import dev.greenhub.hub.Hub;
import dev.greenhub.hub.ReadyHandler;
import java.io.IOException;
import jdk.jfr.FlightRecorder;

/**
 * Where greenhub meets JFR. Loading a JFR event class starts JFR's machinery (about 150 classes
 * and 0.2 s of CPU), so the event classes are touched only once the flight recorder runs: until
 * then each hook costs one volatile read. A recording started late ({@code jcmd JFR.start}) is
 * seen at the next poll.
 */
final class JfrEvents {
    private static volatile boolean statisticsRegistered;

    private JfrEvents() {
    }

    /** Whether a flight recorder runs in this JVM (then the events may be enabled). */
    static boolean recording() {
        return FlightRecorder.isInitialized();
    }

    /** Registers {@link GreenThreadStatisticsEvent}'s periodic hook, once, if JFR runs. */
    static void registerStatistics() {
        if (!statisticsRegistered && recording()) {
            synchronized (JfrEvents.class) {
                if (!statisticsRegistered) {
                    FlightRecorder.addPeriodicEvent(GreenThreadStatisticsEvent.class, Diagnostics::emitStatistics);
                    statisticsRegistered = true;
                }
            }
        }
    }

    /** {@code hub.poll}, recorded as a {@link HubPollEvent} when that event is enabled. */
    static int recordedPoll(Hub hub, long timeout, ReadyHandler handler, String hubName, Object scheduler)
            throws IOException {
        HubPollEvent event = new HubPollEvent();
        event.begin();
        int reported = hub.poll(timeout, handler);
        if (event.shouldCommit()) {
            event.hub = hubName;
            event.scheduler = scheduler.toString();
            event.timeout = timeout;
            event.fdsReady = reported;
            event.commit();
        }
        return reported;
    }

    /** Commits a {@link BlockingDetectedEvent} for a report, when JFR runs and the event is enabled. */
    static void blockingDetected(Diagnostics.BlockingReport report, Thread carrier) {
        if (!recording()) {
            return;
        }
        BlockingDetectedEvent e = new BlockingDetectedEvent();
        if (e.isEnabled()) {
            e.what = report.what();
            e.carrier = carrier;
            e.hub = report.hub().hubName();
            e.held = report.held().toNanos();
            StringBuilder b = new StringBuilder();
            for (StackTraceElement element : report.stackTrace()) {
                b.append(element).append('\n');
            }
            e.greenStack = b.toString();
            e.commit();
        }
    }
}
