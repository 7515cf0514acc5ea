package dev.greenhub;

import dev.greenhub.internal.FdWaits;
import java.io.IOException;

/** The scheduler's raw fd waits, handed to greenhub's other packages through {@link FdWaits}. */
final class FdWaitAccess implements FdWaits.Access {
    @Override
    public int trampoline(Scheduler scheduler, int fd, int interest, long deadlineNanos) throws IOException {
        return scheduler.trampoline(fd, interest, deadlineNanos);
    }

    @Override
    public void forgetFd(Scheduler scheduler, int fd) {
        scheduler.forgetFd(fd);
    }

    @Override
    public int fdInterest(Scheduler scheduler, int fd) {
        return scheduler.fdInterest(fd);
    }
}
