package io.cloudsentinel.testing;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The cross-check's figures are read from pgbench's own output. */
class PgbenchTest {

    private static final String OUTPUT = """
            pgbench (15.10 (Debian 15.10-0+deb12u1))
            transaction type: /tmp/bench-1.pgbench
            scaling factor: 1
            query mode: prepared
            number of clients: 16
            number of threads: 2
            maximum number of tries: 1
            duration: 20 s
            number of transactions actually processed: 49040
            number of failed transactions: 3 (0.006%)
            latency average = 6.525 ms
            initial connection time = 28.113 ms
            tps = 2452.186123 (without initial connection time)
            """;

    @Test
    void transactionsPerSecondAndFailuresAreRead() {
        Pgbench.Result result = Pgbench.parse(OUTPUT);

        assertThat(result.transactionsPerSecond()).isEqualTo(2452.186123);
        assertThat(result.failed()).isEqualTo(3);
    }

    @Test
    void anOutputWithoutARateIsNaN() {
        assertThat(Pgbench.parse("pgbench: error: connection to server failed").transactionsPerSecond()).isNaN();
    }
}
