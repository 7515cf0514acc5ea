package dev.greenhub.tck.selftest;

import static org.assertj.core.api.Assertions.assertThat;

import dev.greenhub.hub.HubProvider;
import dev.greenhub.hub.poll.PollHubProvider;
import dev.greenhub.tck.HubCapabilities;
import dev.greenhub.tck.Tck;
import dev.greenhub.tck.TckReport;
import dev.greenhub.tck.TckReport.Status;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A kit that cannot fail is worthless: each deliberately broken hub must fail the rules that
 * check what it breaks, and still pass control rules it does not break (so the failures are not
 * a side effect of, say, every rule failing).
 */
class BrokenHubsFailTest {

    private static TckReport run(HubProvider broken, String... ids) {
        HubCapabilities pollCapabilities = HubCapabilities.load(new PollHubProvider());
        return Tck.run(broken, pollCapabilities, List.of(ids), o -> { });
    }

    private static void assertOutcomes(TckReport report, List<String> failing, List<String> passing) {
        assertThat(report.ids(Status.FAILED)).as("failed rules of %s:%n%s", report.hubName(), report)
                .containsExactlyInAnyOrderElementsOf(failing);
        assertThat(report.ids(Status.PASSED)).as("passed rules of %s:%n%s", report.hubName(), report)
                .containsExactlyInAnyOrderElementsOf(passing);
        assertThat(report.conforms()).as("conforms()").isFalse();
    }

    @Test
    void aHubThatIgnoresWakeupFailsTheWakeupRules() {
        TckReport report = run(new BrokenHubs.IgnoresWakeup(), "R04", "R07", "R33", "R34", "R35", "R36", "R59", "R63");
        assertOutcomes(report, List.of("R33", "R34", "R35", "R36", "R63"), List.of("R04", "R07", "R59"));
        assertThat(report.outcome("R33").message()).contains("watchdog");
    }

    @Test
    void aHubThatReturnsBeforeItsTimeoutFailsTheNeverEarlyRules() {
        TckReport report = run(new BrokenHubs.ReturnsEarly(), "R04", "R29", "R30", "R35", "R54");
        assertOutcomes(report, List.of("R30", "R35", "R54"), List.of("R04", "R29"));
        assertThat(report.outcome("R30").message()).contains("must not return before its timeout");
    }

    @Test
    void aHubThatDropsEventsBeyondTheFirstFewFdsFailsTheManyFdsAndCountRules() {
        TckReport report = run(new BrokenHubs.DropsEvents(), "R04", "R18", "R20", "R38", "R46");
        assertOutcomes(report, List.of("R20", "R38", "R46"), List.of("R04", "R18"));
        assertThat(report.outcome("R38").message()).contains("never reported");
    }

    @Test
    void aHubThatLeaksAnFdPerOpenFailsTheCloseRuleAndTheLeakCheck() {
        TckReport report = run(new BrokenHubs.LeaksFds(), "R04", "R52", "R65");
        assertOutcomes(report, List.of("R04", "R52", "R65"), List.of());
        assertThat(report.outcome("R52").message()).contains("open fds after open/close cycle");
        assertThat(report.outcome("R04").message()).contains("fds left open").contains("pipe:");
    }

    @Test
    void aHubThatReportsWriteAsReadFailsTheWriteRules() {
        TckReport report = run(new BrokenHubs.WriteAsRead(), "R04", "R05", "R06", "R09", "R11", "R12", "R15", "R59", "R60");
        assertOutcomes(report, List.of("R05", "R06", "R09", "R11", "R12", "R15", "R60"), List.of("R04", "R59"));
        assertThat(report.outcome("R05").message()).contains("was not asked for");
    }

    @Test
    void theRealPollHubPassesEveryRequiredRule() {
        HubProvider poll = new PollHubProvider();
        TckReport report = Tck.run(poll, HubCapabilities.load(poll));
        assertThat(report.requiredFailures()).as("required rules the poll hub fails:%n%s", report).isEmpty();
        assertThat(report.count(Status.FAILED)).as("failed rules:%n%s", report).isZero();
        assertThat(report.count(Status.PASSED)).as("passed rules").isEqualTo(report.outcomes().size());
        assertThat(report.outcomes()).hasSizeGreaterThanOrEqualTo(30);
        assertThat(report.summaryLine()).isEqualTo(report.outcomes().size() + " passed, 0 failed, 0 skipped");
    }

    @Test
    void anOptionalRuleTheHubDeclaresLackingIsSkippedWithTheReason() {
        HubProvider poll = new PollHubProvider();
        HubCapabilities lacksHangup = HubCapabilities.load(poll).toBuilder()
                .lacks(dev.greenhub.tck.Feature.HANGUP).build();
        TckReport report = Tck.run(poll, lacksHangup, List.of("R21", "R22", "R26"), o -> { });
        assertThat(report.ids(Status.SKIPPED)).containsExactly("R22", "R26");
        assertThat(report.ids(Status.PASSED)).containsExactly("R21");
        assertThat(report.outcome("R22").line()).startsWith("SKIP R22 ").endsWith(
                ": the poll hub declares it lacks HANGUP (reports HANGUP when a socket peer or a pipe writer closes)");
        assertThat(report.conforms()).isTrue();
    }
}
