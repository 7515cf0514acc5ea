/**
 * The select hub: {@link dev.greenhub.hub.Hub} over select(2), found by
 * {@link java.util.ServiceLoader} as the {@link dev.greenhub.hub.HubProvider} named {@code select}.
 *
 * <p>Its package is exported for two reasons: code may pick this hub by type
 * ({@code Scheduler.open(new SelectHubProvider())}), and jnr-ffi generates the implementation of
 * the hub's binding interface (nested in a package-private class, so not API) in a class loader of
 * its own, in an unnamed module, which only an unqualified export reaches.
 */
module dev.greenhub.hub.select {
    requires dev.greenhub.hub;
    requires dev.greenhub.nativeio;
    requires org.jnrproject.ffi;

    exports dev.greenhub.hub.select;

    provides dev.greenhub.hub.HubProvider with dev.greenhub.hub.select.SelectHubProvider;
}
