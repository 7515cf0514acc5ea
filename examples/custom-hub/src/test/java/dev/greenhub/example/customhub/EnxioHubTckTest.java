package dev.greenhub.example.customhub;

import dev.greenhub.hub.HubProvider;
import dev.greenhub.tck.HubTck;

/**
 * Runs the greenhub TCK against the enxio hub, with the capabilities its jar declares in
 * {@code META-INF/greenhub/tck/enxio.properties}: every required rule must pass; the rules for
 * HANGUP and SOCKET_ERROR are skipped because the hub declares it lacks them.
 */
class EnxioHubTckTest extends HubTck {
    @Override
    protected HubProvider provider() {
        return new EnxioHubProvider();
    }
}
