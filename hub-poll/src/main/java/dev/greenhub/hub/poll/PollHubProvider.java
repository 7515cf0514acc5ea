package dev.greenhub.hub.poll;

import dev.greenhub.hub.Availability;
import dev.greenhub.hub.Hub;
import dev.greenhub.hub.HubProvider;
import dev.greenhub.nativeio.Native;
import java.io.IOException;

/**
 * The {@link HubProvider} for {@link PollHub}: name {@code "poll"}, priority 200 (below epoll,
 * above select). Available wherever poll(2) can be bound and a hub really opens, polls and
 * closes; the probe runs once per JVM, on the first {@link #availability()} call, and its result is
 * cached. Loading this class does no native work. Thread-safe.
 */
public final class PollHubProvider implements HubProvider {
    /** The provider's priority. */
    public static final int PRIORITY = 200;

    private static final class Probe {
        static final Availability RESULT = probe();
    }

    /** Creates the provider; does no native work. */
    public PollHubProvider() {
    }

    @Override
    public String name() {
        return PollHub.NAME;
    }

    @Override
    public int priority() {
        return PRIORITY;
    }

    @Override
    public Availability availability() {
        return Probe.RESULT;
    }

    /**
     * Opens a new {@link PollHub}.
     *
     * @return the hub, owned by the calling thread
     * @throws IOException if its wakeup fd cannot be opened
     * @throws UnsupportedOperationException if the provider is unavailable, with the reason
     */
    @Override
    public Hub open() throws IOException {
        Availability availability = availability();
        if (!availability.available()) {
            throw new UnsupportedOperationException("the poll hub is unavailable: " + availability.reason());
        }
        return PollHub.open();
    }

    @Override
    public String toString() {
        return "PollHubProvider[poll, priority " + PRIORITY + "]";
    }

    private static Availability probe() {
        try {
            Throwable libc = Native.loadError();
            if (libc != null) {
                return Availability.unavailable("binding libc with jnr-ffi", libc);
            }
            Throwable poll = PollCall.loadError();
            if (poll != null) {
                return Availability.unavailable("binding poll(2) with jnr-ffi", poll);
            }
            try (PollHub hub = PollHub.open()) {
                hub.poll(0, (fd, ops) -> { });
            }
            return Availability.AVAILABLE;
        } catch (Throwable t) {
            return Availability.unavailable("opening a poll hub", t);
        }
    }
}
