package dev.greenhub.example.servers;

import dev.greenhub.hub.Hubs;
import dev.greenhub.hub.ProviderStatus;
import java.util.stream.Stream;

/** The hubs the parameterised tests run on: every available one on the class path. */
final class EveryHub {
    private EveryHub() {
    }

    /** The @MethodSource of the parameterised tests. */
    static Stream<String> hubs() {
        return Hubs.providers().stream().filter(ProviderStatus::isAvailable).map(ProviderStatus::name);
    }
}
