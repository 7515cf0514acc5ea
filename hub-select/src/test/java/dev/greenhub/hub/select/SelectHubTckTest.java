package dev.greenhub.hub.select;

import dev.greenhub.hub.HubProvider;
import dev.greenhub.tck.HubTck;

/** The compatibility kit against the select hub, with the capabilities its jar declares. */
class SelectHubTckTest extends HubTck {
    @Override
    protected HubProvider provider() {
        return new SelectHubProvider();
    }
}
