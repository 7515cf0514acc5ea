package dev.greenhub.nativeio;

import dev.greenhub.hub.Availability;
import dev.greenhub.hub.Hub;
import dev.greenhub.hub.HubProvider;
import java.io.IOException;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/**
 * What the native hubs' providers share: a fixed name and priority, and an availability probe
 * that binds libc, asks the backend whether it can run here, then really opens a hub, polls it
 * once without blocking and closes it (the way Netty's {@code Epoll.isAvailable()} works). The
 * probe runs once per JVM and provider class, on the first {@link #availability()} call; any
 * failure becomes {@link Availability#unavailable(String, Throwable)} with the reason. Constructing
 * a provider does no native work. Thread-safe.
 */
public abstract class NativeHubProvider implements HubProvider {
    private static final ConcurrentMap<Class<?>, Availability> PROBED = new ConcurrentHashMap<>();

    private final String name;
    private final int priority;

    /**
     * Creates the provider.
     *
     * @param name the name users select it by
     * @param priority its rank when nothing is named
     */
    protected NativeHubProvider(String name, int priority) {
        this.name = Objects.requireNonNull(name, "name");
        this.priority = priority;
    }

    @Override
    public final String name() {
        return name;
    }

    @Override
    public final int priority() {
        return priority;
    }

    @Override
    public final Availability availability() {
        return PROBED.computeIfAbsent(getClass(), c -> probe());
    }

    /**
     * Opens a hub after checking that the provider is available.
     *
     * @return a hub owned by the calling thread
     * @throws IOException if the hub's native resources cannot be had
     * @throws UnsupportedOperationException if the provider is unavailable, with the reason
     */
    @Override
    public final Hub open() throws IOException {
        Availability availability = availability();
        if (!availability.available()) {
            throw new UnsupportedOperationException("the " + name + " hub is unavailable: " + availability.reason());
        }
        return openHub();
    }

    /**
     * Opens the backend's hub; called by {@link #open()} and by the probe.
     *
     * @return a new hub
     * @throws IOException if its native resources cannot be had
     */
    protected abstract Hub openHub() throws IOException;

    /**
     * Why the backend cannot run here before anything is opened (wrong OS, its system call could
     * not be bound), or null if nothing is known against it.
     *
     * @return the reason, or null
     */
    protected String unsupportedReason() {
        return null;
    }

    @Override
    public String toString() {
        return getClass().getSimpleName() + "[" + name + ", priority " + priority + "]";
    }

    private Availability probe() {
        try {
            Throwable loadError = Native.loadError();
            if (loadError != null) {
                return Availability.unavailable("binding libc with jnr-ffi", loadError);
            }
            String unsupported = unsupportedReason();
            if (unsupported != null) {
                return Availability.unavailable(unsupported);
            }
            try (Hub hub = openHub()) {
                hub.poll(0, (fd, ops) -> { });
            }
            return Availability.AVAILABLE;
        } catch (Throwable t) {
            return Availability.unavailable("opening a " + name + " hub", t);
        }
    }
}
