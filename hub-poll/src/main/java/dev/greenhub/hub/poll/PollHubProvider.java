package dev.greenhub.hub.poll;

import dev.greenhub.hub.Hub;
import dev.greenhub.nativeio.NativeHubProvider;
import java.io.IOException;

/**
 * The provider of the {@link PollHub}: name {@code "poll"}, priority 200 (below epoll, above
 * select). Available wherever poll(2) can be bound and a hub really opens, polls and closes; the
 * probe runs once per JVM, on the first {@link #availability()} call, and its result is cached.
 * Loading this class does no native work. Thread-safe.
 */
public final class PollHubProvider extends NativeHubProvider {
    /** The priority of the poll hub. */
    public static final int PRIORITY = 200;

    /** Creates the provider; does no native work. */
    public PollHubProvider() {
        super(PollHub.NAME, PRIORITY);
    }

    @Override
    protected Hub openHub() throws IOException {
        return PollHub.open();
    }

    @Override
    protected String unsupportedReason() {
        Throwable poll = PollCall.loadError();
        return poll == null ? null : "binding poll(2) with jnr-ffi failed: " + poll;
    }
}
