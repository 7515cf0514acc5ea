package dev.greenhub.cli;

import dev.greenhub.hub.Availability;
import dev.greenhub.hub.Hub;
import dev.greenhub.hub.HubProvider;
import dev.greenhub.hub.poll.PollHubProvider;
import java.io.IOException;

/**
 * A "user's hub" for the --classpath tests: the poll hub under another name. It is deliberately
 * not registered in this module's META-INF/services; the tests register it in a directory they
 * pass with --classpath.
 */
public final class RenamedPollProvider implements HubProvider {
    private final PollHubProvider poll = new PollHubProvider();

    @Override
    public String name() {
        return "userpoll";
    }

    @Override
    public int priority() {
        return 10;
    }

    @Override
    public Availability availability() {
        return poll.availability();
    }

    @Override
    public Hub open() throws IOException {
        return poll.open();
    }
}
