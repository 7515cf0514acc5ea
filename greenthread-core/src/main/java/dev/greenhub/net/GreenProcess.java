package dev.greenhub.net;

import dev.greenhub.Event;
import dev.greenhub.Scheduler;
import java.io.Closeable;
import java.io.File;
import java.io.IOException;
import java.nio.channels.Pipe;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.TimeoutException;

/**
 * A child process whose stdin, stdout and stderr are {@link GreenPipe}s, so green threads write
 * its input and read its output without blocking the hub (eventlet's {@code green.subprocess}
 * with {@code stdin/stdout/stderr=PIPE}).
 *
 * <p>{@link #start(ProcessBuilder)} starts the builder's command; each of the three streams that
 * the builder leaves as {@link ProcessBuilder.Redirect#PIPE} (the default) becomes a green pipe
 * owned by the caller's scheduler; a stream redirected elsewhere (or stderr merged into stdout
 * with {@link ProcessBuilder#redirectErrorStream(boolean)}) has none. The JDK's own
 * {@link Process#getInputStream()} and friends are then empty: read the green pipes instead.
 *
 * <p>How: the parent makes a JDK {@link Pipe} per stream and hands the child its end by name
 * ({@code /dev/fd/N}, which Linux and macOS open as that pipe), so the child inherits a plain
 * blocking pipe and the parent keeps a non-blocking end it can wait on. This needs a system with
 * {@code /dev/fd} (Linux, macOS); elsewhere {@code start} throws
 * {@link UnsupportedOperationException}.
 *
 * <h2>Threading</h2>
 * The pipes follow {@link GreenPipe}'s rules; {@link #waitFor} parks only the calling green thread
 * (the JDK's process reaper completes it from its own thread). {@link #close()} closes the three
 * pipes, not the process.
 *
 * <h2>Differences from eventlet</h2>
 * No {@code communicate()}: spawn a green thread per stream (the deadlock it avoids cannot
 * happen when each pipe has its own green reader or writer). Killing is the JDK's
 * {@link Process#destroy()} on {@link #process()}.
 */
public final class GreenProcess implements Closeable {
    private static final String FD_DIR = "/dev/fd/";

    private final Process process;
    private final GreenPipe stdin;
    private final GreenPipe stdout;
    private final GreenPipe stderr;
    private final Event<Integer> exit = new Event<>();

    private GreenProcess(Process process, GreenPipe stdin, GreenPipe stdout, GreenPipe stderr) {
        this.process = process;
        this.stdin = stdin;
        this.stdout = stdout;
        this.stderr = stderr;
        process.onExit().whenComplete((p, failure) -> exit.send(p.exitValue()));
    }

