package dev.greenhub.hub;

import java.io.IOException;

/**
 * A {@link java.util.ServiceLoader} service that opens one kind of {@link Hub}. A hub module names
 * its provider in {@code META-INF/services/dev.greenhub.hub.HubProvider} (and with
 * {@code provides} in its module descriptor, if it has one).
 *
 * <p>Implementations need a public no-argument constructor that does no native work: loading a
 * provider must be cheap and must not fail; {@link #availability()} is where the probing happens.
 */
public interface HubProvider {

    /**
     * The name users select it by ({@code -Dgreenhub.hub=NAME}): {@code "epoll"}, {@code "poll"},
     * {@code "select"}, or a name of the provider's own. Lower case, no spaces.
     *
     * @return the name
     */
    String name();

    /**
     * The rank used when nothing is named: the available provider with the highest priority wins.
     * The in-repo hubs use epoll 300, poll 200, select 100; a custom provider should pick a value
     * below 100 unless it means to be the default.
     *
     * @return the priority
     */
    int priority();

    /**
     * Whether {@link #open()} can work here, found by really opening what the hub needs (and
     * closing it again), and why not if it cannot. Computed once and cached by implementations.
     *
     * @return the availability, never null
     */
    Availability availability();

    /**
     * Opens a new hub.
     *
     * @return a hub owned by the calling thread
     * @throws IOException if the native resources cannot be had
     * @throws UnsupportedOperationException if the provider is unavailable, with the reason
     */
    Hub open() throws IOException;
}
