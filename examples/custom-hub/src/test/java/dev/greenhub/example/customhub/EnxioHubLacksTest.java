package dev.greenhub.example.customhub;

import static org.assertj.core.api.Assertions.assertThat;

import dev.greenhub.tck.HubCapabilities;
import dev.greenhub.tck.Tck;
import dev.greenhub.tck.TckReport;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The features the enxio hub declares it lacks are really lacking, and only those: with no lack
 * declared, the TCK's HANGUP and SOCKET_ERROR rules fail, and its closed-fd rule passes.
 */
class EnxioHubLacksTest {
    private static final HubCapabilities CLAIMING_EVERYTHING = HubCapabilities.builder(Integer.MAX_VALUE).build();

    @ParameterizedTest(name = "{0} {1} without a declared lack")
    @CsvSource({
        "R22, FAILED",   // HANGUP for a pipe whose writer closed: the selector reports READ
        "R24, FAILED",   // ERROR for a pipe whose reader closed: the selector reports WRITE
        "R26, FAILED",   // HANGUP for a socket whose peer closed: the selector reports READ
        "R28, FAILED",   // ERROR for a reset TCP connection: the selector reports READ
        "R39, PASSED",   // ERROR for an fd closed behind the hub's back: the hub maps POLLNVAL
    })
    void optionalRuleWithNoLackDeclared(String rule, TckReport.Status expected) {
        TckReport report = Tck.run(new EnxioHubProvider(), CLAIMING_EVERYTHING, List.of(rule), outcome -> { });

        assertThat(report.outcomes()).as(report.toString()).hasSize(1);
        assertThat(report.outcome(rule).status()).as(report.toString()).isEqualTo(expected);
    }
}
