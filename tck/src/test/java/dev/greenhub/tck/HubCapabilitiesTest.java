package dev.greenhub.tck;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Properties;
import java.util.Set;
import org.junit.jupiter.api.Test;

class HubCapabilitiesTest {
    private final ClassLoader loader = getClass().getClassLoader();

    @Test
    void withoutAResourceTheDefaultsFollowTheFdLimit() {
        HubCapabilities unlimited = HubCapabilities.load("absent", loader, Integer.MAX_VALUE);
        assertThat(unlimited.fdLimit()).isEqualTo(Integer.MAX_VALUE);
        assertThat(unlimited.hasFiniteFdLimit()).isFalse();
        assertThat(unlimited.manyFds()).isEqualTo(10_000);
        assertThat(unlimited.timerResolution()).isEqualTo(Duration.ofMillis(1));
        assertThat(unlimited.closedFdDetection()).isEqualTo(Duration.ZERO);
        assertThat(unlimited.lacks()).isEmpty();
        HubCapabilities select = HubCapabilities.load("absent", loader, 1024);
        assertThat(select.manyFds()).isEqualTo(1_000);
        assertThat(select.hasFiniteFdLimit()).isTrue();
        assertThat(HubCapabilities.load("absent", loader, 1025).manyFds()).isEqualTo(10_000);
    }

    @Test
    void theResourceOverridesTheDefaults() {
        HubCapabilities c = HubCapabilities.load("declared", loader, 1024);
        assertThat(c.lacks()).containsExactlyInAnyOrder(Feature.HANGUP, Feature.SOCKET_ERROR);
        assertThat(c.lacks(Feature.HANGUP)).isTrue();
        assertThat(c.lacks(Feature.CLOSED_FD_DETECTION)).isFalse();
        assertThat(c.manyFds()).isEqualTo(1200);
        assertThat(c.timerResolution()).isEqualTo(Duration.ofMillis(2));
        assertThat(c.closedFdDetection()).isEqualTo(Duration.ofSeconds(1));
        assertThat(c.fdLimit()).isEqualTo(1024);
        assertThat(c.toBuilder().build()).isEqualTo(c);
        assertThat(c.toString()).contains("fdLimit=1024", "manyFds=1200", "HANGUP", "SOCKET_ERROR");
    }

    @Test
    void anEmptyLacksListLacksNothing() {
        Properties p = new Properties();
        p.setProperty("lacks", " ");
        assertThat(HubCapabilities.fromProperties(p, "test", 100).lacks()).isEmpty();
    }

    @Test
    void typosAndMalformedValuesAreErrorsNamingTheResourceKeyAndValue() {
        assertThatThrownBy(() -> HubCapabilities.load("typo", loader, 100))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("typo.properties").hasMessageContaining("unknown key 'many.fd'")
                .hasMessageContaining("many.fds");
        assertThatThrownBy(() -> HubCapabilities.load("badfeature", loader, 100))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("unknown feature 'TELEPATHY'").hasMessageContaining("HANGUP");
        assertThatThrownBy(() -> HubCapabilities.load("badnumber", loader, 100))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("many.fds").hasMessageContaining("'lots'");
        Properties negative = new Properties();
        negative.setProperty("closed.fd.detection.ms", "-5");
        assertThatThrownBy(() -> HubCapabilities.fromProperties(negative, "src", 100))
                .hasMessageContaining("closed.fd.detection.ms").hasMessageContaining("-5");
        Properties zero = new Properties();
        zero.setProperty("many.fds", "0");
        assertThatThrownBy(() -> HubCapabilities.fromProperties(zero, "src", 100)).hasMessageContaining("many.fds");
    }

    @Test
    void theBuilderChecksItsArguments() {
        assertThatThrownBy(() -> HubCapabilities.builder(0)).hasMessageContaining("fdLimit must be positive, got 0");
        assertThatThrownBy(() -> HubCapabilities.builder(10).manyFds(-1)).hasMessageContaining("-1");
        assertThatThrownBy(() -> HubCapabilities.builder(10).timerResolution(Duration.ofMillis(-1)))
                .isInstanceOf(IllegalArgumentException.class);
        HubCapabilities c = HubCapabilities.builder(10).manyFds(4).lacks(Feature.HANGUP).build();
        assertThat(c.manyFds()).isEqualTo(4);
        assertThat(c.lacks()).isEqualTo(Set.of(Feature.HANGUP));
        assertThatThrownBy(() -> c.lacks().add(Feature.SOCKET_ERROR)).isInstanceOf(UnsupportedOperationException.class);
    }

    @Test
    void theResourceNameFollowsTheContract() {
        assertThat(HubCapabilities.resourceName("epoll")).isEqualTo("META-INF/greenhub/tck/epoll.properties");
    }

    @Test
    void aMissingFileIsAWarningNamingTheFilesFoundInstead() {
        HubCapabilities c = HubCapabilities.load("absent", loader, 1024);
        assertThat(c.source()).isEqualTo("defaults: no META-INF/greenhub/tck/absent.properties on the class path");
        assertThat(c.warnings()).singleElement().asString()
                .startsWith("no capabilities file META-INF/greenhub/tck/absent.properties for the hub 'absent'")
                .contains("found instead: ").contains("META-INF/greenhub/tck/declared.properties")
                .endsWith("take fd.limit from the hub (1024)");
        assertThat(c.describe()).startsWith("capabilities: fdLimit=1024, ").endsWith(
                " (from defaults: no META-INF/greenhub/tck/absent.properties on the class path)");
    }

    @Test
    void fdLimitIsDeclaredOrWarnedAbout() {
        HubCapabilities declared = HubCapabilities.load("declared", loader, 5);
        assertThat(declared.fdLimit()).as("the declared limit wins over the hub's").isEqualTo(1024);
        assertThat(declared.warnings()).isEmpty();
        assertThat(declared.source()).endsWith("META-INF/greenhub/tck/declared.properties");
        java.util.Properties p = new java.util.Properties();
        p.setProperty("lacks", "HANGUP");
        HubCapabilities undeclared = HubCapabilities.fromProperties(p, "x.properties", 77);
        assertThat(undeclared.fdLimit()).isEqualTo(77);
        assertThat(undeclared.warnings()).singleElement().asString()
                .isEqualTo("x.properties does not declare fd.limit: taken from the hub (77); declare it (a number,"
                        + " or 'unlimited') so that R03 can check it");
        p.setProperty("fd.limit", "unlimited");
        assertThat(HubCapabilities.fromProperties(p, "x", 77).fdLimit()).isEqualTo(Integer.MAX_VALUE);
        p.setProperty("fd.limit", "0");
        assertThatThrownBy(() -> HubCapabilities.fromProperties(p, "x", 77))
                .hasMessageContaining("fd.limit must be a positive int or 'unlimited', got '0'");
        assertThat(HubCapabilities.builder(9).build().source()).isEqualTo("code");
    }
}
