package dev.greenhub.hub.epoll;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The closed-fd sweep's pacing and its bound, on a table and clock of the test's own. */
class ClosedFdSweepTest {
    private static final long SECOND = 1_000_000_000L;

    /** A dense table with swap-remove, as NativeHub keeps its registrations. */
    private static final class FakeTable implements ClosedFdSweep.Table {
        final List<Integer> fds = new ArrayList<>();
        final List<Integer> checked = new ArrayList<>();

        /** A table of fds 0 to {@code n - 1}. */
        static FakeTable of(int n) {
            FakeTable table = new FakeTable();
            for (int fd = 0; fd < n; fd++) {
                table.fds.add(fd);
            }
            return table;
        }

        @Override
        public int count() {
            return fds.size();
        }

        @Override
        public int fdAt(int index) {
            return fds.get(index);
        }

        @Override
        public void check(int fd) {
            if (fds.contains(fd)) {
                checked.add(fd);
            }
        }

        /** Removes {@code fd} as NativeHub does and tells the sweep. */
        void remove(int fd, ClosedFdSweep sweep) {
            int index = fds.indexOf(fd);
            int last = fds.size() - 1;
            int moved = -1;
            if (index != last) {
                moved = fds.get(last);
                fds.set(index, moved);
            }
            fds.remove(last);
            sweep.removed(index, moved, fds.size());
        }
    }

    @Test
    void eachPollChecksTheShareThatFellDueAndASweepTakesHalfTheInterval() {
        FakeTable table = FakeTable.of(1000);
        ClosedFdSweep sweep = new ClosedFdSweep(table, SECOND, 0);
        sweep.run(SECOND / 20);
        assertThat(table.checked).as("a tenth of the half-second sweep: a tenth of the fds, in table order")
                .hasSize(100).startsWith(0, 1, 2).endsWith(99);
        sweep.run(SECOND / 4);
        assertThat(table.checked).as("half of the sweep").hasSize(500);
        assertThat(sweep.nanosUntilDue(SECOND / 4)).as("a blocking wait is cut when the sweep must end")
                .isEqualTo(SECOND / 4);
        sweep.run(SECOND / 2);
        assertThat(table.checked).as("the whole sweep, each fd once").hasSize(1000).doesNotHaveDuplicates();
        assertThat(sweep.nanosUntilDue(SECOND / 2)).as("the next sweep began").isEqualTo(SECOND / 2);
        sweep.run(SECOND / 2 + SECOND / 10);
        assertThat(table.checked).as("a fifth of the next sweep").hasSize(1200).endsWith(199);
    }

    @Test
    void aLateHubChecksEverythingAtOnceAndAnEmptyTableRestartsTheSweep() {
        FakeTable table = new FakeTable();
        ClosedFdSweep sweep = new ClosedFdSweep(table, SECOND, 0);
        sweep.run(5 * SECOND);
        assertThat(sweep.nanosUntilDue(5 * SECOND)).as("no registrations: the sweep starts afresh")
                .isEqualTo(SECOND / 2);
        table.fds.addAll(List.of(7, 8, 9));
        sweep.run(7 * SECOND);
        assertThat(table.checked).as("a poll long after the sweep's end checks all").containsExactly(7, 8, 9);
        assertThat(sweep.nanosUntilDue(Long.MAX_VALUE)).as("never negative").isZero();
    }

    @Test
    void anFdMovedBehindTheCursorIsOwedACheckAtTheNextPoll() {
        FakeTable table = FakeTable.of(10);
        ClosedFdSweep sweep = new ClosedFdSweep(table, SECOND, 0);
        sweep.run(SECOND / 4);
        assertThat(table.checked).containsExactly(0, 1, 2, 3, 4);
        table.remove(2, sweep);
        assertThat(table.fds.get(2)).as("the last fd moved into the freed index").isEqualTo(9);
        sweep.run(SECOND / 4 + 1);
        assertThat(table.checked).as("fd 9, moved behind the cursor before its check, is checked at once")
                .containsExactly(0, 1, 2, 3, 4, 9);
        table.remove(8, sweep);
        sweep.run(SECOND / 2);
        assertThat(table.checked).as("the rest of the sweep; fd 9 not twice, fd 8 gone")
                .containsExactly(0, 1, 2, 3, 4, 9, 5, 6, 7);
    }

    @Test
    void everyRegistrationIsCheckedWithinOneIntervalUnderChurn() {
        SplittableRandom random = new SplittableRandom(11);
        FakeTable table = new FakeTable();
        long interval = SECOND;
        ClosedFdSweep sweep = new ClosedFdSweep(table, interval, 0);
        Map<Integer, Long> since = new HashMap<>();
        int nextFd = 0;
        long now = 0;
        for (int step = 0; step < 40_000; step++) {
            long until = sweep.nanosUntilDue(now);
            now += Math.min(until, random.nextLong(interval / 50));
            int action = random.nextInt(10);
            if (action < 3 || table.count() < 5) {
                table.fds.add(nextFd);
                since.put(nextFd, now);
                nextFd++;
            } else if (action < 6) {
                int fd = table.fds.get(random.nextInt(table.count()));
                table.remove(fd, sweep);
                since.remove(fd);
            }
            table.checked.clear();
            sweep.run(now);
            for (int fd : table.checked) {
                since.put(fd, now);
            }
            for (Map.Entry<Integer, Long> e : since.entrySet()) {
                assertThat(now - e.getValue()).as("fd %d unchecked since %d ns, now %d ns", e.getKey(), e.getValue(), now)
                        .isLessThanOrEqualTo(interval);
            }
        }
    }
}
