package dev.greenhub.tck.selftest;

import dev.greenhub.hub.Availability;
import dev.greenhub.hub.Hub;
import dev.greenhub.hub.HubProvider;
import dev.greenhub.hub.epoll.EpollHubProvider;
import dev.greenhub.hub.poll.PollHubProvider;
import dev.greenhub.tck.HubCapabilities;
import java.io.IOException;

/**
 * A provider of broken hubs: each hub of a real provider (the base: poll or epoll) is wrapped by
 * {@link #wrap}, which adds one bug. The name is the base's name and the bug's, such as
 * {@code poll-ignores-wakeup}; the priority is below every real hub, so that a broken hub on the
 * class path is never picked by default.
 */
abstract class BrokenProvider implements HubProvider {
    /** The poll hub: the base of most broken hubs. */
    static final HubProvider POLL = new PollHubProvider();
    /** The epoll hub: the base of the broken hubs whose bug only shows with epoll's semantics. */
    static final HubProvider EPOLL = new EpollHubProvider();

    private final HubProvider base;
    private final String name;

    BrokenProvider(String bug, HubProvider base) {
        this.base = base;
        this.name = base.name() + "-" + bug;
    }

    /**
     * Adds the bug to a hub of the base provider.
     *
     * @param real a new hub of the base provider, closed by this provider if wrap throws
     * @return the broken hub
     */
    abstract Hub wrap(Hub real) throws IOException;

    /**
     * What the hub's author claims: the capabilities of the base hub, which the bug does not change.
     *
     * @return the capabilities the kit runs with
     */
    HubCapabilities claimedCapabilities() {
        return HubCapabilities.load(base);
    }

    @Override
    public final String name() {
        return name;
    }

    @Override
    public final int priority() {
        return -1000;
    }

    @Override
    public final Availability availability() {
        return base.availability();
    }

    @Override
    public Hub open() throws IOException {
        Hub hub = base.open();
        try {
            return wrap(hub);
        } catch (IOException | RuntimeException e) {
            hub.close();
            throw e;
        }
    }

    @Override
    public String toString() {
        return name;
    }
}
