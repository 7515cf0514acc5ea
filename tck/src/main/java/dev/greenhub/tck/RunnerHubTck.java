package dev.greenhub.tck;

import dev.greenhub.hub.HubProvider;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolutionException;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * The concrete kit {@link Tck} runs: its provider and capabilities come from the run that
 * launched it, found through a launcher configuration parameter.
 */
@ExtendWith(RunnerHubTck.TargetResolver.class)
final class RunnerHubTck extends HubTck {
    static final String TARGET_PARAMETER = "dev.greenhub.tck.target";
    static final Map<String, Target> TARGETS = new ConcurrentHashMap<>();

    private final Target target;

    RunnerHubTck(Target target) {
        this.target = target;
    }

    @Override
    protected HubProvider provider() {
        return target.provider();
    }

    @Override
    protected HubCapabilities capabilities() {
        return target.capabilities();
    }

    @Override
    boolean announces() {
        return false; // Tck prints the capabilities line and the warnings itself
    }

    /** What one run tests. */
    record Target(HubProvider provider, HubCapabilities capabilities) {
    }

    /** Gives the constructor its run's target. */
    static final class TargetResolver implements ParameterResolver {
        @Override
        public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
            return parameter.getParameter().getType() == Target.class;
        }

        @Override
        public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
            String key = context.getConfigurationParameter(TARGET_PARAMETER).orElseThrow(() ->
                    new ParameterResolutionException("no " + TARGET_PARAMETER + ": run " + RunnerHubTck.class.getName()
                            + " through dev.greenhub.tck.Tck"));
            Target target = TARGETS.get(key);
            if (target == null) {
                throw new ParameterResolutionException("no TCK run " + key + " is under way");
            }
            return target;
        }
    }
}
