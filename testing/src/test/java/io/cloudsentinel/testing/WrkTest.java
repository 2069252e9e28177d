package io.cloudsentinel.testing;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The figures the benchmarks print are read from wrk's own output. */
class WrkTest {

    private static final String OUTPUT = """
            Running 10s test @ http://127.0.0.1:8080
              2 threads and 32 connections
              Thread Stats   Avg      Stdev     Max   +/- Stdev
                Latency    14.52ms    8.31ms 120.11ms   80.12%
                Req/Sec     1.05k   120.33     1.40k    70.00%
              Latency Distribution
                 50%  850.00us
                 75%   17.10ms
                 90%   24.33ms
                 99%    1.20s
              20987 requests in 10.01s, 6.12MB read
              Non-2xx or 3xx responses: 21
            Requests/sec:   2096.60
            Transfer/sec:    626.41KB
            """;

    @Test
    void ratePercentilesInMillisAndErrorsAreRead() {
        Wrk.Result result = Wrk.parse(OUTPUT);

        assertThat(result.requestsPerSecond()).isEqualTo(2096.60);
        assertThat(result.p50Millis()).isEqualTo(0.85);
        assertThat(result.p99Millis()).isEqualTo(1200.0);
        assertThat(result.non2xx()).isEqualTo(21);
        assertThat(result.measured()).isTrue();
    }

    @Test
    void anOutputWithoutFiguresIsNotAMeasurement() {
        assertThat(Wrk.parse("unable to connect to 127.0.0.1:1 Connection refused").measured()).isFalse();
    }
}
