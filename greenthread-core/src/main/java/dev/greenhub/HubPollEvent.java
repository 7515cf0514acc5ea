package dev.greenhub;

import jdk.jfr.Category;
import jdk.jfr.Description;
import jdk.jfr.Enabled;
import jdk.jfr.Event;
import jdk.jfr.Label;
import jdk.jfr.Name;
import jdk.jfr.StackTrace;
import jdk.jfr.Threshold;
import jdk.jfr.Timespan;

/**
 * JFR event {@code dev.greenhub.HubPoll}: one {@code Hub.poll} of a scheduler's loop. Off by
 * default (a busy hub polls a million times a second); switch it on with the usual JFR settings,
 * for example {@code jfr configure +dev.greenhub.HubPoll#enabled=true} or
 * {@code RecordingStream.enable("dev.greenhub.HubPoll")}. When no recording wants it, the cost is
 * the JFR framework's disabled-event check.
 */
@Name("dev.greenhub.HubPoll")
@Label("Hub Poll")
@Category({"greenhub", "Hub"})
@Description("One poll of a greenhub hub: how long it waited and how many fds it reported")
@Enabled(false)
@Threshold("0 ms")
@StackTrace(false)
final class HubPollEvent extends Event {
    @Label("Hub")
    @Description("The hub provider's name")
    String hub;

    @Label("Scheduler")
    String scheduler;

    @Label("Timeout")
    @Description("The timeout the loop asked for; -1 for none")
    @Timespan(Timespan.NANOSECONDS)
    long timeout;

    @Label("Fds Ready")
    @Description("How many fds the poll reported")
    int fdsReady;
}
