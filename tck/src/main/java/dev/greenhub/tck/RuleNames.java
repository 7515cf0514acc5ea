package dev.greenhub.tck;

import java.lang.reflect.Method;
import java.util.List;
import org.junit.jupiter.api.DisplayNameGenerator;

/**
 * Names each rule's test {@code "Rnn title [required]"} or {@code "Rnn title [optional: FEATURE]"}
 * from its {@link Rule} and its kind, so that the kind is written once, by its annotation.
 */
final class RuleNames extends DisplayNameGenerator.Standard {

    /** Created by JUnit. */
    RuleNames() {
    }

    @Override
    public String generateDisplayNameForMethod(List<Class<?>> enclosingInstanceTypes, Class<?> testClass,
                                               Method testMethod) {
        if (testMethod.isAnnotationPresent(Rule.class)) {
            return TckRule.of(testMethod).displayName();
        }
        return super.generateDisplayNameForMethod(enclosingInstanceTypes, testClass, testMethod);
    }
}
