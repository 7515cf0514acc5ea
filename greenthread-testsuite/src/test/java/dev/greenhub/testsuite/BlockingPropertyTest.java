package dev.greenhub.testsuite;

import static org.assertj.core.api.Assertions.assertThat;

import dev.greenhub.Diagnostics;
import dev.greenhub.Green;
import dev.greenhub.Scheduler;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Blocking detection switched on by system properties, in a child JVM (the properties are read once). */
class BlockingPropertyTest {

    @Test
    void thePropertiesSwitchBlockingDetectionOnWithTheirThreshold() throws Exception {
        String java = ProcessHandle.current().info().command().orElseThrow();
        List<String> command = new ArrayList<>();
        command.add(java);
        for (String arg : ManagementFactory.getRuntimeMXBean().getInputArguments()) {
            if (arg.startsWith("--add-opens") || arg.startsWith("--enable-native-access")
                    || arg.startsWith("--sun-misc-unsafe")) {
                command.add(arg);
            }
        }
        command.addAll(List.of("-D" + Diagnostics.BLOCKING_PROPERTY + "=true",
                "-D" + Diagnostics.THRESHOLD_PROPERTY + "=30",
                "-cp", System.getProperty("java.class.path"), Probe.class.getName()));
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.exitValue()).as(out).isZero();
        assertThat(out).contains("enabled true threshold PT0.03S")
                .containsPattern("blocking detected: green thread #\\d+ green-")
                .contains("BlockingPropertyTest$Probe.hog");
    }

    /** Run in the child JVM. */
    public static final class Probe {
        private static final java.util.concurrent.CountDownLatch REPORTED = new java.util.concurrent.CountDownLatch(1);

        /**
         * Holds the hub until the watchdog has reported it (at most 20 s): a fixed-length hog
         * would race the watchdog thread, which a loaded machine may not schedule in time.
         */
        static void hog() {
            long until = System.nanoTime() + 20_000_000_000L;
            while (REPORTED.getCount() > 0 && System.nanoTime() < until) {
                Thread.onSpinWait();
            }
        }

        public static void main(String[] args) {
            System.out.println("enabled " + Diagnostics.isBlockingDetectionEnabled()
                    + " threshold " + Diagnostics.blockingThreshold());
            Diagnostics.setBlockingReporter(report -> {
                System.out.println(report.format());
                REPORTED.countDown();
            });
            try (Scheduler s = Scheduler.current()) {
                Green.spawn(() -> {
                    hog();
                    return null;
                }).get();
                Green.sleep(Duration.ofMillis(50));
            }
            System.exit(0);
        }
    }
}