    /**
     * Starts {@code builder}'s command with green pipes for the streams it leaves as
     * {@link ProcessBuilder.Redirect#PIPE}. The builder's redirects are as they were when this
     * returns.
     *
     * @param builder the command, directory, environment and redirects
     * @return the running process with its pipes
     * @throws UnsupportedOperationException if the system has no {@code /dev/fd} to hand a pipe to
     *     a child
     * @throws IOException if the process cannot start (for example, no such program)
     */
    public static GreenProcess start(ProcessBuilder builder) throws IOException {
        Objects.requireNonNull(builder, "builder");
        if (!new File(FD_DIR).isDirectory()) {
            throw new UnsupportedOperationException("GreenProcess hands pipes to the child as " + FD_DIR
                    + "N, which this system (" + System.getProperty("os.name") + ") does not have");
        }
        Scheduler home = Scheduler.current();
        ProcessBuilder.Redirect in = builder.redirectInput();
        ProcessBuilder.Redirect out = builder.redirectOutput();
        ProcessBuilder.Redirect err = builder.redirectError();
        boolean pipeIn = in == ProcessBuilder.Redirect.PIPE;
        boolean pipeOut = out == ProcessBuilder.Redirect.PIPE;
        boolean pipeErr = err == ProcessBuilder.Redirect.PIPE && !builder.redirectErrorStream();
        List<java.nio.channels.Channel> open = new ArrayList<>();
        boolean started = false;
        try {
            Pipe inPipe = pipeIn ? pipe(open) : null;
            Pipe outPipe = pipeOut ? pipe(open) : null;
            Pipe errPipe = pipeErr ? pipe(open) : null;
            if (pipeIn) {
                builder.redirectInput(new File(FD_DIR + ChannelFds.fdOf(inPipe.source())));
            }
            if (pipeOut) {
                builder.redirectOutput(new File(FD_DIR + ChannelFds.fdOf(outPipe.sink())));
            }
            if (pipeErr) {
                builder.redirectError(new File(FD_DIR + ChannelFds.fdOf(errPipe.sink())));
            }
            Process process = builder.start();
            // the child has its ends now; the parent keeps only its own
            if (pipeIn) {
                inPipe.source().close();
            }
            if (pipeOut) {
                outPipe.sink().close();
            }
            if (pipeErr) {
                errPipe.sink().close();
            }
            String name = "pid " + process.pid();
            GreenProcess p = new GreenProcess(process,
                    pipeIn ? new GreenPipe(inPipe.sink(), name + " stdin", home) : null,
                    pipeOut ? new GreenPipe(outPipe.source(), name + " stdout", home) : null,
                    pipeErr ? new GreenPipe(errPipe.source(), name + " stderr", home) : null);
            started = true;
            return p;
        } finally {
            builder.redirectInput(in);
            builder.redirectOutput(out);
            builder.redirectError(err);
            if (!started) {
                for (java.nio.channels.Channel c : open) {
                    try {
                        c.close();
                    } catch (IOException ignored) {
                        // already failing
                    }
                }
            }
        }
    }

    private static Pipe pipe(List<java.nio.channels.Channel> open) throws IOException {
        Pipe p = Pipe.open();
        open.add(p.source());
        open.add(p.sink());
        return p;
    }

    /**
     * The write end of the child's stdin; close it to send the child end-of-file.
     *
     * @return the pipe
     * @throws IllegalStateException if the builder redirected stdin elsewhere
     */
    public GreenPipe stdin() {
        return present(stdin, "stdin");
    }

    /**
     * The read end of the child's stdout.
     *
     * @return the pipe
     * @throws IllegalStateException if the builder redirected stdout elsewhere
     */
    public GreenPipe stdout() {
        return present(stdout, "stdout");
    }

    /**
     * The read end of the child's stderr.
     *
     * @return the pipe
     * @throws IllegalStateException if the builder redirected stderr elsewhere or merged it into
     *     stdout
     */
    public GreenPipe stderr() {
        return present(stderr, "stderr");
    }

    private GreenPipe present(GreenPipe pipe, String name) {
        if (pipe == null) {
            throw new IllegalStateException("pid " + process.pid() + " has no green " + name
                    + ": its ProcessBuilder redirected it elsewhere");
        }
        return pipe;
    }

    /**
     * The JDK process (for its pid, {@link Process#destroy()}, and so on).
     *
     * @return the process
     */
    public Process process() {
        return process;
    }

    /**
     * Waits green until the process exits.
     *
     * @return its exit value
     */
    public int waitFor() {
        return exit.await();
    }

    /**
     * Waits green at most {@code timeout} for the process to exit.
     *
     * @param timeout how long at most
     * @return its exit value
     * @throws TimeoutException if it is still running then
     */
    public int waitFor(Duration timeout) throws TimeoutException {
        return exit.await(timeout);
    }

    /**
     * Closes the parent's pipes (the child sees end-of-file on stdin and "Broken pipe" when it
     * writes to a closed stdout or stderr). Does not stop the process.
     *
     * @throws IOException if closing a pipe fails (the others are closed anyway)
     */
    @Override
    public void close() throws IOException {
        IOException failure = null;
        for (GreenPipe p : new GreenPipe[] {stdin, stdout, stderr}) {
            if (p == null) {
                continue;
            }
            try {
                p.close();
            } catch (IOException e) {
                if (failure == null) {
                    failure = e;
                } else {
                    failure.addSuppressed(e);
                }
            }
        }
        if (failure != null) {
            throw failure;
        }
    }

    @Override
    public String toString() {
        return "GreenProcess[pid " + process.pid() + (process.isAlive() ? ", running]" : ", exited]");
    }
}
