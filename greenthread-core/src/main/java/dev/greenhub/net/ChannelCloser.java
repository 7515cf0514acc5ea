package dev.greenhub.net;

import dev.greenhub.Scheduler;
import dev.greenhub.internal.FdWaits;
import java.io.IOException;
import java.nio.channels.Channel;

/**
 * Closes a green channel so that its fd number cannot be reused while one of its scheduler's
 * waiters still watches it: the scheduler forgets the fd (waking its waiters) before the channel
 * is closed.
 */
final class ChannelCloser {
    private ChannelCloser() {
    }

    /**
     * Closes {@code channel} after its scheduler has forgotten {@code fd} and woken its waiters:
     * at once from one of that scheduler's threads (or if it is closed), else at its next turn.
     */
    static void closeOn(Scheduler home, int fd, Channel channel) throws IOException {
        if (home.isClosed()) {
            channel.close();
            return;
        }
        if (Scheduler.currentIfPresent().orElse(null) == home && !home.isClosed()) {
            try {
                FdWaits.forgetFd(home, fd);
            } finally {
                channel.close();
            }
            return;
        }
        home.runOnCarrier(() -> {
            try {
                if (!home.isClosed()) {
                    FdWaits.forgetFd(home, fd);
                }
            } finally {
                try {
                    channel.close();
                } catch (IOException e) {
                    System.getLogger("dev.greenhub.net").log(System.Logger.Level.WARNING,
                            "closing fd " + fd + " failed", e);
                }
            }
        });
        if (home.isClosed()) {
            channel.close(); // the loop is gone; the task may have been dropped
        }
    }
}
