package io.cloudsentinel.jobs;

import java.util.Optional;

/** What happened to one attempt, as recorded in {@code job_attempts.outcome}. */
public record AttemptOutcome(Kind kind, Optional<String> error, Optional<String> exceptionClass) {

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

    public static AttemptOutcome failed(Kind kind, Throwable failure) {
        String message = failure.getMessage() == null ? failure.getClass().getSimpleName() : failure.getMessage();
        return new AttemptOutcome(kind, Optional.of(message), Optional.of(failure.getClass().getName()));
    }
}
