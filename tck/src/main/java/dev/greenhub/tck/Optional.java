package dev.greenhub.tck;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks a TCK rule that checks an optional {@link Feature}. When the hub's
 * {@link HubCapabilities} say it lacks the feature, the rule is skipped with that reason. When it
 * runs and fails, it is reported as a failure, but the command-line runner's exit status does not
 * change.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.METHOD)
public @interface Optional {
    /**
     * The feature the rule checks.
     *
     * @return the feature
     */
    Feature value();
}
