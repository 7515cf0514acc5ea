package dev.greenhub;

import java.util.LinkedHashSet;
import java.util.Set;

/**
 * The state of a greenlet's delayed start, of its switches and of its exit actions: kept out of
 * the greenlet itself and made on its first use, so that a green thread that uses none of them
 * (most) is 24 bytes smaller while it lives. Carrier-confined: used only by the greenlet's own
 * scheduler.
 */
final class GreenletSideState {
    /** The timer that starts a greenlet spawned with a delay, until it starts. */
    private Timer startTimer;
    /** The value of the switch that started it, until its body takes it. */
    private Object startValue;
    /** Whether the greenlet is suspended in switchTo, its wait there, and what it is sent. */
    private boolean inSwitch;
    private Waiter switchWait;
    private Object mailValue;
    private Throwable mailError;
    /** What to do when the body ends (local timers and spawns to cancel). */
    private Set<Runnable> exitActions;

    void startTimer(Timer timer) {
        startTimer = timer;
    }

    /** Cancels the delayed start's timer, if there is one. */
    void cancelStartTimer() {
        if (startTimer != null) {
            startTimer.cancel();
            startTimer = null;
        }
    }

    void startValue(Object value) {
        startValue = value;
    }

    /** The value of the switch that started the greenlet, handed out once. */
    Object takeStartValue() {
        Object v = startValue;
        startValue = null;
        return v;
    }

    boolean inSwitch() {
        return inSwitch;
    }

    /** The greenlet enters switchTo and will wait there on {@code wait}. */
    void enterSwitch(Waiter wait) {
        inSwitch = true;
        switchWait = wait;
    }

    /** The greenlet leaves switchTo, however it leaves. */
    void leaveSwitch() {
        inSwitch = false;
        switchWait = null;
    }

    /** Resumes the pending switchTo with a value or an error; the greenlet runs next. */
    void deliver(Object value, Throwable error) {
        mailValue = value;
        mailError = error;
        switchWait.completeDirect();
    }

    /** Waits in switchTo until something is delivered; returns the value or throws the error. */
    Object awaitSwitch(Waiter wait) {
        wait.await();
        Object value = mailValue;
        Throwable error = mailError;
        mailValue = null;
        mailError = null;
        if (error != null) {
            throw Sneaky.rethrow(error);
        }
        return value;
    }

    void addExitAction(Runnable action) {
        if (exitActions == null) {
            exitActions = new LinkedHashSet<>();
        }
        exitActions.add(action);
    }

    void removeExitAction(Runnable action) {
        if (exitActions != null) {
            exitActions.remove(action);
        }
    }

    /**
     * Runs the exit actions in the order they were added, each once, including those an action
     * adds; one that throws is reported to {@code scheduler} as an action of {@code owner}.
     */
    void runExitActions(Scheduler scheduler, Object owner) {
        Set<Runnable> actions = exitActions;
        while (actions != null && !actions.isEmpty()) {
            Runnable a = actions.iterator().next();
            actions.remove(a);
            try {
                a.run();
            } catch (RuntimeException | Error e) {
                scheduler.report("exit action " + a + " of " + owner + " failed", e);
            }
        }
        exitActions = null;
    }
}
