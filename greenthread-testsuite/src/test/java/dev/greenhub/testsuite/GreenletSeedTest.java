package dev.greenhub.testsuite;

import static org.assertj.core.api.Assertions.assertThat;

import dev.greenhub.Greenlet;
import dev.greenhub.Scheduler;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** The seed document's greenlet example (issue 3, item 3), on every hub. */
class GreenletSeedTest {

    @ParameterizedTest
    @MethodSource("dev.greenhub.testsuite.EveryHub#hubs")
    void seedExamplePrintsExactlyWhatTheSeedSays(String hub) {
        List<String> printed = new ArrayList<>();
        Greenlet[] gr = new Greenlet[2];
        try (Scheduler scheduler = Scheduler.open(hub)) {
            Greenlet current = Greenlet.current();
            gr[0] = new Greenlet(n -> {
                printed.add("test1: " + n);
                gr[1].switchTo(32);
                printed.add("test1: over");
                return null;
            }, current);
            gr[1] = new Greenlet(n -> {
                printed.add("test2: " + n);
                gr[0].switchTo(23);
                printed.add("test2: over");
                return null;
            }, current);
            Object returned = gr[0].switchTo(2);

            assertThat(printed).containsExactly("test1: 2", "test2: 32", "test1: over");
            assertThat(returned).isNull();
            assertThat(Thread.currentThread()).isSameAs(scheduler.carrier());
            assertThat(Greenlet.current()).isSameAs(current);
            assertThat(gr[0].isDead()).isTrue();
            assertThat(gr[1].isDead()).isFalse();
        }
        assertThat(printed).containsExactly("test1: 2", "test2: 32", "test1: over");
        assertThat(gr[1].isDead()).isTrue();
    }
}
