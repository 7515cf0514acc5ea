/**
 * The hub SPI: {@link dev.greenhub.hub.Hub}, {@link dev.greenhub.hub.HubProvider},
 * {@link dev.greenhub.hub.Readiness}, and discovery and selection of providers with
 * {@link java.util.ServiceLoader} ({@link dev.greenhub.hub.Hubs}). A hub module
 * {@code provides dev.greenhub.hub.HubProvider}; on the class path the same providers are listed in
 * {@code META-INF/services/dev.greenhub.hub.HubProvider}.
 */
module dev.greenhub.hub {
    exports dev.greenhub.hub;

    uses dev.greenhub.hub.HubProvider;
}
