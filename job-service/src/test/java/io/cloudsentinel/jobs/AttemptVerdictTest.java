package io.cloudsentinel.jobs;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.Random;

import org.junit.jupiter.api.Test;

import io.cloudsentinel.jobs.AttemptOutcome.Kind;

/** Where a job goes after each kind of attempt end. */
class AttemptVerdictTest {

    private static final Instant NOW = Instant.parse("2026-12-01T12:00:00Z");
    private static final JobTypes.Settings IDEMPOTENT = settings(true);
    private static final JobTypes.Settings NOT_IDEMPOTENT = settings(false);

    @Test
    void aFailureBeforeTheLastAttemptIsRetriedAfterItsBackoff() {
        AttemptVerdict.Verdict verdict = verdict(Kind.FAILED, 2, IDEMPOTENT);
        assertThat(verdict.next()).isEqualTo(JobState.RETRY_SCHEDULED);
        // attempt 2: base 1 s doubled once, ±20%
        assertThat(verdict.retryAt()).hasValueSatisfying(at -> assertThat(Duration.between(NOW, at))
                .isBetween(Duration.ofMillis(1_600), Duration.ofMillis(2_400)));
    }

    @Test
    void theLastAttemptsFailureIsExhausted() {
        assertThat(verdict(Kind.FAILED, 3, IDEMPOTENT).deadReason()).hasValue(AttemptVerdict.EXHAUSTED);
        assertThat(verdict(Kind.TIMED_OUT, 3, IDEMPOTENT).deadReason()).hasValue(AttemptVerdict.EXHAUSTED);
    }

    @Test
    void aFatalFailureIsDeadAtOnce() {
        assertThat(verdict(Kind.FATAL, 1, IDEMPOTENT).deadReason()).hasValue(AttemptVerdict.FATAL);
    }

    @Test
    void aTypeThatIsNotIdempotentIsNotRetriedAfterAnAttemptThatMayHaveRun() {
        assertThat(verdict(Kind.TIMED_OUT, 1, NOT_IDEMPOTENT).deadReason()).hasValue(AttemptVerdict.LEASE_LOST);
        assertThat(verdict(Kind.LEASE_EXPIRED, 1, NOT_IDEMPOTENT).deadReason()).hasValue(AttemptVerdict.LEASE_LOST);
        // a plain failure said it did not finish: retried as usual
        assertThat(verdict(Kind.FAILED, 1, NOT_IDEMPOTENT).next()).isEqualTo(JobState.RETRY_SCHEDULED);
        assertThat(verdict(Kind.TIMED_OUT, 1, IDEMPOTENT).next()).isEqualTo(JobState.RETRY_SCHEDULED);
    }

    @Test
    void completedCancelledAndReleasedGoWhereTheySay() {
        assertThat(verdict(Kind.COMPLETED, 3, IDEMPOTENT).next()).isEqualTo(JobState.COMPLETED);
        assertThat(verdict(Kind.CANCELLED, 1, IDEMPOTENT).next()).isEqualTo(JobState.CANCELLED);
        AttemptVerdict.Verdict released = verdict(Kind.RELEASED, 3, IDEMPOTENT);
        assertThat(released.next()).isEqualTo(JobState.RETRY_SCHEDULED);
        assertThat(released.retryAt()).hasValue(NOW);
    }

    private static AttemptVerdict.Verdict verdict(Kind kind, int attempt, JobTypes.Settings type) {
        return AttemptVerdict.of(kind, attempt, 3, type, NOW, new Random(1));
    }

    private static JobTypes.Settings settings(boolean idempotent) {
        return new JobTypes.Settings(Duration.ofSeconds(30), 3,
                new Backoff(Duration.ofSeconds(1), Duration.ofMinutes(5)), idempotent, Optional.empty());
    }
}
