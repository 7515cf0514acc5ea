package dev.greenhub.tck;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;

/**
 * The outcome of a {@link Tck#run} : one {@link Outcome} per rule, in id order.
 *
 * <p>Immutable.
 */
public final class TckReport {

    /** What happened to a rule. */
    public enum Status {
        /** The rule ran and held. */
        PASSED,
        /** The rule ran and was broken, or could not run (setup failed). */
        FAILED,
        /** The rule did not run: the hub lacks its optional feature (or an assumption failed). */
        SKIPPED
    }

    /**
     * One rule's outcome.
     *
     * @param rule the rule
     * @param status what happened
     * @param message the failure's message or the skip reason; empty when passed
     * @param failure what the rule threw when it failed, else null
     */
    public record Outcome(TckRule rule, Status status, String message, Throwable failure) {
        /** Checks the parts. */
        public Outcome {
            Objects.requireNonNull(rule, "rule");
            Objects.requireNonNull(status, "status");
            Objects.requireNonNull(message, "message");
        }

        /**
         * The line the command-line runner prints:
         * {@code PASS R07 ...}, {@code FAIL R12 ...: message}, {@code SKIP R20 ...: reason}.
         *
         * @return the line
         */
        public String line() {
            return switch (status) {
                case PASSED -> "PASS " + rule.displayName();
                case FAILED -> "FAIL " + rule.displayName() + ": " + message;
                case SKIPPED -> "SKIP " + rule.displayName() + ": " + message;
            };
        }
    }

    private final String hubName;
    private final String providerClass;
    private final HubCapabilities capabilities;
    private final List<Outcome> outcomes;

    TckReport(String hubName, String providerClass, HubCapabilities capabilities, List<Outcome> outcomes) {
        this.hubName = hubName;
        this.providerClass = providerClass;
        this.capabilities = capabilities;
        List<Outcome> sorted = new ArrayList<>(outcomes);
        sorted.sort(Comparator.comparing(o -> o.rule().id()));
        this.outcomes = List.copyOf(sorted);
    }

    /**
     * The tested provider's name.
     *
     * @return the name
     */
    public String hubName() {
        return hubName;
    }

    /**
     * The tested provider's class name.
     *
     * @return the class name
     */
    public String providerClass() {
        return providerClass;
    }

    /**
     * The capabilities the rules were run with.
     *
     * @return the capabilities
     */
    public HubCapabilities capabilities() {
        return capabilities;
    }

    /**
     * Every outcome, in rule-id order.
     *
     * @return the outcomes
     */
    public List<Outcome> outcomes() {
        return outcomes;
    }

    /**
     * The outcome of the rule {@code id}.
     *
     * @param id a rule id such as {@code "R07"}
     * @return the outcome
     * @throws IllegalArgumentException if the rule was not run
     */
    public Outcome outcome(String id) {
        for (Outcome o : outcomes) {
            if (o.rule().id().equals(id)) {
                return o;
            }
        }
        throw new IllegalArgumentException("rule " + id + " is not in this report");
    }

    /**
     * The ids of the rules with {@code status}, in order.
     *
     * @param status a status
     * @return the ids
     */
    public List<String> ids(Status status) {
        return outcomes.stream().filter(o -> o.status() == status).map(o -> o.rule().id()).toList();
    }

    /**
     * How many rules had {@code status}.
     *
     * @param status a status
     * @return the count
     */
    public int count(Status status) {
        return (int) outcomes.stream().filter(o -> o.status() == status).count();
    }

    /**
     * The failed rules that are required: the hub does not conform while there is any.
     *
     * @return the failed required rules' outcomes
     */
    public List<Outcome> requiredFailures() {
        return outcomes.stream().filter(o -> o.status() == Status.FAILED && o.rule().required()).toList();
    }

    /**
     * Every failed rule: a required one, or an optional one whose feature the hub claims (a rule
     * for a feature the hub declares lacking is skipped, never failed).
     *
     * @return the failed rules' outcomes
     */
    public List<Outcome> failures() {
        return outcomes.stream().filter(o -> o.status() == Status.FAILED).toList();
    }

    /**
     * Whether the hub conforms: no rule failed. An optional rule runs only for a feature the hub
     * claims (does not declare lacking), so its failure breaks conformance as a required rule's does;
     * JUnit and the command line agree on this.
     *
     * @return true if the hub conforms
     */
    public boolean conforms() {
        return failures().isEmpty();
    }

    /**
     * The first line the command-line runner prints.
     *
     * @return {@code "hub: NAME (provider class)"}
     */
    public String headerLine() {
        return "hub: " + hubName + " (" + providerClass + ")";
    }

    /**
     * The last line the command-line runner prints.
     *
     * @return {@code "N passed, N failed, N skipped"}
     */
    public String summaryLine() {
        return count(Status.PASSED) + " passed, " + count(Status.FAILED) + " failed, " + count(Status.SKIPPED)
                + " skipped";
    }

    /**
     * The whole report as the command-line runner prints it.
     *
     * @return the lines
     */
    public List<String> lines() {
        List<String> lines = new ArrayList<>();
        lines.add(headerLine());
        outcomes.forEach(o -> lines.add(o.line()));
        lines.add(summaryLine());
        return lines;
    }

    @Override
    public String toString() {
        return String.join("\n", lines());
    }
}
