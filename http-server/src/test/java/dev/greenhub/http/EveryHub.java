package dev.greenhub.http;

import dev.greenhub.hub.Hubs;
import dev.greenhub.hub.ProviderStatus;
import java.util.stream.Stream;

/** The hub providers the parameterised tests run on: every available one on the class path. */
final class EveryHub {
    private EveryHub() {
    }

    static Stream<String> hubs() {
        return Hubs.providers().stream().filter(ProviderStatus::isAvailable).map(ProviderStatus::name);
    }
}
