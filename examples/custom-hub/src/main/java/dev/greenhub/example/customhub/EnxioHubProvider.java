package dev.greenhub.example.customhub;

import dev.greenhub.hub.Availability;
import dev.greenhub.hub.Hub;
import dev.greenhub.hub.HubProvider;
import java.io.IOException;
import java.util.Locale;

/**
 * The {@link HubProvider} of the "enxio" hub: a hub built on jnr-enxio's selector over raw fds, an
 * example of a hub written outside greenhub's three built-in ones, found by
 * {@link java.util.ServiceLoader} through {@code META-INF/services/dev.greenhub.hub.HubProvider}.
 *
 * <p>Its priority, {@value #PRIORITY}, is below the built-in select hub's 100, so it is used only
 * when it is named ({@code -Dgreenhub.hub=enxio}) or when it is the only available hub.
 *
 * <p>It is available on Linux, where jnr-enxio's selector is its poll(2) selector, the one this
 * hub works around and is verified with; on the BSDs jnr-enxio would give a kqueue selector, and
 * the provider says it is unavailable there.
 *
 * <p>Thread-safe. The constructor does no native work; {@link #availability()} opens and closes one
 * hub the first time it is called and caches the outcome.
 */
public final class EnxioHubProvider implements HubProvider {
    /** The name users select this hub by. */
    public static final String NAME = EnxioHub.NAME;
    /** The rank: below every built-in hub, so it never becomes the default beside them. */
    public static final int PRIORITY = 50;

    private volatile Availability availability;

    /** Creates the provider; no native work. */
    public EnxioHubProvider() {
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public int priority() {
        return PRIORITY;
    }

    /**
     * Whether an enxio hub can be opened here, found once by opening one and closing it again.
     * Any failure, including a missing native library, becomes an unavailable state with the
     * reason.
     *
     * @return the cached availability
     */
    @Override
    public Availability availability() {
        Availability a = availability;
        if (a == null) {
            synchronized (this) {
                a = availability;
                if (a == null) {
                    a = probe();
                    availability = a;
                }
            }
        }
        return a;
    }

    /**
     * Opens a new enxio hub.
     *
     * @return a hub owned by the calling thread
     * @throws UnsupportedOperationException if the provider is unavailable, with the reason
     * @throws IOException if the selector or its wakeup pipe cannot be had
     */
    @Override
    public Hub open() throws IOException {
        Availability a = availability();
        if (!a.available()) {
            throw new UnsupportedOperationException("the " + NAME + " hub is unavailable: " + a.reason());
        }
        return EnxioHub.open();
    }

    @Override
    public String toString() {
        return "EnxioHubProvider[" + NAME + ", priority " + PRIORITY + "]";
    }

    private static Availability probe() {
        try {
            String os = System.getProperty("os.name", "?");
            if (!os.toLowerCase(Locale.ROOT).contains("linux")) {
                return Availability.unavailable("the " + NAME + " hub is verified only with jnr-enxio's poll(2)"
                        + " selector, which jnr-enxio uses on Linux; this is " + os);
            }
            try (Hub hub = EnxioHub.open()) {
                hub.fdLimit();
            }
            return Availability.AVAILABLE;
        } catch (Throwable t) {
            return Availability.unavailable("opening a jnr-enxio selector", t);
        }
    }
}
