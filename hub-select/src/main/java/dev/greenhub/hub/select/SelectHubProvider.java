package dev.greenhub.hub.select;

import dev.greenhub.hub.Availability;
import dev.greenhub.hub.Hub;
import dev.greenhub.hub.HubProvider;
import dev.greenhub.nativeio.Native;
import java.io.IOException;

/**
 * The {@link HubProvider} of the select hub ({@link SelectHub}): name {@code "select"}, priority
 * 100, the lowest of the in-repo hubs, so it is chosen only when poll and epoll are missing or when
 * named ({@code -Dgreenhub.hub=select}).
 *
 * <p>{@link #availability()} binds libc and really opens a select hub and closes it again, the
 * first time it is asked in this JVM; the answer is cached. Any failure makes the provider
 * unavailable with the failure as the reason. Constructing the provider does no native work.
 * Thread-safe.
 */
public final class SelectHubProvider implements HubProvider {
    /** The provider's name. */
    public static final String NAME = SelectHub.NAME;
    /** The provider's priority. */
    public static final int PRIORITY = 100;

    /** Creates the provider; does no native work. */
    public SelectHubProvider() {
    }

    @Override
    public String name() {
        return NAME;
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
     * Opens a new select hub.
     *
     * @return a hub owned by the calling thread
     * @throws IOException if its wakeup fd cannot be opened or is numbered 1024 or above
     * @throws UnsupportedOperationException if the provider is unavailable, with the reason
     */
    @Override
    public Hub open() throws IOException {
        Availability availability = availability();
        if (!availability.available()) {
            throw new UnsupportedOperationException("the select hub is unavailable: " + availability.reason());
        }
        return SelectHub.open();
    }

    @Override
    public String toString() {
        return "SelectHubProvider[" + NAME + ", priority " + PRIORITY + "]";
    }

    /** The availability probe, run once on first use. */
    private static final class Probe {
        static final Availability RESULT = probe();

        private Probe() {
        }

        private static Availability probe() {
            try {
                Throwable loadError = Native.loadError();
                if (loadError != null) {
                    return Availability.unavailable("binding libc with jnr-ffi", loadError);
                }
                SelectHub.open().close();
                return Availability.AVAILABLE;
            } catch (Throwable t) {
                return Availability.unavailable("opening a select hub", t);
            }
        }
    }
}
