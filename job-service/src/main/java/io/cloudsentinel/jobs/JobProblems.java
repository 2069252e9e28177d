package io.cloudsentinel.jobs;

import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import io.cloudsentinel.platform.problem.Problem;
import io.cloudsentinel.platform.problem.ProblemException;
import io.cloudsentinel.platform.problem.ProblemTypes;

/** The problems job-service answers with, beyond the platform's. */
public final class JobProblems {

    public static final URI UNKNOWN_JOB_TYPE = ProblemTypes.of("unknown-job-type");
    public static final URI IDEMPOTENCY_KEY_REUSED = ProblemTypes.of("idempotency-key-reused");
    public static final URI PAYLOAD_TOO_LARGE = ProblemTypes.of("payload-too-large");
    public static final URI JOB_NOT_FOUND = ProblemTypes.of("job-not-found");
    public static final URI JOB_FINISHED = ProblemTypes.of("job-finished");
    public static final URI JOB_NOT_DEAD = ProblemTypes.of("job-not-dead-lettered");
    public static final URI INVALID_PAYLOAD = ProblemTypes.of("invalid-payload");

    private JobProblems() {
    }

    public static ProblemException unknownJobType(String type, Set<String> allowed) {
        return new ProblemException(Problem.of(UNKNOWN_JOB_TYPE, 422, "Unknown job type",
                "job type '" + type + "' cannot be requested here; allowed: " + String.join(", ", allowed))
                .with("jobType", type).with("allowedJobTypes", List.copyOf(allowed)));
    }

    public static ProblemException idempotencyKeyReused(String key, UUID jobId) {
        return new ProblemException(Problem.of(IDEMPOTENCY_KEY_REUSED, 409, "Idempotency key reused",
                "idempotency key '" + key + "' was used for a different request").with("jobId", jobId.toString()));
    }

    public static ProblemException payloadTooLarge(int bytes, int maximum) {
        return new ProblemException(Problem.of(PAYLOAD_TOO_LARGE, 413, "Payload too large",
                "the payload has " + bytes + " bytes of JSON; at most " + maximum + " are accepted")
                .with("bytes", bytes).with("maximumBytes", maximum));
    }

    public static ProblemException invalidPayload(String type, List<String> problems) {
        return new ProblemException(Problem.of(INVALID_PAYLOAD, 422, "Invalid payload",
                "the payload does not match the schema of job type '" + type + "': " + String.join("; ", problems))
                .with("jobType", type).with("problems", List.copyOf(problems)));
    }

    public static ProblemException jobNotFound(UUID id) {
        return new ProblemException(Problem.of(JOB_NOT_FOUND, 404, "Job not found", "no job " + id));
    }

    public static ProblemException jobFinished(UUID id, JobState state) {
        return new ProblemException(Problem.of(JOB_FINISHED, 409, "Job finished",
                "job " + id + " is " + state + " and can no longer be cancelled").with("state", state.name()));
    }

    public static ProblemException notDeadLettered(UUID id, JobState state) {
        return new ProblemException(Problem.of(JOB_NOT_DEAD, 409, "Job not dead-lettered",
                "job " + id + " is " + state + "; only DEAD_LETTER jobs are replayed").with("state", state.name()));
    }

    public static ProblemException invalid(String field, String message) {
        return new ProblemException(Problem.of(ProblemTypes.VALIDATION_FAILED, 400, "Validation failed",
                "1 field(s) are not valid").with("violations", List.of(Map.of("field", field, "message", message))));
    }
}
