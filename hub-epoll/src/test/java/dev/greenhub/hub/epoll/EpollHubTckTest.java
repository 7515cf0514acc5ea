package dev.greenhub.hub.epoll;

import dev.greenhub.hub.HubProvider;
import dev.greenhub.tck.HubTck;

/** The greenhub TCK against the epoll hub, with the capabilities in its epoll.properties. */
class EpollHubTckTest extends HubTck {
    @Override
    protected HubProvider provider() {
        return new EpollHubProvider();
    }
}
