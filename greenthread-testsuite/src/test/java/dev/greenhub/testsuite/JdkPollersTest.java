package dev.greenhub.testsuite;

import static org.assertj.core.api.Assertions.assertThat;

import dev.greenhub.Green;
import dev.greenhub.GreenThread;
import dev.greenhub.Scheduler;
import java.lang.management.ManagementFactory;
import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The JDK's I/O pollers never land on a hub's carrier, even when a green thread makes the JVM's
 * very first blocking socket call (DESIGN.md, known traps). Runs in a fresh JVM per hub.
 */
class JdkPollersTest {

    @ParameterizedTest
    @MethodSource("dev.greenhub.testsuite.EveryHub#hubs")
    void firstSocketCallFromAGreenThreadLeavesThePollersOnTheDefaultScheduler(String hub) throws Exception {
        String java = ProcessHandle.current().info().command().orElseThrow();
        List<String> command = new ArrayList<>();
        command.add(java);
        for (String arg : ManagementFactory.getRuntimeMXBean().getInputArguments()) {
            if (arg.startsWith("--add-opens") || arg.startsWith("--enable-native-access")
                    || arg.startsWith("--sun-misc-unsafe")) {
                command.add(arg);
            }
        }
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), Probe.class.getName(), hub));
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.exitValue()).as(out).isZero();
        assertThat(out).contains("pollers checked:").doesNotContain("ON THE HUB");
    }

    /** The child JVM: a green thread does the first socket call, then the pollers are inspected. */
    public static final class Probe {
        public static void main(String[] args) throws Exception {
            try (Scheduler s = Scheduler.open(args[0]);
                 ServerSocket server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
                GreenThread<String> g = Green.spawn(() -> {
                    try (Socket c = new Socket(InetAddress.getLoopbackAddress(), server.getLocalPort())) {
                        c.setSoTimeout(20);
                        c.getInputStream().read();
                        return "read";
                    } catch (SocketTimeoutException expected) {
                        return "timed out";
                    }
                });
                System.out.println("green socket read: " + g.get());
                Class<?> poller = Class.forName("sun.nio.ch.Poller");
                List<Object> pollers = new ArrayList<>();
                for (String name : List.of("readPollers", "writePollers")) {
                    Method m = poller.getMethod(name);
                    pollers.addAll((List<?>) m.invoke(null));
                }
                Method master = poller.getMethod("masterPoller");
                Object m = master.invoke(null);
                if (m != null) {
                    pollers.add(m);
                }
                Field ownerField = poller.getDeclaredField("owner");
                ownerField.setAccessible(true);
                Field schedulerField = Class.forName("java.lang.VirtualThread").getDeclaredField("scheduler");
                schedulerField.setAccessible(true);
                int checked = 0;
                for (Object p : pollers) {
                    Thread owner = null;
                    long deadline = System.nanoTime() + 10_000_000_000L;
                    while ((owner = (Thread) ownerField.get(p)) == null && System.nanoTime() < deadline) {
                        Thread.sleep(5);
                    }
                    if (owner == null) {
                        System.out.println("poller without owner: " + p);
                        System.exit(2);
                    }
                    Object scheduler = owner.isVirtual() ? schedulerField.get(owner) : null;
                    if (scheduler instanceof Scheduler) {
                        System.out.println("ON THE HUB: " + owner);
                    }
                    checked++;
                }
                System.out.println("pollers checked: " + checked);
            }
        }
    }
}
