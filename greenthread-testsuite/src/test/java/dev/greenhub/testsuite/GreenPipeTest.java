package dev.greenhub.testsuite;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.greenhub.Green;
import dev.greenhub.GreenThread;
import dev.greenhub.IoClosedException;
import dev.greenhub.IoTimeoutException;
import dev.greenhub.Scheduler;
import dev.greenhub.net.GreenPipe;
import dev.greenhub.net.GreenProcess;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Green pipes and a child process's stdio on every hub; ported from eventlet's
 * tests/greenio_test.py TestGreenPipe (test_pipe, test_pipe_read, test_pip_read_until_end,
 * test_pipe_read_unbuffered, test_pipe_writes_large_messages). Not ported: test_seek_on_buffered_pipe
 * and test_truncate (a GreenPipe here is a pipe, not a file).
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class GreenPipeTest {
    static String java() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    // test_pipe: a writer sends one byte at a time with pauses; lines arrive whole, then the end
    @ParameterizedTest
    @MethodSource("dev.greenhub.testsuite.EveryHub#hubs")
    void linesWrittenByteByByteArriveWhole(String hub) throws Exception {
        try (Scheduler s = Scheduler.open(hub);
             GreenPipe.Ends pipe = GreenPipe.open()) {
            byte[] oneLine = "12345\n".getBytes(StandardCharsets.US_ASCII);
            GreenThread<Void> sender = Green.spawn(() -> {
                for (int i = 0; i < 5; i++) {
                    for (byte b : oneLine) {
                        Green.sleep(Duration.ofNanos(100_000));
                        pipe.writeEnd().writeAll(new byte[] {b});
                    }
                }
                pipe.writeEnd().close();
                return null;
            });
            // lines are read in a green thread: a BufferedReader holds a monitor while it waits, and
            // the main (platform) thread must not wait green holding one (see the closing note)
            GreenThread<List<String>> reader = Green.spawn(() -> {
                BufferedReader lines = new BufferedReader(new InputStreamReader(pipe.readEnd().getInputStream(),
                        StandardCharsets.US_ASCII));
                List<String> got = new ArrayList<>();
                String line;
                while ((line = lines.readLine()) != null) {
                    got.add(line);
                }
                return got;
            });
            assertThat(reader.get()).containsExactly("12345", "12345", "12345", "12345", "12345");
            sender.get();
        }
    }

    // test_pipe_read, test_pipe_read_unbuffered: a read waits green until data comes (no EAGAIN)
    @ParameterizedTest
    @MethodSource("dev.greenhub.testsuite.EveryHub#hubs")
    void aReadWaitsGreenForTheWriter(String hub) throws Exception {
        try (Scheduler s = Scheduler.open(hub);
             GreenPipe.Ends pipe = GreenPipe.open()) {
            List<String> order = new ArrayList<>();
            GreenThread<Void> writer = Green.spawn(() -> {
                order.add("writer runs while the reader waits");
                pipe.writeEnd().writeAll("line\n".getBytes(StandardCharsets.US_ASCII));
                pipe.writeEnd().writeAll("line\r\n".getBytes(StandardCharsets.US_ASCII));
                return null;
            });
            ByteBuffer b = ByteBuffer.allocate(11);
            pipe.readEnd().setTimeout(Duration.ofSeconds(20));
            while (b.hasRemaining()) {
                assertThat(pipe.readEnd().read(b)).isPositive();
            }
            assertThat(new String(b.array(), StandardCharsets.US_ASCII)).isEqualTo("line\nline\r\n");
            assertThat(order).containsExactly("writer runs while the reader waits");
            writer.get();
            pipe.readEnd().setTimeout(Duration.ofMillis(50));
            assertThatThrownBy(() -> pipe.readEnd().read(ByteBuffer.allocate(1)))
                    .isInstanceOf(IoTimeoutException.class).hasMessageContaining("read timed out after 50 ms");
            assertThatThrownBy(() -> pipe.readEnd().writeAll(new byte[1]))
                    .isInstanceOf(UnsupportedOperationException.class).hasMessageContaining("read end");
        }
    }

    // test_pip_read_until_end, test_pipe_writes_large_messages: more than the pipe holds (64 KiB)
    @ParameterizedTest
    @MethodSource("dev.greenhub.testsuite.EveryHub#hubs")
    void largeMessagesCrossThePipeWhole(String hub) throws Exception {
        try (Scheduler s = Scheduler.open(hub);
             GreenPipe.Ends pipe = GreenPipe.open()) {
            byte[] large = new byte[65 * 1024 * 16];
            for (int i = 0; i < large.length; i++) {
                large[i] = (byte) (i / 1024);
            }
            GreenThread<Void> writer = Green.spawn(() -> {
                pipe.writeEnd().writeAll(large);
                pipe.writeEnd().close();
                return null;
            });
            assertThat(pipe.readEnd().readAllBytes()).isEqualTo(large);
            writer.get();
        }
    }

    @ParameterizedTest
    @MethodSource("dev.greenhub.testsuite.EveryHub#hubs")
    void closeWakesABlockedReaderAndAClosedReadEndBreaksTheWriter(String hub) throws Exception {
        try (Scheduler s = Scheduler.open(hub);
             GreenPipe.Ends pipe = GreenPipe.open()) {
            GreenThread<Throwable> reader = Green.spawn(() -> {
                try {
                    pipe.readEnd().read(ByteBuffer.allocate(1));
                    return null;
                } catch (IoClosedException e) {
                    return e;
                }
            });
            Green.sleep();
            pipe.readEnd().close();
            assertThat(reader.get()).isInstanceOf(IoClosedException.class);
            assertThatThrownBy(() -> pipe.writeEnd().writeAll(new byte[10]))
                    .isInstanceOf(IOException.class).hasMessageContaining("Broken pipe");
        }
    }

    /** A child that echoes its stdin to stdout line by line, upper-cased, then counts the lines on stderr. */
    static ProcessBuilder echoChild() {
        return new ProcessBuilder("awk",
                "{print toupper($0); fflush()} END {print NR \" lines\" > \"/dev/stderr\"; exit 3}");
    }

    // a child's stdin, stdout and stderr as green pipes: the hub keeps running while it works
    @ParameterizedTest
    @MethodSource("dev.greenhub.testsuite.EveryHub#hubs")
    void aGreenThreadTalksToAChildProcessWithoutBlockingTheHub(String hub) throws Exception {
        try (Scheduler s = Scheduler.open(hub);
             GreenProcess child = GreenProcess.start(echoChild())) {
            // the feeder and the stderr reader are green threads of this hub: if a wait on a pipe
            // blocked the hub, the child would never get its input and the reads would time out
            child.stdout().setTimeout(Duration.ofSeconds(60));
            child.stderr().setTimeout(Duration.ofSeconds(60));
            GreenThread<String> errors = Green.spawn(() ->
                    new String(child.stderr().readAllBytes(), StandardCharsets.UTF_8));
            GreenThread<Void> feeder = Green.spawn(() -> {
                for (int i = 0; i < 100; i++) {
                    child.stdin().writeAll(("line " + i + "\n").getBytes(StandardCharsets.UTF_8));
                }
                child.stdin().close();
                return null;
            });
            GreenThread<List<String>> reader = Green.spawn(() -> {
                BufferedReader out = new BufferedReader(new InputStreamReader(child.stdout().getInputStream(),
                        StandardCharsets.UTF_8));
                List<String> got = new ArrayList<>();
                String line;
                while ((line = out.readLine()) != null) {
                    got.add(line);
                }
                return got;
            });
            List<String> expected = new ArrayList<>();
            for (int i = 0; i < 100; i++) {
                expected.add("LINE " + i);
            }
            assertThat(reader.get()).isEqualTo(expected);
            feeder.get();
            assertThat(errors.get()).isEqualTo("100 lines\n");
            assertThat(child.waitFor(Duration.ofSeconds(60))).isEqualTo(3);
        }
    }

    @ParameterizedTest
    @MethodSource("dev.greenhub.testsuite.EveryHub#hubs")
    void streamsRedirectedElsewhereHaveNoGreenPipe(String hub) throws Exception {
        try (Scheduler s = Scheduler.open(hub)) {
            ProcessBuilder b = new ProcessBuilder(java(), "-version").redirectErrorStream(true)
                    .redirectInput(ProcessBuilder.Redirect.INHERIT);
            try (GreenProcess child = GreenProcess.start(b)) {
                assertThatThrownBy(child::stdin).isInstanceOf(IllegalStateException.class)
                        .hasMessageContaining("stdin");
                assertThatThrownBy(child::stderr).isInstanceOf(IllegalStateException.class);
                String version = new String(child.stdout().readAllBytes(), StandardCharsets.UTF_8);
                assertThat(version).contains(String.valueOf(Runtime.version().feature()));
                assertThat(child.waitFor()).isZero();
            }
            assertThat(b.redirectOutput()).isEqualTo(ProcessBuilder.Redirect.PIPE);
            assertThat(b.redirectInput()).isEqualTo(ProcessBuilder.Redirect.INHERIT);
        }
    }
}
