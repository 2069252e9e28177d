package io.cloudsentinel.jobs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.Random;

import org.junit.jupiter.api.Test;

import io.cloudsentinel.jobs.AttemptOutcome.Kind;
import io.cloudsentinel.jobs.handler.RetryAfterException;

/** A retry the handler asked to wait for ({@code RetryAfterException}) is due no sooner than it asked. */
class RetryAfterVerdictTest {

    private static final Instant NOW = Instant.parse("2026-12-01T12:00:00Z");
    /** 100 ms doubling up to 200 ms: far shorter than the waits asked for below. */
    private static final JobTypes.Settings SHORT_BACKOFF = new JobTypes.Settings(Duration.ofSeconds(30), 3,
            new Backoff(Duration.ofMillis(100), Duration.ofMillis(200)), true, Optional.empty());

    private static AttemptOutcome failedWaiting(Duration delay) {
        return AttemptOutcome.failed(Kind.FAILED, new RetryAfterException("answered 429", delay))
                .retryingNoSoonerThan(delay);
    }

    @Test
    void theRetryIsDueNoSoonerThanTheWaitAskedFor() {
        AttemptVerdict.Verdict verdict = AttemptVerdict.of(failedWaiting(Duration.ofSeconds(2)), 1, 3, SHORT_BACKOFF,
                NOW, new Random(1));

        assertThat(verdict.next()).isEqualTo(JobState.RETRY_SCHEDULED);
        assertThat(verdict.retryAt()).hasValue(NOW.plusSeconds(2));
    }

    @Test
    void aBackoffLongerThanTheWaitStays() {
        JobTypes.Settings longBackoff = new JobTypes.Settings(Duration.ofSeconds(30), 3,
                new Backoff(Duration.ofMinutes(1), Duration.ofMinutes(5)), true, Optional.empty());

        AttemptVerdict.Verdict verdict = AttemptVerdict.of(failedWaiting(Duration.ofSeconds(2)), 1, 3, longBackoff,
                NOW, new Random(1));

        assertThat(verdict.retryAt()).hasValueSatisfying(at -> assertThat(Duration.between(NOW, at))
                .isGreaterThanOrEqualTo(Duration.ofSeconds(48)));
    }

    @Test
    void theLastAttemptIsExhaustedWhateverTheWait() {
        AttemptVerdict.Verdict verdict = AttemptVerdict.of(failedWaiting(Duration.ofSeconds(2)), 3, 3, SHORT_BACKOFF,
                NOW, new Random(1));

        assertThat(verdict.deadReason()).hasValue(AttemptVerdict.EXHAUSTED);
        assertThat(verdict.retryAt()).isEmpty();
    }

    @Test
    void anOutcomeWithoutAWaitKeepsTheBackoff() {
        AttemptVerdict.Verdict verdict = AttemptVerdict.of(AttemptOutcome.failed(Kind.FAILED,
                new IllegalStateException("boom")), 1, 3, SHORT_BACKOFF, NOW, new Random(1));

        assertThat(verdict.retryAt()).hasValueSatisfying(at -> assertThat(Duration.between(NOW, at))
                .isLessThan(Duration.ofMillis(200)));
    }

    @Test
    void aNegativeWaitIsRefused() {
        assertThatThrownBy(() -> new RetryAfterException("answered 429", Duration.ofSeconds(-1)))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
