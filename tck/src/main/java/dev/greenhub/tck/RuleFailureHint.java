package dev.greenhub.tck;

import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.TestExecutionExceptionHandler;
import org.opentest4j.TestAbortedException;

/**
 * Ends the message of a failing rule with its {@link Rule#check()}: {@code "... - if this fails,
 * check ..."}, in JUnit reports and in the command-line runner alike. A skipped rule (an aborted
 * test) is left as it is.
 */
final class RuleFailureHint implements TestExecutionExceptionHandler {

    /** Created by JUnit. */
    RuleFailureHint() {
    }

    @Override
    public void handleTestExecutionException(ExtensionContext context, Throwable thrown) throws Throwable {
        Rule rule = context.getTestMethod().map(m -> m.getAnnotation(Rule.class)).orElse(null);
        if (rule == null || thrown instanceof TestAbortedException) {
            throw thrown;
        }
        String message = thrown.getMessage() == null ? "" : thrown.getMessage().strip();
        if (!(thrown instanceof AssertionError)) {
            message = thrown.getClass().getSimpleName() + (message.isEmpty() ? "" : ": " + message);
        }
        AssertionError hinted = new AssertionError(message + "\n - if this fails, check " + rule.check(), thrown);
        hinted.setStackTrace(thrown.getStackTrace());
        throw hinted;
    }
}
