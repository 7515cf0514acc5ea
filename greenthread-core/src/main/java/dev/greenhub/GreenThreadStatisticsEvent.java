package dev.greenhub;

import jdk.jfr.Category;
import jdk.jfr.Description;
import jdk.jfr.Event;
import jdk.jfr.Label;
import jdk.jfr.Name;
import jdk.jfr.Period;
import jdk.jfr.StackTrace;

/**
 * JFR event {@code dev.greenhub.GreenThreadStatistics}: per open scheduler, how many green threads
 * it has spawned and seen end since it opened, and how many are alive; emitted every second (the
 * usual JFR {@code period} setting changes that).
 */
@Name("dev.greenhub.GreenThreadStatistics")
@Label("Green Thread Statistics")
@Category({"greenhub", "Scheduler"})
@Description("Green threads spawned, ended and alive, per scheduler")
@Period("1 s")
@StackTrace(false)
final class GreenThreadStatisticsEvent extends Event {
    @Label("Scheduler")
    String scheduler;

    @Label("Hub")
    String hub;

    @Label("Spawned")
    @Description("Green threads spawned since the scheduler opened")
    long spawned;

    @Label("Ended")
    @Description("Green threads that ended since the scheduler opened")
    long ended;

    @Label("Alive")
    @Description("Green threads running or waiting to start")
    long alive;
}
