/**
 * The poll hub: {@link dev.greenhub.hub.Hub} over poll(2), found by
 * {@link java.util.ServiceLoader} as the {@link dev.greenhub.hub.HubProvider} named {@code poll}.
 *
 * <p>Its package is exported for two reasons: code may pick this hub by type
 * ({@code Scheduler.open(new PollHubProvider())}), and jnr-ffi generates the implementation of
 * the hub's binding interface (nested in a package-private class, so not API) in a class loader of
 * its own, in an unnamed module, which only an unqualified export reaches.
 */
module dev.greenhub.hub.poll {
    requires dev.greenhub.hub;
    requires dev.greenhub.nativeio;
    requires org.jnrproject.ffi;

    exports dev.greenhub.hub.poll;

    provides dev.greenhub.hub.HubProvider with dev.greenhub.hub.poll.PollHubProvider;
}
