package io.cloudsentinel.jobs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Random;

import org.junit.jupiter.api.Test;

/** min(cap, base × 2^(n-1)) with ±20% jitter. */
class BackoffTest {

    private final Backoff backoff = new Backoff(Duration.ofSeconds(1), Duration.ofSeconds(30));

    @Test
    void doublesFromTheBaseUpToTheCap() {
        assertThat(backoff.nominal(1)).isEqualTo(Duration.ofSeconds(1));
        assertThat(backoff.nominal(2)).isEqualTo(Duration.ofSeconds(2));
        assertThat(backoff.nominal(5)).isEqualTo(Duration.ofSeconds(16));
        assertThat(backoff.nominal(6)).isEqualTo(Duration.ofSeconds(30));
        assertThat(backoff.nominal(1_000)).isEqualTo(Duration.ofSeconds(30));
    }

    @Test
    void jitterStaysWithinTwentyPercentAndSpreads() {
        Random random = new Random(7);
        long least = Long.MAX_VALUE;
        long most = 0;
        for (int i = 0; i < 10_000; i++) {
            long millis = backoff.after(3, random).toMillis();
            least = Math.min(least, millis);
            most = Math.max(most, millis);
        }
        assertThat(least).isBetween(3_200L, 3_300L);
        assertThat(most).isBetween(4_700L, 4_800L);
    }

    @Test
    void aCapBelowTheBaseIsRefused() {
        assertThatThrownBy(() -> new Backoff(Duration.ofSeconds(2), Duration.ofSeconds(1)))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
