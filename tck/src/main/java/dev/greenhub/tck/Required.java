package dev.greenhub.tck;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks a TCK rule every hub must pass. A failing required rule makes the command-line runner
 * exit with a non-zero status (as does a failing {@link Optional} rule whose feature the hub claims).
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.METHOD)
public @interface Required {
}
