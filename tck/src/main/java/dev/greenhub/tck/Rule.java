package dev.greenhub.tck;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.Test;

/**
 * One rule of the kit, on its test method: its id, its intent (the title) and what a hub author
 * should check when it fails. Its kind is written once, beside it: {@link Required} or
 * {@link Optional}. The display name {@code "Rnn title [required]"} is made from these by
 * {@link RuleNames}, and a failure's message ends with {@code "if this fails, check ..."} (see
 * {@link RuleFailureHint}).
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.METHOD)
@Test
@interface Rule {
    /**
     * The rule id, {@code "R"} and two or more digits; stable across versions of the kit.
     *
     * @return the id
     */
    String id();

    /**
     * What the rule checks, as one sentence: the intent of the rule.
     *
     * @return the title
     */
    String title();

    /**
     * What a hub author should look at when the rule fails, completing "if this fails, check ...".
     *
     * @return the hint
     */
    String check();
}
