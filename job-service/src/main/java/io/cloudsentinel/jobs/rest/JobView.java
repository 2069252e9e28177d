package io.cloudsentinel.jobs.rest;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonRawValue;

import io.cloudsentinel.jobs.JobState;
import io.cloudsentinel.jobs.repository.Job;
import io.cloudsentinel.jobs.repository.JobAttempt;

/** A job as the API answers it; {@code payload} and {@code attempts} only when one job is asked for. */
@Schema(name = "Job")
public record JobView(UUID id, String type, JobState state, int priority, Instant runAt, int attempt,
        int maxAttempts, boolean cancelRequested,
        @Schema(description = "api, kafka, or event (a notification of an event)") String source,
        String lastError, String deadReason, Instant createdAt, Instant updatedAt, Instant finishedAt,
        @JsonInclude(JsonInclude.Include.NON_NULL) @JsonRawValue @Schema(type = SchemaType.OBJECT, description = PAYLOAD) String payload,
        @JsonInclude(JsonInclude.Include.NON_NULL) @Schema(description = "Every attempt, oldest first; only in the"
                + " answer for one job") List<AttemptView> attempts) {

    static final String PAYLOAD = "The job's payload; only in the answer for one job";

    /** One attempt: when it ran, how it ended and why it failed. */
    @Schema(name = "JobAttempt")
    public record AttemptView(int attempt, String worker, Instant startedAt, Instant finishedAt,
            @Schema(description = "COMPLETED, FAILED, TIMED_OUT, FATAL, LEASE_EXPIRED, CANCELLED or RELEASED;"
                    + " absent while it runs") String outcome,
            String error, String exceptionClass) {
    }

    /** A page of jobs, newest first; {@code nextCursor} is absent on the last page. */
    @Schema(name = "JobPage")
    public record Page(List<JobView> jobs, String nextCursor) {
    }

    public static JobView of(Job job) {
        return new JobView(job.id(), job.jobType(), job.state(), job.priority(), job.runAt(), job.attempt(),
                job.maxAttempts(), job.cancelRequested(), job.source(), job.lastError().orElse(null),
                job.deadReason().orElse(null), job.createdAt(), job.updatedAt(), job.finishedAt().orElse(null), null,
                null);
    }

    public static JobView withHistory(Job job, List<JobAttempt> attempts) {
        return new JobView(job.id(), job.jobType(), job.state(), job.priority(), job.runAt(), job.attempt(),
                job.maxAttempts(), job.cancelRequested(), job.source(), job.lastError().orElse(null),
                job.deadReason().orElse(null), job.createdAt(), job.updatedAt(), job.finishedAt().orElse(null),
                job.payload(), attempts.stream().map(a -> new AttemptView(a.attempt(), a.worker(), a.startedAt(),
                        a.finishedAt().orElse(null), a.outcome().orElse(null), a.error().orElse(null),
                        a.exceptionClass().orElse(null))).toList());
    }
}
