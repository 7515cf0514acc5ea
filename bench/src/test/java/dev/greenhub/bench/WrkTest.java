package dev.greenhub.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class WrkTest {
    private static final String REPORT = """
            Running 3s test @ http://127.0.0.1:41234/
              1 threads and 50 connections
              Thread Stats   Avg      Stdev     Max   +/- Stdev
                Latency   812.33us  301.20us   9.87ms   91.02%
                Req/Sec    61.02k     2.11k   64.80k    80.00%
              Latency Distribution
                 50%  750.00us
                 75%  900.12us
                 90%    1.02ms
                 99%    1.50ms
              182345 requests in 3.00s, 21.22MB read
            Requests/sec:  60781.66
            Transfer/sec:      7.07MB
            """;

    @Test
    void readsRateTotalAndPercentilesInMicroseconds() {
        assertThat(Wrk.parse(REPORT)).containsEntry("requests_per_s", "60782").containsEntry("p50_us", "750.0")
                .containsEntry("p99_us", "1500.0").containsEntry("requests", "182345").containsEntry("socket_errors", "0");
    }

    @Test
    void socketErrorsAreCounted() {
        assertThat(Wrk.parse(REPORT.replace("Requests/sec",
                "  Socket errors: connect 1, read 3, write 0, timeout 2\nRequests/sec"))).containsEntry("socket_errors", "6");
    }

    @Test
    void aServerThatAnswersWronglyHasNoRate() {
        assertThatThrownBy(() -> Wrk.parse(REPORT.replace("Requests/sec", "  Non-2xx or 3xx responses: 7\nRequests/sec")))
                .hasMessageContaining("answered 7 requests with a status other than 2xx/3xx");
        assertThatThrownBy(() -> Wrk.parse("unable to connect to 127.0.0.1:1 Connection refused"))
                .hasMessageContaining("wrk printed no request rate");
        assertThatThrownBy(() -> Wrk.parse(REPORT.replace("99%", "98%")))
                .hasMessageContaining("no latency distribution");
    }
}
