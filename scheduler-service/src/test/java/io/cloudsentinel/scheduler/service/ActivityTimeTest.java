package io.cloudsentinel.scheduler.service;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;

import org.junit.jupiter.api.Test;

/** Which time an activity counts at, as plain Java: a producer's fast clock buys no more than a minute. */
class ActivityTimeTest {

    private static final Instant NOW = Instant.parse("2026-11-22T01:00:00Z");

    @Test
    void aPastOrPresentActivityCountsWhenItHappened() {
        assertThat(ActivityRecorder.activityTime(NOW, NOW)).isEqualTo(NOW);
        Instant monthAgo = NOW.minus(Duration.ofDays(30));
        assertThat(ActivityRecorder.activityTime(monthAgo, NOW)).isEqualTo(monthAgo);
    }

    @Test
    void upToAMinuteAheadIsTakenAsItCame() {
        Instant aMinuteAhead = NOW.plus(ActivityRecorder.MAX_FUTURE_SKEW);
        assertThat(ActivityRecorder.activityTime(aMinuteAhead, NOW)).isEqualTo(aMinuteAhead);
        assertThat(ActivityRecorder.activityTime(NOW.plusSeconds(30), NOW)).isEqualTo(NOW.plusSeconds(30));
    }

    @Test
    void furtherAheadCountsAsNow() {
        assertThat(ActivityRecorder.activityTime(NOW.plus(ActivityRecorder.MAX_FUTURE_SKEW).plusNanos(1), NOW))
                .isEqualTo(NOW);
        assertThat(ActivityRecorder.activityTime(NOW.plus(Duration.ofDays(365)), NOW)).isEqualTo(NOW);
    }
}
