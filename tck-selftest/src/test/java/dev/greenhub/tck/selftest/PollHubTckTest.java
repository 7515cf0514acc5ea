package dev.greenhub.tck.selftest;

import dev.greenhub.hub.HubProvider;
import dev.greenhub.hub.poll.PollHubProvider;
import dev.greenhub.tck.HubTck;

/** The kit run the way a hub author runs it: a JUnit subclass, here for the real poll hub. */
class PollHubTckTest extends HubTck {
    @Override
    protected HubProvider provider() {
        return new PollHubProvider();
    }
}
