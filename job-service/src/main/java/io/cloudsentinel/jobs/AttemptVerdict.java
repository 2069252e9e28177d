package io.cloudsentinel.jobs;

import java.time.Instant;
import java.util.Optional;
import java.util.random.RandomGenerator;

/**
 * Where a job goes after an attempt: completed, cancelled, retried after its backoff, or dead with a fixed reason
 * ({@code fatal}, {@code exhausted}, {@code lease_lost}). A type that is not idempotent is not retried after an attempt
 * that may have done its work without reporting it (a timeout, a lost lease): it is dead with {@code lease_lost},
 * for a person to replay.
 */
public final class AttemptVerdict {

    public static final String FATAL = "fatal";
    public static final String EXHAUSTED = "exhausted";
    public static final String LEASE_LOST = "lease_lost";

    /** The next state, when to run again for a retry, and the reason for a dead letter. */
    public record Verdict(JobState next, Optional<Instant> retryAt, Optional<String> deadReason) {
    }

    private AttemptVerdict() {
    }

    public static Verdict of(AttemptOutcome.Kind outcome, int attempt, int maxAttempts, JobTypes.Settings type,
            Instant now, RandomGenerator random) {
        return switch (outcome) {
            case COMPLETED -> new Verdict(JobState.COMPLETED, Optional.empty(), Optional.empty());
            case CANCELLED -> new Verdict(JobState.CANCELLED, Optional.empty(), Optional.empty());
            // given back at shutdown: another worker takes it at once
            case RELEASED -> new Verdict(JobState.RETRY_SCHEDULED, Optional.of(now), Optional.empty());
            case FATAL -> dead(FATAL);
            case TIMED_OUT, LEASE_EXPIRED -> type.idempotent() ? retryOrExhausted(attempt, maxAttempts, type, now,
                    random) : dead(LEASE_LOST);
            case FAILED -> retryOrExhausted(attempt, maxAttempts, type, now, random);
        };
    }

    /**
     * As {@link #of(AttemptOutcome.Kind, int, int, JobTypes.Settings, Instant, RandomGenerator)}, and a retry is
     * due no sooner than the outcome's {@code retryAfter}; a fatal outcome that names its reason is dead with it.
     */
    public static Verdict of(AttemptOutcome outcome, int attempt, int maxAttempts, JobTypes.Settings type,
            Instant now, RandomGenerator random) {
        Verdict verdict = of(outcome.kind(), attempt, maxAttempts, type, now, random);
        if (outcome.kind() == AttemptOutcome.Kind.FATAL && outcome.fatalReason().isPresent()) {
            return dead(outcome.fatalReason().get());
        }
        if (verdict.retryAt().isEmpty() || outcome.retryAfter().isEmpty()) {
            return verdict;
        }
        Instant noSooner = now.plus(outcome.retryAfter().get());
        return noSooner.isAfter(verdict.retryAt().get())
                ? new Verdict(verdict.next(), Optional.of(noSooner), verdict.deadReason())
                : verdict;
    }

    private static Verdict retryOrExhausted(int attempt, int maxAttempts, JobTypes.Settings type, Instant now,
            RandomGenerator random) {
        if (attempt >= maxAttempts) {
            return dead(EXHAUSTED);
        }
        return new Verdict(JobState.RETRY_SCHEDULED, Optional.of(now.plus(type.backoff().after(attempt, random))),
                Optional.empty());
    }

    private static Verdict dead(String reason) {
        return new Verdict(JobState.DEAD_LETTER, Optional.empty(), Optional.of(reason));
    }
}
