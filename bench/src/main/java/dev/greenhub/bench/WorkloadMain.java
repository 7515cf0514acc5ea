package dev.greenhub.bench;

import java.util.Arrays;

/**
 * The child process of one core workload: {@code WorkloadMain HUB WORKLOAD key=value...} (the
 * sizes as {@link Sizes#toArgs()} writes them); HUB {@value #JDK} runs the JDK reference
 * ({@link JdkWorkloads}) instead of greenhub. Prints one {@code RESULT} line; exit status 0, or
 * 1 with the error on standard error. Each workload runs in a JVM of its own so that its memory
 * figures are its own.
 */
public final class WorkloadMain {
    /** The HUB argument that runs the JDK virtual-thread reference. */
    public static final String JDK = "jdk";

    private WorkloadMain() {
    }

    /**
     * Runs one workload.
     *
     * @param args hub, workload, sizes
     */
    public static void main(String[] args) {
        if (args.length < 2) {
            System.err.println("usage: WorkloadMain HUB WORKLOAD key=value...");
            System.exit(2);
        }
        try {
            Sizes sizes = Sizes.fromArgs(Arrays.asList(args).subList(2, args.length));
            Workload workload = Workload.parse(args[1]);
            Result result = args[0].equals(JDK) ? JdkWorkloads.run(workload, sizes)
                    : CoreWorkloads.run(workload, args[0], sizes);
            System.out.println(result.line());
            System.out.flush();
            System.exit(0);
        } catch (RuntimeException | Error e) {
            System.err.println("ERROR " + args[1] + " on " + args[0] + ": " + e);
            e.printStackTrace(System.err);
            System.exit(1);
        }
    }
}
