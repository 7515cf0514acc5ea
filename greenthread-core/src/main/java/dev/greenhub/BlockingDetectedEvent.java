package dev.greenhub;

import jdk.jfr.Category;
import jdk.jfr.Description;
import jdk.jfr.Event;
import jdk.jfr.Label;
import jdk.jfr.Name;
import jdk.jfr.StackTrace;
import jdk.jfr.Timespan;

/**
 * JFR event {@code dev.greenhub.BlockingDetected}: blocking detection (see {@link Diagnostics})
 * found a green thread or loop task holding its hub longer than the threshold. Committed by the
 * watchdog thread, so the event's own stack trace is off; the held thread's stack is a field.
 * Enabled by default whenever blocking detection is on.
 */
@Name("dev.greenhub.BlockingDetected")
@Label("Green Thread Blocking Its Hub")
@Category({"greenhub", "Diagnostics"})
@Description("A green thread or loop task held its hub without yielding for longer than the threshold")
@StackTrace(false)
final class BlockingDetectedEvent extends Event {
    @Label("Green Thread")
    @Description("The green thread's name, or the loop task when no green thread ran")
    String what;

    @Label("Hub Thread")
    @Description("The carrier (hub) thread that was held")
    Thread carrier;

    @Label("Hub")
    String hub;

    @Label("Held")
    @Description("How long it had held the hub when detected")
    @Timespan(Timespan.NANOSECONDS)
    long held;

    @Label("Green Stack")
    @Description("The held green thread's stack when detected")
    String greenStack;
}
