package dev.greenhub.tck.selftest;

import dev.greenhub.hub.Hub;
import dev.greenhub.hub.ReadyHandler;
import java.io.IOException;

/**
 * A hub whose bug is in what its polls report: each report of the real hub passes through
 * {@link #rewrite}, which may change the readiness or drop the report, and the poll returns the
 * number of reports that were passed on (so the count stays consistent and only the bug shows).
 */
abstract class RewritingHub extends ForwardingHub {

    RewritingHub(Hub delegate, String name) {
        super(delegate, name);
    }

    /** Called before each poll. */
    void beforePoll() {
    }

    /** Called after each poll that returned normally. */
    void afterPoll() {
    }

    /**
     * The readiness to report for a report of the real hub.
     *
     * @param fd the fd
     * @param ops what the real hub reported
     * @return what to report, 0 to drop the report
     */
    abstract int rewrite(int fd, int ops);

    @Override
    public final int poll(long timeoutNanos, ReadyHandler handler) throws IOException {
        checkOpen();
        beforePoll();
        int[] passed = {0};
        delegate.poll(timeoutNanos, (fd, ops) -> {
            int report = rewrite(fd, ops);
            if (report != 0) {
                passed[0]++;
                handler.ready(fd, report);
            }
        });
        afterPoll();
        return passed[0];
    }
}
