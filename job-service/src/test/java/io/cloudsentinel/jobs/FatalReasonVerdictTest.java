package io.cloudsentinel.jobs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.Random;

import org.junit.jupiter.api.Test;

import io.cloudsentinel.jobs.AttemptOutcome.Kind;
import io.cloudsentinel.jobs.analysis.AnalysisFailure;
import io.cloudsentinel.jobs.handler.FatalJobException;

/** A fatal failure that names its reason is dead with that reason; one that names none is dead as {@code fatal}. */
class FatalReasonVerdictTest {

    private static final Instant NOW = Instant.parse("2026-12-01T12:00:00Z");
    private static final JobTypes.Settings TYPE = new JobTypes.Settings(Duration.ofSeconds(30), 3,
            new Backoff(Duration.ofMillis(100), Duration.ofMillis(200)), true, Optional.empty());

    private static AttemptVerdict.Verdict verdictOf(FatalJobException failure) {
        return AttemptVerdict.of(AttemptOutcome.failed(Kind.FATAL, failure).deadBecause(failure.reason()), 1, 3,
                TYPE, NOW, new Random(1));
    }

    @Test
    void aNamedReasonIsTheDeadReason() {
        AttemptVerdict.Verdict verdict = verdictOf(new AnalysisFailure(AnalysisFailure.BUDGET_EXCEEDED, "402"));

        assertThat(verdict.next()).isEqualTo(JobState.DEAD_LETTER);
        assertThat(verdict.deadReason()).hasValue("budget_exceeded");
    }

    @Test
    void anUnnamedOneIsFatal() {
        assertThat(verdictOf(new FatalJobException("the payload can never work")).deadReason()).hasValue("fatal");
    }

    @Test
    void aReasonIsACodeNotText() {
        assertThatThrownBy(() -> new AnalysisFailure("Budget exceeded!", "402"))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
