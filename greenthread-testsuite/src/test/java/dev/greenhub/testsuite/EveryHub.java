package dev.greenhub.testsuite;

import dev.greenhub.hub.Hubs;
import dev.greenhub.hub.ProviderStatus;
import java.util.List;
import java.util.stream.Stream;

/** The hub providers the parameterised tests run on: every available one on the class path. */
final class EveryHub {
    private EveryHub() {
    }

    static List<String> names() {
        return Hubs.providers().stream().filter(ProviderStatus::isAvailable).map(ProviderStatus::name).toList();
    }

    /** The @MethodSource of the parameterised tests. */
    static Stream<String> hubs() {
        return names().stream();
    }
}
