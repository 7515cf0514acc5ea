package dev.greenhub.bench;

/**
 * Where a part of the suite ({@link EchoBench}, {@link HttpBench}) reports: the suite prints each
 * call as it comes and gathers results, failures, skips and notes for the end of its output.
 * Called from the suite's thread only.
 */
interface Reporter {
    /** A line of progress: a measured step, or {@code server: ...} for what a server printed. */
    void progress(String what);

    /** A result, printed at once and kept for the table and the targets. */
    void record(Result result);

    /** A problem that kept a result from being had. */
    void fail(String what);

    /** A run left out, and why. */
    void skip(String what);

    /** A line about how the run was made, printed at the end as {@code NOTE ...}. */
    void note(String line);
}
