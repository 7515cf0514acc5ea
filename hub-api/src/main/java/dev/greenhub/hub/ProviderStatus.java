package dev.greenhub.hub;

import java.util.Optional;

/**
 * One row of the provider table {@link Hubs#providers()} returns: a provider found on the class
 * path, or a service entry that failed to load.
 *
 * @param name the provider's name, or the failing entry's description when it did not load
 * @param priority the provider's priority ({@link Integer#MIN_VALUE} when it did not load)
 * @param providerClass the provider's class name, or {@code "?"} when unknown
 * @param availability whether it can open hubs here, and why not
 * @param provider the provider, absent when it failed to load
 */
public record ProviderStatus(String name, int priority, String providerClass,
                             Availability availability, Optional<HubProvider> provider) {

    /**
     * Whether this provider loaded and is available.
     *
     * @return true if {@link #provider()} can open hubs
     */
    public boolean isAvailable() {
        return provider.isPresent() && availability.available();
    }

    @Override
    public String toString() {
        return name + " (priority " + (priority == Integer.MIN_VALUE ? "?" : priority) + ", "
                + providerClass + "): " + (availability.available() ? "available" : "unavailable: "
                + availability.reason());
    }
}
