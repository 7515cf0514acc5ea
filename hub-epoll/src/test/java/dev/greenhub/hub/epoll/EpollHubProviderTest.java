package dev.greenhub.hub.epoll;

import static org.assertj.core.api.Assertions.assertThat;

import dev.greenhub.hub.Availability;
import dev.greenhub.hub.Hub;
import dev.greenhub.hub.HubProvider;
import dev.greenhub.hub.Hubs;
import dev.greenhub.nativeio.Fds;
import java.io.IOException;
import java.util.List;
import org.junit.jupiter.api.Test;

class EpollHubProviderTest {

    @Test
    void isFoundByServiceLoaderWithItsNameAndPriority() {
        List<HubProvider> providers = Hubs.providers().stream()
                .flatMap(row -> row.provider().stream())
                .filter(p -> p instanceof EpollHubProvider)
                .toList();
        assertThat(providers).hasSize(1);
        assertThat(providers.get(0).name()).isEqualTo("epoll");
        assertThat(providers.get(0).priority()).isEqualTo(300);
    }

    @Test
    void isAvailableOnLinuxAndTheProbeIsCachedAndLeavesNoFdOpen() {
        int before = Fds.openFdCount();
        Availability first = new EpollHubProvider().availability();
        assertThat(first).isEqualTo(Availability.AVAILABLE);
        assertThat(new EpollHubProvider().availability()).isSameAs(first);
        assertThat(Fds.openFdCount()).isEqualTo(before);
    }

    @Test
    void opensAnEpollHubWithTheDefaultDetectionInterval() throws IOException {
        try (Hub hub = new EpollHubProvider().open()) {
            assertThat(hub).isInstanceOf(EpollHub.class);
            assertThat(hub.name()).isEqualTo("epoll");
            assertThat(hub.fdLimit()).isEqualTo(Integer.MAX_VALUE);
            assertThat(((EpollHub) hub).closedFdDetection()).isEqualTo(EpollHub.DEFAULT_CLOSED_FD_DETECTION);
        }
    }

    @Test
    void theUnavailableReasonNamesTheSystem() {
        assertThat(EpollHub.unsupportedReason())
                .startsWith("epoll(7) exists only on Linux; this is ")
                .contains(System.getProperty("os.name"));
    }
}
