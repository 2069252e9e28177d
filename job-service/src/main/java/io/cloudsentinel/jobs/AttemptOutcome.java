package io.cloudsentinel.jobs;

import java.time.Duration;
import java.util.Optional;

/**
 * What happened to one attempt, as recorded in {@code job_attempts.outcome}; {@code retryAfter} is the least wait
 * before a retry that the handler asked for ({@link io.cloudsentinel.jobs.handler.RetryAfterException}), and
 * {@code fatalReason} the dead reason a fatal failure named ({@link io.cloudsentinel.jobs.handler.FatalJobException}).
 */
public record AttemptOutcome(Kind kind, Optional<String> error, Optional<String> exceptionClass,
        Optional<Duration> retryAfter, Optional<String> fatalReason) {

    public AttemptOutcome(Kind kind, Optional<String> error, Optional<String> exceptionClass) {
        this(kind, error, exceptionClass, Optional.empty(), Optional.empty());
    }

    /** The same outcome, its retry due no sooner than {@code delay} after the attempt ended. */
    public AttemptOutcome retryingNoSoonerThan(Duration delay) {
        return new AttemptOutcome(kind, error, exceptionClass, Optional.of(delay), fatalReason);
    }

    /** The same fatal outcome, dead with the handler's own reason code. */
    public AttemptOutcome deadBecause(String reason) {
        return new AttemptOutcome(kind, error, exceptionClass, retryAfter, Optional.of(reason));
    }

    public enum Kind {
        /** The handler succeeded. */
        COMPLETED,
        /** The handler failed in a way a retry may mend. */
        FAILED,
        /** The handler said no retry can mend it. */
        FATAL,
        /** The type's timeout fired and the work was stopped. */
        TIMED_OUT,
        /** The worker stopped beating or ran past the deadline; the rescuer ended the attempt. */
        LEASE_EXPIRED,
        /** A user cancelled the job while it ran. */
        CANCELLED,
        /** The worker shut down before the attempt ended and gave the job back. */
        RELEASED
    }

    public static AttemptOutcome of(Kind kind) {
        return new AttemptOutcome(kind, Optional.empty(), Optional.empty());
    }

    /** The longest error text kept: it goes to job_attempts, the API and the dead letter's header. */
    public static final int MAX_ERROR_LENGTH = 2_000;

    /**
     * The failure's message as it is recorded: without the NUL characters PostgreSQL text cannot hold (one would fail
     * the statement that ends the attempt, and the batch with it, on every retry) and cut to
     * {@link #MAX_ERROR_LENGTH}, so that no handler's message can bloat a row or a Kafka header.
     */
    public static AttemptOutcome failed(Kind kind, Throwable failure) {
        String message = failure.getMessage() == null ? failure.getClass().getSimpleName() : failure.getMessage();
        return new AttemptOutcome(kind, Optional.of(recordable(message)),
                Optional.of(recordable(failure.getClass().getName())));
    }

    static String recordable(String text) {
        String clean = text.indexOf('\0') < 0 ? text : text.replace("\0", "");
        if (clean.length() <= MAX_ERROR_LENGTH) {
            return clean;
        }
        int end = MAX_ERROR_LENGTH - 1;
        // never half a surrogate pair
        if (Character.isHighSurrogate(clean.charAt(end - 1))) {
            end--;
        }
        return clean.substring(0, end) + "…";
    }
}
