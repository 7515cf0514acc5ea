package dev.greenhub.tck;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks a TCK rule that checks an optional {@link Feature}. When the hub's
 * {@link HubCapabilities} say it lacks the feature, the rule is skipped with that reason. Otherwise
 * the hub claims the feature: the rule runs, and its failure fails the run (JUnit and the
 * command-line runner alike) as a required rule's does.
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
