package dev.greenhub.hub;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;

/**
 * Finds {@link HubProvider}s with {@link ServiceLoader} and picks one.
 *
 * <p>Selection order: the system property {@value #PROPERTY}, else the environment variable
 * {@value #ENVIRONMENT}, else the available provider with the highest priority (epoll, then poll,
 * then select). A named provider that is missing or unavailable is a
 * {@link HubUnavailableException} that lists every provider found, with its availability and the
 * reason; so is an empty class path, with the modules to add. A provider that fails to load is
 * reported in the table and does not hide the others.
 *
 * <p>Thread-safe. Discovery runs on each call (it is cheap: providers probe lazily and cache).
 */
public final class Hubs {
    /** The system property that names the provider to use. */
    public static final String PROPERTY = "greenhub.hub";
    /** The environment variable that names the provider when the property is not set. */
    public static final String ENVIRONMENT = "GREENHUB_HUB";

    private static final int MAX_LOAD_ERRORS = 64;

    private Hubs() {
    }

    /**
     * Every provider visible to the context class loader (or this class's loader), highest
     * priority first, with its availability; entries that failed to load are included.
     *
     * @return the provider table
     */
    public static List<ProviderStatus> providers() {
        return providers(defaultLoader());
    }

    /**
     * Every provider visible to {@code loader}, highest priority first.
     *
     * @param loader where to look
     * @return the provider table
     */
    public static List<ProviderStatus> providers(ClassLoader loader) {
        List<ProviderStatus> rows = new ArrayList<>();
        Iterator<HubProvider> it = ServiceLoader.load(HubProvider.class, loader).iterator();
        int errors = 0;
        while (true) {
            HubProvider provider;
            try {
                if (!it.hasNext()) {
                    break;
                }
                provider = it.next();
            } catch (ServiceConfigurationError | LinkageError e) {
                rows.add(new ProviderStatus("<failed to load>", Integer.MIN_VALUE, "?",
                        Availability.unavailable("loading the provider", e), Optional.empty()));
                if (++errors >= MAX_LOAD_ERRORS) {
                    break;
                }
                continue;
            }
            rows.add(describe(provider));
        }
        rows.sort(Comparator.comparingInt(ProviderStatus::priority).reversed()
                .thenComparing(ProviderStatus::name));
        return List.copyOf(rows);
    }

    /**
     * Picks a provider as the class documentation says, honouring {@value #PROPERTY} and
     * {@value #ENVIRONMENT}.
     *
     * @return the selection
     * @throws HubUnavailableException if nothing suitable is found
     */
    public static HubSelection select() {
        return select(defaultLoader(), System.getProperty(PROPERTY), System.getenv(ENVIRONMENT));
    }

    /**
     * Picks the provider named {@code name}, or the best available one when {@code name} is null
     * or blank.
     *
     * @param name a provider name, or null
     * @return the selection
     * @throws HubUnavailableException if the named provider is missing or unavailable, or none is
     *     available
     */
    public static HubSelection select(String name) {
        if (name == null || name.isBlank()) {
            return select(defaultLoader(), null, null);
        }
        return choose(providers(defaultLoader()), name.strip().toLowerCase(Locale.ROOT),
                "named by the caller: " + name.strip());
    }

    /**
     * The selection logic with its inputs spelled out.
     *
     * @param loader where to look for providers
     * @param property the value of {@value #PROPERTY}, or null
     * @param environment the value of {@value #ENVIRONMENT}, or null
     * @return the selection
     * @throws HubUnavailableException if nothing suitable is found
     */
    public static HubSelection select(ClassLoader loader, String property, String environment) {
        String requested;
        String source;
        if (property != null && !property.isBlank()) {
            requested = property.strip().toLowerCase(Locale.ROOT);
            source = "named by -D" + PROPERTY + "=" + property.strip();
        } else if (environment != null && !environment.isBlank()) {
            requested = environment.strip().toLowerCase(Locale.ROOT);
            source = "named by " + ENVIRONMENT + "=" + environment.strip();
        } else {
            requested = null;
            source = "highest priority of the available providers";
        }
        return choose(providers(loader), requested, source);
    }

    private static HubSelection choose(List<ProviderStatus> table, String requested, String source) {
        if (table.isEmpty()) {
            throw new HubUnavailableException("no greenhub hub provider on the class path"
                    + (requested == null ? "" : " (" + source + ")")
                    + ": add one of the modules dev.greenhub:hub-epoll, dev.greenhub:hub-poll or"
                    + " dev.greenhub:hub-select (or a hub of your own registered in META-INF/services/"
                    + HubProvider.class.getName() + ")");
        }
        if (requested != null) {
            for (ProviderStatus row : table) {
                if (row.provider().isPresent() && row.name().equals(requested)) {
                    if (!row.availability().available()) {
                        throw new HubUnavailableException("hub '" + requested + "' (" + source
                                + ") is unavailable: " + row.availability().reason() + "\n"
                                + tableText(table));
                    }
                    return new HubSelection(row.provider().get(), source, table);
                }
            }
            throw new HubUnavailableException("no hub named '" + requested + "' (" + source
                    + ") on the class path\n" + tableText(table));
        }
        for (ProviderStatus row : table) {
            if (row.isAvailable()) {
                return new HubSelection(row.provider().get(), source, table);
            }
        }
        throw new HubUnavailableException("no available greenhub hub provider\n" + tableText(table));
    }

    /**
     * Opens a hub from the provider {@link #select()} picks.
     *
     * @return a new hub owned by the calling thread
     * @throws HubUnavailableException if nothing suitable is found
     * @throws IOException if the provider cannot open a hub
     */
    public static Hub open() throws IOException {
        return select().provider().open();
    }

    /**
     * The provider table as text, one provider a line, as the errors of this class show it.
     *
     * @param table a table from {@link #providers()}
     * @return the lines
     */
    public static String tableText(List<ProviderStatus> table) {
        StringBuilder out = new StringBuilder("providers on the class path:");
        if (table.isEmpty()) {
            out.append(" none");
        }
        for (ProviderStatus row : table) {
            out.append("\n  ").append(row);
        }
        return out.toString();
    }

    private static ProviderStatus describe(HubProvider provider) {
        String name;
        int priority;
        Availability availability;
        try {
            name = provider.name();
            priority = provider.priority();
        } catch (RuntimeException | LinkageError e) {
            return new ProviderStatus("<broken provider>", Integer.MIN_VALUE, provider.getClass().getName(),
                    Availability.unavailable("name()/priority()", e), Optional.empty());
        }
        try {
            availability = provider.availability();
            if (availability == null) {
                availability = Availability.unavailable("availability() returned null");
            }
        } catch (RuntimeException | LinkageError e) {
            availability = Availability.unavailable("availability()", e);
        }
        return new ProviderStatus(name, priority, provider.getClass().getName(), availability,
                Optional.of(provider));
    }

    private static ClassLoader defaultLoader() {
        ClassLoader context = Thread.currentThread().getContextClassLoader();
        return context != null ? context : Hubs.class.getClassLoader();
    }
}
