package dev.greenhub;

import java.time.Duration;
import java.util.concurrent.Callable;

/**
 * Timers and spawns bound to the green thread that made them (eventlet's {@code LocalTimer}):
 * when that green thread ends, however it ends, what has not happened yet is cancelled. A
 * platform thread's main greenlet never ends, so from a platform thread they are ordinary
 * timers and spawns (as in eventlet, whose main greenlet never dies).
 */
final class LocalBindings {
    private LocalBindings() {
    }

    static Timer callLater(Duration delay, Runnable callback) {
        Scheduler s = Scheduler.current();
        Greenlet creator = Greenlet.current();
        if (creator.kind() != Greenlet.Kind.GREEN) {
            return s.callLater(delay, callback);
        }
        LocalCall call = new LocalCall(creator, callback);
        call.timer = s.callLater(delay, call);
        creator.addExitAction(call.onCreatorExit);
        return call.timer;
    }

    static <T> GreenThread<T> spawnAfter(Duration delay, Callable<T> task) {
        Scheduler s = Scheduler.current();
        Greenlet creator = Greenlet.current();
        GreenThread<T> g = s.spawnAfter(delay, task);
        if (creator.kind() != Greenlet.Kind.GREEN) {
            return g;
        }
        Runnable onCreatorExit = new Runnable() {
            @Override
            public void run() {
                g.cancel(new GreenletExit("not started: " + creator + ", which spawned it with spawnAfterLocal,"
                        + " ended first"));
            }

            @Override
            public String toString() {
                return "cancel " + g + " unless started";
            }
        };
        creator.addExitAction(onCreatorExit);
        g.link(ended -> creator.removeExitAction(onCreatorExit));
        return g;
    }

    /** The timer callback of a local call: runs the callback unless its creator has ended. */
    private static final class LocalCall implements Runnable {
        private final Greenlet creator;
        private final Runnable callback;
        Timer timer;
        final Runnable onCreatorExit = new Runnable() {
            @Override
            public void run() {
                timer.cancel();
            }

            @Override
            public String toString() {
                return "cancel the local timer of " + callback;
            }
        };

        LocalCall(Greenlet creator, Runnable callback) {
            this.creator = creator;
            this.callback = callback;
        }

        @Override
        public void run() {
            creator.removeExitAction(onCreatorExit);
            if (!creator.isDead()) {
                callback.run();
            }
        }

        @Override
        public String toString() {
            return callback + " (local to " + creator + ")";
        }
    }
}
