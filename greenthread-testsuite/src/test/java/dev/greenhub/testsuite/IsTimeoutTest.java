package dev.greenhub.testsuite;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.greenhub.Event;
import dev.greenhub.Scheduler;
import dev.greenhub.Timeout;
import dev.greenhub.net.GreenPipe;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.time.Duration;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@link Timeout#isTimeout}, eventlet's {@code timeout.is_timeout}: true for a fired Timeout and
 * for a green I/O timeout, false for a timeout's own exception and for anything else.
 */
class IsTimeoutTest {
    @ParameterizedTest
    @MethodSource("dev.greenhub.testsuite.EveryHub#hubs")
    void tellsGreenhubTimeoutsFromOtherExceptions(String hub) throws Exception {
        try (Scheduler s = Scheduler.open(hub);
             GreenPipe.Ends pipe = GreenPipe.open()) {
            Event<Void> never = new Event<>();
            Throwable fired;
            try (Timeout t = Timeout.start(Duration.ofMillis(10))) {
                fired = catchThrowable(never::await);
                assertThat(t.isCause(fired)).isTrue();
            }
            assertThat(Timeout.isTimeout(fired)).isTrue();

            IOException own = new IOException("mine");
            Throwable ownRaised;
            try (Timeout t = Timeout.start(Duration.ofMillis(10), own)) {
                ownRaised = catchThrowable(never::await);
            }
            assertThat(ownRaised).isSameAs(own);
            assertThat(Timeout.isTimeout(ownRaised)).isFalse();

            pipe.readEnd().setTimeout(Duration.ofMillis(10));
            Throwable io = catchThrowable(() -> pipe.readEnd().read(ByteBuffer.allocate(1)));
            assertThat(Timeout.isTimeout(io)).as(String.valueOf(io)).isTrue();

            Throwable jdk = catchThrowable(() -> never.await(Duration.ofMillis(10)));
            assertThat(jdk).isInstanceOf(java.util.concurrent.TimeoutException.class);
            assertThat(Timeout.isTimeout(jdk)).isFalse();
            assertThat(Timeout.isTimeout(new RuntimeException("timed out"))).isFalse();
            assertThat(Timeout.isTimeout(null)).isFalse();
        }
    }
}
