package dev.greenhub.hub.poll;

import dev.greenhub.hub.HubProvider;
import dev.greenhub.tck.HubTck;

/** Runs the greenhub TCK against the poll hub, with the capabilities its jar declares. */
class PollHubTckTest extends HubTck {
    @Override
    protected HubProvider provider() {
        return new PollHubProvider();
    }
}
