package dev.greenhub.hub.epoll;

import dev.greenhub.hub.Hub;
import dev.greenhub.nativeio.NativeHubProvider;
import java.io.IOException;

/**
 * The provider of the {@link EpollHub}: name {@code "epoll"}, priority 300 (preferred over poll
 * and select where it is available).
 *
 * <p>Available on Linux when libc can be bound with jnr-ffi and an epoll fd and a wakeup fd can
 * really be opened; the probe opens a hub and closes it again, once per JVM, and its result is
 * cached. Unavailable elsewhere, with the reason. Thread-safe.
 */
public final class EpollHubProvider extends NativeHubProvider {
    /** The priority of the epoll hub. */
    public static final int PRIORITY = 300;

    /** Creates the provider; does no native work. */
    public EpollHubProvider() {
        super(EpollHub.NAME, PRIORITY);
    }

    /** Opens an epoll hub with the default closed-fd detection interval (one second). */
    @Override
    protected Hub openHub() throws IOException {
        return EpollHub.open();
    }

    @Override
    protected String unsupportedReason() {
        return EpollHub.isLinux() ? null : EpollHub.unsupportedReason();
    }
}
