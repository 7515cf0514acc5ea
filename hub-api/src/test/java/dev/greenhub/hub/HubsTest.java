package dev.greenhub.hub;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.Enumeration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HubsTest {
    private static final String SERVICE = "META-INF/services/" + HubProvider.class.getName();

    @TempDir
    Path dir;

    /** A class loader whose only service file for HubProvider lists the given classes. */
    private ClassLoader loaderListing(Class<?>... providers) throws IOException {
        StringBuilder lines = new StringBuilder();
        for (Class<?> c : providers) {
            lines.append(c.getName()).append('\n');
        }
        return loaderWithServiceFile(lines.toString());
    }

    private ClassLoader loaderWithServiceFile(String content) throws IOException {
        Path file = Files.writeString(dir.resolve("services-" + System.nanoTime()), content);
        URL url = file.toUri().toURL();
        return new ClassLoader(HubsTest.class.getClassLoader()) {
            @Override
            public Enumeration<URL> getResources(String name) throws IOException {
                if (name.equals(SERVICE)) {
                    return Collections.enumeration(List.of(url));
                }
                return super.getResources(name);
            }
        };
    }

    @Test
    void withNothingNamedTheAvailableProviderWithTheHighestPriorityWins() throws IOException {
        ClassLoader loader = loaderListing(Low.class, Unavailable.class, High.class);
        HubSelection s = Hubs.select(loader, null, null);
        assertThat(s.provider().name()).isEqualTo("high");
        assertThat(s.reason()).isEqualTo("highest priority of the available providers");
        assertThat(s.providers()).extracting(ProviderStatus::name)
                .containsExactly("unavailable", "high", "low");
    }

    @Test
    void thePropertyNamesTheProviderAndBeatsTheEnvironment() throws IOException {
        ClassLoader loader = loaderListing(Low.class, High.class);
        assertThat(Hubs.select(loader, "LOW", "high").provider().name()).isEqualTo("low");
        assertThat(Hubs.select(loader, "low", null).reason()).isEqualTo("named by -Dgreenhub.hub=low");
        assertThat(Hubs.select(loader, " ", "low").provider().name()).isEqualTo("low");
        assertThat(Hubs.select(loader, null, "low").reason()).isEqualTo("named by GREENHUB_HUB=low");
    }

    @Test
    void aMissingNamedProviderListsWhatIsThereAndWhy() throws IOException {
        ClassLoader loader = loaderListing(Low.class, Unavailable.class);
        assertThatThrownBy(() -> Hubs.select(loader, "epoll", null))
                .isInstanceOf(HubUnavailableException.class)
                .hasMessageContaining("no hub named 'epoll' (named by -Dgreenhub.hub=epoll)")
                .hasMessageContaining("low (priority 10, " + Low.class.getName() + "): available")
                .hasMessageContaining("unavailable: needs a kernel it does not have");
    }

    @Test
    void anUnavailableNamedProviderSaysWhy() throws IOException {
        ClassLoader loader = loaderListing(Low.class, Unavailable.class);
        assertThatThrownBy(() -> Hubs.select(loader, null, "unavailable"))
                .isInstanceOf(HubUnavailableException.class)
                .hasMessageStartingWith("hub 'unavailable' (named by GREENHUB_HUB=unavailable) is unavailable:"
                        + " needs a kernel it does not have");
    }

    @Test
    void noProviderAtAllNamesTheModulesToAdd() throws IOException {
        ClassLoader loader = loaderWithServiceFile("");
        assertThatThrownBy(() -> Hubs.select(loader, null, null))
                .isInstanceOf(HubUnavailableException.class)
                .hasMessageContaining("dev.greenhub:hub-epoll")
                .hasMessageContaining("dev.greenhub:hub-poll")
                .hasMessageContaining("dev.greenhub:hub-select");
    }

    @Test
    void onlyUnavailableProvidersIsAnErrorWithTheReasons() throws IOException {
        ClassLoader loader = loaderListing(Unavailable.class);
        assertThatThrownBy(() -> Hubs.select(loader, null, null))
                .isInstanceOf(HubUnavailableException.class)
                .hasMessageContaining("no available greenhub hub provider")
                .hasMessageContaining("needs a kernel it does not have");
    }

    @Test
    void aProviderThatFailsToLoadIsReportedAndDoesNotHideTheOthers() throws IOException {
        ClassLoader loader = loaderWithServiceFile(Throwing.class.getName() + "\n"
                + "dev.greenhub.hub.NoSuchProvider\n" + Low.class.getName() + "\n"
                + BrokenAvailability.class.getName() + "\n");
        List<ProviderStatus> table = Hubs.providers(loader);
        assertThat(table).filteredOn(ProviderStatus::isAvailable).extracting(ProviderStatus::name)
                .containsExactly("low");
        assertThat(table).filteredOn(r -> r.provider().isEmpty()).hasSize(2)
                .allSatisfy(r -> assertThat(r.availability().reason()).contains("loading the provider"));
        assertThat(table).filteredOn(r -> r.name().equals("broken")).singleElement()
                .satisfies(r -> assertThat(r.availability().reason())
                        .isEqualTo("availability() failed: java.lang.IllegalStateException: probe exploded"));
        assertThat(Hubs.select(loader, null, null).provider().name()).isEqualTo("low");
    }

    @Test
    void interestIsCheckedAndDescribed() {
        assertThat(Readiness.checkInterest(Readiness.READ | Readiness.WRITE)).isEqualTo(3);
        assertThatThrownBy(() -> Readiness.checkInterest(0)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("got 0 (NONE)");
        assertThatThrownBy(() -> Readiness.checkInterest(Readiness.ERROR))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("ERROR");
        assertThat(Readiness.describe(Readiness.READ | Readiness.HANGUP | 64)).isEqualTo("READ|HANGUP|0x40");
    }

    abstract static class TestProvider implements HubProvider {
        @Override
        public Hub open() {
            throw new UnsupportedOperationException("test provider " + name() + " opens no hub");
        }

        @Override
        public Availability availability() {
            return Availability.AVAILABLE;
        }
    }

    public static final class Low extends TestProvider {
        @Override
        public String name() {
            return "low";
        }

        @Override
        public int priority() {
            return 10;
        }
    }

    public static final class High extends TestProvider {
        @Override
        public String name() {
            return "high";
        }

        @Override
        public int priority() {
            return 20;
        }
    }

    public static final class Unavailable extends TestProvider {
        @Override
        public String name() {
            return "unavailable";
        }

        @Override
        public int priority() {
            return 30;
        }

        @Override
        public Availability availability() {
            return Availability.unavailable("needs a kernel it does not have");
        }
    }

    public static final class Throwing extends TestProvider {
        public Throwing() {
            throw new IllegalStateException("constructor exploded");
        }

        @Override
        public String name() {
            return "throwing";
        }

        @Override
        public int priority() {
            return 40;
        }
    }

    public static final class BrokenAvailability extends TestProvider {
        @Override
        public String name() {
            return "broken";
        }

        @Override
        public int priority() {
            return 5;
        }

        @Override
        public Availability availability() {
            throw new IllegalStateException("probe exploded");
        }
    }

    @Test
    void aNameGivenInCodeIsReportedAsSuch() {
        assertThatThrownBy(() -> Hubs.select("nope"))
                .isInstanceOf(HubUnavailableException.class)
                .hasMessageContaining("(named by the caller: nope)")
                .hasMessageNotContaining("-D" + Hubs.PROPERTY);
    }
}
