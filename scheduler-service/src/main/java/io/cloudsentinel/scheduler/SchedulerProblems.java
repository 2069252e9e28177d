package io.cloudsentinel.scheduler;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;

import io.cloudsentinel.platform.problem.Problem;
import io.cloudsentinel.platform.problem.ProblemException;
import io.cloudsentinel.platform.problem.ProblemTypes;

/** The scheduler's problem+json answers. */
public final class SchedulerProblems {

    public static final URI UNKNOWN_JOB_TYPE = ProblemTypes.of("unknown-job-type");
    public static final URI INTERVAL_OUT_OF_RANGE = ProblemTypes.of("interval-out-of-range");
    public static final URI IDEMPOTENCY_KEY_REUSED = ProblemTypes.of("idempotency-key-reused");

    private SchedulerProblems() {
    }

    public static ProblemException unknownJobType(String jobType, Set<String> known) {
        return new ProblemException(Problem.of(UNKNOWN_JOB_TYPE, 404, "Unknown job type",
                "no tier schedules job type '" + jobType + "'").with("jobType", jobType)
                .with("knownJobTypes", List.copyOf(known)));
    }

    public static ProblemException intervalOutOfRange(Duration interval, Duration min, Duration max) {
        return new ProblemException(Problem.of(INTERVAL_OUT_OF_RANGE, 422, "Interval out of range",
                "interval " + interval + " is outside " + min + " .. " + max)
                .with("interval", interval.toString()).with("minimum", min.toString())
                .with("maximum", max.toString()));
    }

    public static ProblemException idempotencyKeyReused(String key, String firstJobType) {
        return new ProblemException(Problem.of(IDEMPOTENCY_KEY_REUSED, 422, "Idempotency key reused",
                "idempotency key '" + key + "' was used to run job type '" + firstJobType + "'"));
    }

    public static ProblemException invalid(String field, String message) {
        return new ProblemException(Problem.of(ProblemTypes.VALIDATION_FAILED, 400, "Validation failed",
                "1 field(s) are not valid").with("violations", List.of(Map.of("field", field, "message", message))));
    }
}
