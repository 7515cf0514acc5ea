package dev.greenhub.example.customhub;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.greenhub.hub.Hub;
import dev.greenhub.hub.HubProvider;
import dev.greenhub.hub.HubSelection;
import dev.greenhub.hub.Hubs;
import dev.greenhub.hub.ProviderStatus;
import dev.greenhub.nativeio.Fds;
import dev.greenhub.tck.Feature;
import dev.greenhub.tck.HubCapabilities;
import java.io.IOException;
import java.net.URL;
import java.time.Duration;
import java.util.Collections;
import java.util.Enumeration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** How greenhub finds the enxio hub: ServiceLoader discovery, selection by name, and its low rank. */
class EnxioHubProviderTest {
    private static final String SERVICE = "META-INF/services/" + HubProvider.class.getName();

    @Test
    void isFoundByServiceLoaderAsAnAvailableProviderBelowTheBuiltInOnes() {
        List<ProviderStatus> table = Hubs.providers();

        ProviderStatus enxio = table.stream().filter(row -> row.name().equals("enxio")).findFirst().orElseThrow(
                () -> new AssertionError("no enxio provider in " + Hubs.tableText(table)));
        assertThat(enxio.priority()).isEqualTo(50);
        assertThat(enxio.providerClass()).isEqualTo(EnxioHubProvider.class.getName());
        assertThat(enxio.isAvailable()).as(enxio.availability().reason()).isTrue();
        assertThat(table.stream().filter(row -> !row.name().equals("enxio")).map(ProviderStatus::priority))
                .as("the built-in hubs on the test class path").isNotEmpty().allMatch(p -> p >= 100);
    }

    @Test
    void isPickedWhenNamed() throws IOException {
        HubSelection selection = Hubs.select("enxio");

        assertThat(selection.provider()).isInstanceOf(EnxioHubProvider.class);
        assertThat(selection.reason()).isEqualTo("named by the caller: enxio");
        try (Hub hub = selection.provider().open()) {
            assertThat(hub.name()).isEqualTo("enxio");
        }
    }

    @Test
    void isNeverTheDefaultBesideTheBuiltInHubs() {
        HubSelection selection = Hubs.select(loader(), null, null);

        assertThat(selection.provider()).isNotInstanceOf(EnxioHubProvider.class);
        assertThat(selection.provider().name()).isIn("epoll", "poll", "select");
        assertThat(selection.providers()).extracting(ProviderStatus::name).contains("enxio");
    }

    @Test
    void isTheDefaultWhenItIsTheOnlyHubOnTheClassPath() {
        ClassLoader onlyEnxio = new OnlyOurServiceFile(loader());

        HubSelection selection = Hubs.select(onlyEnxio, null, null);

        assertThat(selection.provider()).isInstanceOf(EnxioHubProvider.class);
        assertThat(selection.reason()).isEqualTo("highest priority of the available providers");
        assertThat(selection.providers()).extracting(ProviderStatus::name).containsExactly("enxio");
    }

    @Test
    void probesAvailabilityOnceAndReleasesWhatTheProbeOpened() {
        // The first probe in a JVM also opens the jars and native stubs it loads, which stay open.
        assertThat(new EnxioHubProvider().availability().available()).isTrue();
        int before = Fds.openFdCount();
        EnxioHubProvider provider = new EnxioHubProvider();

        assertThat(provider.availability().available()).isTrue();
        assertThat(provider.availability()).isSameAs(provider.availability());
        assertThat(Fds.openFdCount()).isEqualTo(before);
    }

    @Test
    void reportsAMissingProviderWithTheTableThatListsTheEnxioHub() {
        assertThatThrownBy(() -> Hubs.select("kqueue"))
                .hasMessageContaining("no hub named 'kqueue'")
                .hasMessageContaining("enxio (priority 50, " + EnxioHubProvider.class.getName() + "): available");
    }

    @Test
    void declaresItsTckCapabilitiesInItsJar() {
        HubCapabilities capabilities = HubCapabilities.load(new EnxioHubProvider());

        assertThat(capabilities.lacks()).containsExactlyInAnyOrder(Feature.HANGUP, Feature.SOCKET_ERROR);
        assertThat(capabilities.closedFdDetection()).isEqualTo(Duration.ZERO);
        assertThat(capabilities.manyFds()).isEqualTo(HubCapabilities.DEFAULT_MANY_FDS);
    }

    private static ClassLoader loader() {
        return EnxioHubProviderTest.class.getClassLoader();
    }

    /** Shows the HubProvider service file of this module only, as if no other hub were present. */
    private static final class OnlyOurServiceFile extends ClassLoader {
        OnlyOurServiceFile(ClassLoader parent) {
            super(parent);
        }

        @Override
        public Enumeration<URL> getResources(String name) throws IOException {
            if (!name.equals(SERVICE)) {
                return super.getResources(name);
            }
            URL ours = EnxioHubProvider.class.getProtectionDomain().getCodeSource().getLocation();
            List<URL> kept = Collections.list(super.getResources(name)).stream()
                    .filter(url -> url.toString().contains(ours.getPath()))
                    .toList();
            return Collections.enumeration(kept);
        }
    }
}
