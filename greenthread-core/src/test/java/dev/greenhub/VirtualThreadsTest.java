package dev.greenhub;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/** The virtual-thread hook, probed without a hub. */
class VirtualThreadsTest {

    @Test
    void theHookWorksWithTheFlagAndRunsThreadsOnTheGivenExecutor() throws Exception {
        VirtualThreads.check();
        AtomicReference<String> ranOn = new AtomicReference<>();
        List<Runnable> submitted = new java.util.ArrayList<>();
        Thread t = VirtualThreads.factory(submitted::add, "green-").newThread(() -> ranOn.set(Thread.currentThread().getName()));
        assertThat(t.isVirtual()).isTrue();
        t.start();
        assertThat(submitted).hasSize(1);
        submitted.remove(0).run(); // this test thread is the carrier
        assertThat(t.join(java.time.Duration.ofSeconds(10))).isTrue();
        assertThat(ranOn.get()).startsWith("green-");
    }

    @Test
    void theRequiredFlagIsNamedExactly() {
        assertThat(VirtualThreads.requiredFlag()).isEqualTo("--add-opens java.base/java.lang=ALL-UNNAMED");
    }

    /** A child JVM without the flag: the first use names the flag. */
    @Test
    void withoutTheFlagTheFirstUseNamesIt() throws Exception {
        String java = ProcessHandle.current().info().command().orElseThrow();
        String classPath = System.getProperty("java.class.path");
        Process p = new ProcessBuilder(java, "-cp", classPath, MissingFlagProbe.class.getName())
                .redirectErrorStream(true).start();
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(out).contains("UnsupportedOperationException")
                .contains("--add-opens java.base/java.lang=ALL-UNNAMED");
        assertThat(p.exitValue()).as(out).isEqualTo(3);
        assertThat(new File(java)).exists();
    }

    /** Run in the child JVM. */
    public static final class MissingFlagProbe {
        public static void main(String[] args) {
            try {
                Scheduler.current();
                System.out.println("no exception");
                System.exit(1);
            } catch (UnsupportedOperationException e) {
                System.out.println(e);
                System.exit(3);
            }
        }
    }
}
