package dev.greenhub.tck.selftest;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;

/**
 * A JVM that runs {@link MutationTest}'s rows for {@link RowJvms}, one at a time: arguments are the
 * directory of claims and verdicts, then row indexes in the order to run them. A row is this JVM's
 * if it creates the row's claim file first; its verdict file is then {@value #PASSED} or the row's
 * assertion error with its stack trace, moved into place whole.
 */
final class RowJvmMain {
    /** The verdict of a row that passed. */
    static final String PASSED = "OK";

    private RowJvmMain() {
    }

    /**
     * Runs the rows no other JVM claimed.
     *
     * @param args the directory, then row indexes
     * @throws IOException if a claim or verdict cannot be written
     */
    public static void main(String[] args) throws IOException {
        Path dir = Path.of(args[0]);
        List<MutationTest.Mutant> table = MutationTest.table();
        for (int i = 1; i < args.length; i++) {
            int row = Integer.parseInt(args[i]);
            try {
                Files.createFile(dir.resolve("claim-" + row));
            } catch (FileAlreadyExistsException e) {
                continue; // another JVM runs it
            }
            String verdict;
            try {
                MutationTest.check(table.get(row));
                verdict = PASSED;
            } catch (Throwable t) {
                StringWriter trace = new StringWriter();
                t.printStackTrace(new PrintWriter(trace));
                verdict = trace.toString();
            }
            Path partial = dir.resolve("verdict-" + row + ".partial");
            Files.writeString(partial, verdict);
            Files.move(partial, dir.resolve("verdict-" + row), StandardCopyOption.ATOMIC_MOVE);
        }
        System.exit(0); // whatever threads a broken hub left behind
    }
}
