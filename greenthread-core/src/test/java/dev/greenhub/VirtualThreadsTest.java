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

    /**
     * The flag names the module the core is in: dev.greenhub.core on the module path (how these
     * tests run), ALL-UNNAMED on the class path (greenthread-testsuite's JvmFlagsTest).
     */
    @Test
    void theRequiredFlagIsNamedExactly() {
        assertThat(VirtualThreads.requiredFlag()).isEqualTo(ChildJvm.addOpens("java.lang"));
        assertThat(VirtualThreads.class.getModule().isNamed()).as("the core runs as a named module here").isTrue();
        assertThat(VirtualThreads.requiredFlag()).isEqualTo("--add-opens java.base/java.lang=dev.greenhub.core");
    }

    /** A child JVM without the flag: the first use names the flag. */
    @Test
    void withoutTheFlagTheFirstUseNamesIt() throws Exception {
        List<String> command = ChildJvm.command(MissingFlagProbe.class);
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(out).contains("UnsupportedOperationException").contains(ChildJvm.addOpens("java.lang"));
        assertThat(p.exitValue()).as(out).isEqualTo(3);
        assertThat(new File(command.get(0))).exists();
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
