package dev.greenhub.tck;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The rule table is well formed: the runner, the skip condition and the README rely on it. */
class RuleTableTest {

    @Test
    void everyRuleHasAnIdATitleACheckAndExactlyOneKind() {
        List<String> problems = new ArrayList<>();
        Set<String> ids = new HashSet<>();
        List<Method> methods = TckRule.ruleMethods();
        for (Method m : methods) {
            Rule rule = m.getAnnotation(Rule.class);
            boolean required = m.isAnnotationPresent(Required.class);
            Optional optional = m.getAnnotation(Optional.class);
            if (required == (optional != null)) {
                problems.add(m.getName() + ": must be exactly one of @Required and @Optional");
                continue;
            }
            if (!rule.id().matches("R\\d\\d") || rule.title().isBlank() || rule.title().endsWith("]")) {
                problems.add(m.getName() + ": id '" + rule.id() + "' / title '" + rule.title() + "'");
            }
            if (rule.check().isBlank() || rule.check().endsWith(".")) {
                problems.add(m.getName() + ": check must complete 'if this fails, check ...' with no full stop");
            }
            if (!ids.add(rule.id())) {
                problems.add(m.getName() + ": duplicate id " + rule.id());
            }
            if (!m.getName().toLowerCase().startsWith(rule.id().toLowerCase())) {
                problems.add(m.getName() + ": method name should start with " + rule.id().toLowerCase());
            }
            if (Modifier.isPrivate(m.getModifiers()) || Modifier.isStatic(m.getModifiers())
                    || Modifier.isPublic(m.getModifiers())) {
                problems.add(m.getName() + ": rules must be package-private instance methods");
            }
        }
        assertThat(problems).isEmpty();
        assertThat(methods.size()).isGreaterThanOrEqualTo(66);
        List<TckRule> rules = TckRule.all();
        assertThat(rules).hasSize(methods.size());
        for (int i = 0; i < rules.size(); i++) {
            assertThat(rules.get(i).id()).as("ids are consecutive").isEqualTo(String.format("R%02d", i + 1));
        }
        assertThat(rules.get(6).displayName()).isEqualTo(
                "R07 level-triggered: a still-ready fd is reported again by every poll, at once (median under 50 ms) [required]");
    }

    @Test
    void noSectionIsLongerThanAFewHundredLines() throws IOException {
        for (Class<?> c = HubTck.class; c != Object.class; c = c.getSuperclass()) {
            Path source = Path.of("src/main/java/dev/greenhub/tck/" + c.getSimpleName() + ".java");
            assertThat(Files.readAllLines(source)).as(source.toString()).hasSizeLessThanOrEqualTo(400);
        }
    }

    @Test
    void everyFeatureHasAtLeastOneRule() {
        Set<Feature> covered = new HashSet<>();
        TckRule.all().forEach(r -> {
            if (r.feature() != null) {
                covered.add(r.feature());
            }
        });
        assertThat(covered).containsExactlyInAnyOrder(Feature.values());
    }

    @Test
    void theReadmeTableListsEveryRuleWithItsTitleAndKind() throws IOException {
        List<String> table = Files.readAllLines(Path.of("README.md")).stream()
                .filter(line -> line.matches("\\| R\\d\\d .*")).toList();
        List<String> expected = new ArrayList<>();
        for (TckRule rule : TckRule.all()) {
            String kind = rule.required() ? "required" : "optional";
            String title = rule.title().replaceFirst(" \\[(required|optional: \\w+)]$", "").replace("|", "\\|");
            expected.add("| " + rule.id() + " | " + title + " | " + kind + " | "
                    + (rule.feature() == null ? "" : rule.feature().name()) + " |");
        }
        assertThat(table).as("rule rows of tck/README.md").containsExactlyElementsOf(expected);
    }

    @Test
    void theSchedulerRulesAreR55ToR66() {
        List<String> scheduler = TckRule.all().stream().filter(r -> r.title().startsWith("scheduler: "))
                .map(TckRule::id).toList();
        List<String> expected = new ArrayList<>();
        for (int i = 55; i <= 66; i++) {
            expected.add("R" + i);
        }
        assertThat(scheduler).as("rules titled 'scheduler: ...'").containsExactlyElementsOf(expected);
    }

    @Test
    void theOutcomeLinesHaveTheRunnerFormat() {
        TckRule required = TckRule.of("R07 level-triggered [required]", true, null);
        TckRule optional = TckRule.of("R22 hangup [optional: HANGUP]", false, Feature.HANGUP);
        assertThat(new TckReport.Outcome(required, TckReport.Status.PASSED, "", null).line())
                .isEqualTo("PASS R07 level-triggered [required]");
        assertThat(new TckReport.Outcome(required, TckReport.Status.FAILED, "boom", null).line())
                .isEqualTo("FAIL R07 level-triggered [required]: boom");
        assertThat(new TckReport.Outcome(optional, TckReport.Status.FAILED, "boom", null).line())
                .isEqualTo("FAIL R22 hangup [optional: HANGUP]: boom");
        assertThat(new TckReport.Outcome(optional, TckReport.Status.SKIPPED, "lacks it", null).line())
                .isEqualTo("SKIP R22 hangup [optional: HANGUP]: lacks it");
        TckReport report = new TckReport("x", "X", HubCapabilities.builder(5).build(), List.of(
                new TckReport.Outcome(optional, TckReport.Status.FAILED, "boom", null),
                new TckReport.Outcome(required, TckReport.Status.PASSED, "", null)));
        assertThat(report.lines()).containsExactly("hub: x (X)", "PASS R07 level-triggered [required]",
                "FAIL R22 hangup [optional: HANGUP]: boom",
                "1 passed, 1 failed, 0 skipped");
        assertThat(report.conforms()).as("a failing optional rule of a claimed feature breaks conformance").isFalse();
        assertThat(report.failures()).hasSize(1);
        assertThat(report.requiredFailures()).isEmpty();
    }
}
