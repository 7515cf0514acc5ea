package dev.greenhub;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The timer heap on its own: no scheduler, no hub. */
class TimerHeapTest {

    private static Timer timer(long deadline, long sequence) {
        return new Timer(null, deadline, sequence, () -> { });
    }

    private static List<Timer> drain(TimerHeap heap) {
        List<Timer> out = new ArrayList<>();
        Timer t;
        while ((t = heap.poll()) != null) {
            out.add(t);
        }
        return out;
    }

    private static final Comparator<Timer> ORDER = Comparator.<Timer>comparingLong(t -> t.deadline)
            .thenComparingLong(t -> t.sequence);

    @Test
    void pollsInDeadlineOrderThenSequenceOrder() {
        Random random = new Random(42);
        TimerHeap heap = new TimerHeap();
        List<Timer> all = new ArrayList<>();
        for (int i = 0; i < 5000; i++) {
            Timer t = timer(random.nextInt(200), i);
            all.add(t);
            heap.add(t);
        }
        all.sort(ORDER);
        assertThat(heap.size()).isEqualTo(5000);
        assertThat(drain(heap)).containsExactlyElementsOf(all);
        assertThat(heap.isEmpty()).isTrue();
        assertThat(heap.peek()).isNull();
    }

    @Test
    void ordersAcrossTheNanoTimeWrap() {
        TimerHeap heap = new TimerHeap();
        Timer beforeWrap = timer(Long.MAX_VALUE - 10, 0);
        Timer afterWrap = timer(Long.MIN_VALUE + 10, 1);
        heap.add(afterWrap);
        heap.add(beforeWrap);
        assertThat(drain(heap)).containsExactly(beforeWrap, afterWrap);
    }

    @Test
    void removeCancelledKeepsTheRestInOrder() {
        Random random = new Random(7);
        TimerHeap heap = new TimerHeap();
        List<Timer> kept = new ArrayList<>();
        for (int i = 0; i < 3000; i++) {
            Timer t = timer(random.nextInt(1000), i);
            heap.add(t);
            if (i % 3 == 0) {
                t.state = Timer.CANCELLED;
            } else {
                kept.add(t);
            }
        }
        assertThat(heap.removeCancelled()).isEqualTo(1000);
        assertThat(heap.size()).isEqualTo(2000);
        kept.sort(ORDER);
        assertThat(drain(heap)).containsExactlyElementsOf(kept);
    }

    @Test
    void interleavedAddAndPollStayOrdered() {
        Random random = new Random(3);
        TimerHeap heap = new TimerHeap();
        long sequence = 0;
        long lastDeadline = Long.MIN_VALUE;
        for (int round = 0; round < 2000; round++) {
            heap.add(timer(lastDeadline == Long.MIN_VALUE ? 0 : lastDeadline + random.nextInt(50), sequence++));
            heap.add(timer(lastDeadline == Long.MIN_VALUE ? 0 : lastDeadline + random.nextInt(50), sequence++));
            Timer t = heap.poll();
            assertThat(t.deadline).isGreaterThanOrEqualTo(lastDeadline == Long.MIN_VALUE ? 0 : lastDeadline);
            lastDeadline = t.deadline;
        }
    }
}
