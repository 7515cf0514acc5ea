package dev.greenhub.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** When a series of resident-memory samples counts as settled. */
class SettledRssTest {
    private static final long MIB = 1024 * 1024;

    private static SettledRss.Samples samples() {
        return new SettledRss.Samples(SettledRss.WINDOW_MILLIS, SettledRss.TOLERANCE_BYTES);
    }

    @Test
    void steadySamplesSettleOnlyOnceTheyCoverTheWindow() {
        SettledRss.Samples s = samples();
        assertThat(s.settled()).isFalse();
        long t = 0;
        for (; t < SettledRss.WINDOW_MILLIS; t += SettledRss.SAMPLE_MILLIS) {
            s.add(t, 600 * MIB + (t / 250 % 2) * 64 * 1024); // page-sized jitter, well within the tolerance
            assertThat(s.settled()).as("at %d ms", t).isFalse();
        }
        s.add(t, 600 * MIB);
        assertThat(s.settled()).isTrue();
        assertThat(s.last()).isEqualTo(600 * MIB);
    }

    @Test
    void theChunkPoolBeingFreedAndTrimmedRestartsTheWindow() {
        // as measured on greenhub-epoll right after the first GC.class_histogram: 619 MB, then the JIT's
        // 31 MB of pooled arena chunks freed by HotSpot's 5 s cleaner and trimmed: 587 MB from then on
        SettledRss.Samples s = samples();
        long drop = 4_750;
        long t = 0;
        for (; t < drop; t += SettledRss.SAMPLE_MILLIS) {
            s.add(t, 619 * MIB);
            assertThat(s.settled()).isFalse();
        }
        for (; t < drop + SettledRss.WINDOW_MILLIS; t += SettledRss.SAMPLE_MILLIS) {
            s.add(t, 587 * MIB);
            assertThat(s.settled()).as("at %d ms, the drop at %d ms still in the window", t, drop).isFalse();
        }
        s.add(t, 587 * MIB);
        assertThat(s.settled()).isTrue();
        assertThat(s.last()).isEqualTo(587 * MIB);
    }

    @Test
    void movementBeyondTheToleranceInsideTheWindowIsNotSettled() {
        SettledRss.Samples s = samples();
        s.add(0, 600 * MIB);
        s.add(3_000, 600 * MIB + SettledRss.TOLERANCE_BYTES + 4096);
        s.add(SettledRss.WINDOW_MILLIS, 600 * MIB);
        assertThat(s.settled()).isFalse();
        s.add(3_000 + SettledRss.WINDOW_MILLIS, 600 * MIB);
        assertThat(s.settled()).isFalse(); // the window starts at the high sample
        s.add(2 * SettledRss.WINDOW_MILLIS - 1, 600 * MIB);
        assertThat(s.settled()).isFalse(); // and still does: the next sample back is less than a window old
        s.add(2 * SettledRss.WINDOW_MILLIS, 600 * MIB);
        assertThat(s.settled()).isTrue();
    }

    @Test
    void samplesMustGoForwardAndTheWindowMustBePositive() {
        SettledRss.Samples s = samples();
        s.add(10, 1);
        assertThatThrownBy(() -> s.add(9, 1)).hasMessage("samples go forward in time: 9 ms after 10 ms");
        assertThatThrownBy(() -> new SettledRss.Samples(0, 1)).hasMessageContaining("the window must be positive");
        assertThatThrownBy(() -> samples().last()).hasMessage("no sample yet");
    }

    @Test
    void readsTheResidentMemoryOfALiveProcess() throws Exception {
        long rss = SettledRss.rss(ProcessHandle.current().pid());
        assertThat(rss).isCloseTo(Rss.current(), org.assertj.core.data.Offset.offset(64 * MIB)).isPositive();
        assertThatThrownBy(() -> SettledRss.rss(Long.MAX_VALUE)).isInstanceOf(java.io.IOException.class);
    }
}
