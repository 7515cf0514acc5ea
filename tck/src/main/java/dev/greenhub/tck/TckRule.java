package dev.greenhub.tck;

import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;

/**
 * One rule of the kit: its id ({@code "R07"}), its title (the rest of its display name, ending in
 * {@code [required]} or {@code [optional: FEATURE]}), and whether it is required.
 *
 * @param id the rule id, {@code "R"} and two or more digits
 * @param title what the rule checks, with its required/optional suffix
 * @param required true for a {@link Required} rule
 * @param feature the feature of an {@link Optional} rule, null for a required rule
 */
public record TckRule(String id, String title, boolean required, Feature feature) {

    /** Checks the parts. */
    public TckRule {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(title, "title");
        if (required == (feature != null)) {
            throw new IllegalArgumentException("rule " + id + " must be either required or optional with a feature");
        }
    }

    /**
     * The display name: id and title.
     *
     * @return {@code "R07 level-triggered: ... [required]"}
     */
    public String displayName() {
        return id + " " + title;
    }

    /**
     * Every rule of {@link HubTck}, in id order.
     *
     * @return the rules
     */
    public static List<TckRule> all() {
        List<TckRule> rules = new ArrayList<>();
        for (Method m : ruleMethods()) {
            rules.add(of(m));
        }
        rules.sort(Comparator.comparing(TckRule::id));
        return List.copyOf(rules);
    }

    /**
     * The methods of {@link HubTck} and its sections that carry a {@link Rule}, in no order.
     *
     * @return the rule methods
     */
    static List<Method> ruleMethods() {
        List<Method> methods = new ArrayList<>();
        for (Class<?> c = HubTck.class; c != null && c != Object.class; c = c.getSuperclass()) {
            for (Method m : c.getDeclaredMethods()) {
                if (m.isAnnotationPresent(Rule.class) && !Modifier.isStatic(m.getModifiers())) {
                    methods.add(m);
                }
            }
        }
        return methods;
    }

    /**
     * The rule a test method declares with {@link Rule} and {@link Required} or {@link Optional}.
     *
     * @param method a rule method of {@link HubTck}
     * @return the rule
     * @throws IllegalArgumentException if the method is not a well-formed rule
     */
    static TckRule of(Method method) {
        Rule rule = method.getAnnotation(Rule.class);
        if (rule == null) {
            throw new IllegalArgumentException(method + " has no @Rule");
        }
        boolean required = method.isAnnotationPresent(Required.class);
        Optional optional = method.getAnnotation(Optional.class);
        if (required == (optional != null)) {
            throw new IllegalArgumentException(method + " must be exactly one of @Required and @Optional");
        }
        String suffix = required ? " [required]" : " [optional: " + optional.value() + "]";
        return of(rule.id() + " " + rule.title() + suffix, required, required ? null : optional.value());
    }

    /**
     * What to check when the rule {@code id} fails.
     *
     * @param id a rule id
     * @return the hint, empty if there is no such rule
     */
    static String check(String id) {
        for (Method m : ruleMethods()) {
            Rule rule = m.getAnnotation(Rule.class);
            if (rule.id().equals(id)) {
                return rule.check();
            }
        }
        return "";
    }

    static TckRule of(String displayName, boolean required, Feature feature) {
        int space = displayName.indexOf(' ');
        if (space < 0 || !displayName.substring(0, space).matches("R\\d{2,}")) {
            throw new IllegalArgumentException("display name '" + displayName + "' does not start with a rule id");
        }
        return new TckRule(displayName.substring(0, space), displayName.substring(space + 1), required, feature);
    }
}
