package dev.greenhub.hub.select;

import dev.greenhub.hub.Hub;
import dev.greenhub.nativeio.NativeHubProvider;
import java.io.IOException;

/**
 * The provider of the select hub ({@link SelectHub}): name {@code "select"}, priority 100, the
 * lowest of the in-repo hubs, so it is chosen only when poll and epoll are missing or when named
 * ({@code -Dgreenhub.hub=select}).
 *
 * <p>{@link #availability()} binds libc and really opens a select hub and closes it again, the
 * first time it is asked in this JVM; the answer is cached. Any failure makes the provider
 * unavailable with the failure as the reason. Constructing the provider does no native work.
 * Thread-safe.
 */
public final class SelectHubProvider extends NativeHubProvider {
    /** The provider's name. */
    public static final String NAME = SelectHub.NAME;
    /** The priority of the select hub. */
    public static final int PRIORITY = 100;

    /** Creates the provider; does no native work. */
    public SelectHubProvider() {
        super(NAME, PRIORITY);
    }

    /**
     * Opens a new select hub.
     *
     * @throws IOException if its wakeup fd cannot be opened or is numbered 1024 or above
     */
    @Override
    protected Hub openHub() throws IOException {
        return SelectHub.open();
    }
}
