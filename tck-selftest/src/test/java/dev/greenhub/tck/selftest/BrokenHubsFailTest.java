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
 * What a failing rule tells the hub author: its message names the fault. (Which rules each broken
 * hub fails is {@link MutationTest}'s table; here one rule each, for its message.) Also the report
 * of a real hub, and an optional rule skipped for a feature the hub lacks.
 */
class BrokenHubsFailTest {

    private static TckReport.Outcome failedRule(BrokenProvider broken, String id) {
        TckReport report = Tck.run(broken, broken.claimedCapabilities(), List.of(id), o -> { });
        assertThat(report.ids(Status.FAILED)).as("failed rules of %s:%n%s", report.hubName(), report)
                .containsExactly(id);
        assertThat(report.conforms()).as("conforms()").isFalse();
        return report.outcome(id);
    }

    @Test
    void aPollThatIgnoresWakeupIsEndedByTheWatchdogAndSaysSo() {
        assertThat(failedRule(new BrokenHubs.IgnoresWakeup(), "R33").message()).contains("watchdog");
    }

    @Test
    void anEarlyReturnIsNamedAsSuch() {
        assertThat(failedRule(new BrokenHubs.ReturnsEarly(), "R30").message())
                .contains("must not return before its timeout");
    }

    @Test
    void aDroppedReportIsNamedAsNeverReported() {
        assertThat(failedRule(new BrokenHubs.DropsEvents(), "R38").message()).contains("never reported");
    }

    @Test
    void aLeakedFdIsNamedWithItsKind() {
        assertThat(failedRule(new BrokenHubs.LeaksFds(), "R52").message()).contains("open fds after open/close cycle");
        assertThat(failedRule(new BrokenHubs.LeaksFds(), "R04").message()).contains("fds left open").contains("pipe:");
    }

    @Test
    void readinessNotAskedForIsNamed() {
        assertThat(failedRule(new BrokenHubs.WriteAsRead(), "R05").message()).contains("was not asked for");
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
