package dev.greenhub.tck;

import java.lang.reflect.Method;
import org.junit.jupiter.api.extension.ConditionEvaluationResult;
import org.junit.jupiter.api.extension.ExecutionCondition;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Skips a rule marked {@link Optional} when the hub's {@link HubCapabilities} declare that it
 * lacks the rule's feature, with the reason as the skip reason.
 */
final class FeatureCondition implements ExecutionCondition {

    @Override
    public ConditionEvaluationResult evaluateExecutionCondition(ExtensionContext context) {
        java.util.Optional<Method> method = context.getTestMethod();
        if (method.isEmpty()) {
            return ConditionEvaluationResult.enabled("not a rule");
        }
        Optional optional = method.get().getAnnotation(Optional.class);
        if (optional == null) {
            return ConditionEvaluationResult.enabled("required rule");
        }
        Object instance = context.getTestInstance().orElse(null);
        if (!(instance instanceof RuleSupport tck)) {
            return ConditionEvaluationResult.enabled("no hub to ask");
        }
        HubCapabilities capabilities = tck.resolvedCapabilities();
        Feature feature = optional.value();
        if (capabilities.lacks(feature)) {
            return ConditionEvaluationResult.disabled("the " + tck.provider().name() + " hub declares it lacks "
                    + feature + " (" + feature.description() + ")");
        }
        return ConditionEvaluationResult.enabled("the hub declares " + feature);
    }
}
