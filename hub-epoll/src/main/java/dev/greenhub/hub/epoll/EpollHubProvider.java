package dev.greenhub.hub.epoll;

import dev.greenhub.hub.Availability;
import dev.greenhub.hub.Hub;
import dev.greenhub.hub.HubProvider;
import dev.greenhub.nativeio.Native;
import java.io.IOException;

/**
 * The {@link HubProvider} of the {@link EpollHub}: name {@code "epoll"}, priority 300 (preferred
 * over poll and select where it is available).
 *
 * <p>Available on Linux when libc can be bound with jnr-ffi and an epoll fd and a wakeup fd can
 * really be opened; the probe opens a hub and closes it again, once per JVM, and its result is
 * cached. Unavailable elsewhere, with the reason. Thread-safe.
 */
public final class EpollHubProvider implements HubProvider {
    /** The priority of the epoll hub. */
    public static final int PRIORITY = 300;

    /** Creates the provider; does no native work. */
    public EpollHubProvider() {
    }

    @Override
    public String name() {
        return EpollHub.NAME;
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
     * Opens an epoll hub with the default closed-fd detection interval (one second).
     *
     * @return the hub
     * @throws IOException if its native fds cannot be had
     * @throws UnsupportedOperationException if the provider is unavailable, with the reason
     */
    @Override
    public Hub open() throws IOException {
        Availability availability = availability();
        if (!availability.available()) {
            throw new UnsupportedOperationException("the epoll hub is unavailable: " + availability.reason());
        }
        return EpollHub.open();
    }

    @Override
    public String toString() {
        return "EpollHubProvider[epoll, priority " + PRIORITY + ", " + availability().reason() + "]";
    }

    static Availability probe() {
        try {
            if (!EpollHub.isLinux()) {
                return Availability.unavailable(EpollHub.unsupportedReason());
            }
            Throwable loadError = Native.loadError();
            if (loadError != null) {
                return Availability.unavailable("binding libc with jnr-ffi", loadError);
            }
            EpollHub.open().close();
            return Availability.AVAILABLE;
        } catch (Throwable t) {
            return Availability.unavailable("opening an epoll hub", t);
        }
    }

    private static final class Probe {
        static final Availability RESULT = probe();
    }
}
