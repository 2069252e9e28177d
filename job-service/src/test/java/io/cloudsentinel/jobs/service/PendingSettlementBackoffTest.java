package io.cloudsentinel.jobs.service;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;

import org.junit.jupiter.api.Test;

/** A kept settlement's retries: the sweep interval, doubling, never more than ten minutes apart. */
class PendingSettlementBackoffTest {

    @Test
    void theWaitDoublesFromTheIntervalUpToTenMinutes() {
        Duration interval = Duration.ofSeconds(30);
        assertThat(PendingSettlementRetry.retryDelay(interval, 1)).isEqualTo(Duration.ofSeconds(30));
        assertThat(PendingSettlementRetry.retryDelay(interval, 2)).isEqualTo(Duration.ofMinutes(1));
        assertThat(PendingSettlementRetry.retryDelay(interval, 5)).isEqualTo(Duration.ofMinutes(8));
        assertThat(PendingSettlementRetry.retryDelay(interval, 6)).isEqualTo(Duration.ofMinutes(10));
        assertThat(PendingSettlementRetry.retryDelay(interval, 10_000)).isEqualTo(Duration.ofMinutes(10));
    }

    @Test
    void anIntervalAboveTheCapIsTheWait() {
        assertThat(PendingSettlementRetry.retryDelay(Duration.ofMinutes(15), 3)).isEqualTo(Duration.ofMinutes(15));
    }
}
