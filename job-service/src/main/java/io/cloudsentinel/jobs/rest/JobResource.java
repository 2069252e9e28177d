package io.cloudsentinel.jobs.rest;

import java.time.Instant;
import java.util.Arrays;
import java.util.Optional;
import java.util.UUID;
import java.util.regex.Pattern;

import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponseSchema;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.cloudsentinel.jobs.JobProblems;
import io.cloudsentinel.jobs.JobState;
import io.cloudsentinel.jobs.service.JobControl;
import io.cloudsentinel.jobs.service.JobQueries;
import io.cloudsentinel.jobs.service.JobSubmissions;
import io.cloudsentinel.platform.tenant.CurrentTenantContext;
import io.cloudsentinel.platform.tenant.Roles;
import io.smallrye.mutiny.Uni;

/** {@code /api/v1/jobs}: the caller's tenant's jobs — request one, read them, cancel one. */
@Path("/api/v1/jobs")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "jobs", description = "The caller's tenant's background jobs")
public class JobResource {

    private static final Pattern IDEMPOTENCY_KEY = Pattern.compile("[\\x21-\\x7e]{1,200}");
    private static final Instant EARLIEST = Instant.EPOCH;
    private static final Instant LATEST = Instant.parse("9999-12-31T23:59:59Z");
    static final String NOT_A_TENANT_USER = "The caller is not a user or admin of the tenant (forbidden)";
    static final String NO_SUCH_JOB = "The tenant has no such job (job-not-found)";
    static final String NOT_A_UUID = "The job id is not a UUID (validation-failed)";
    private static final String PAYLOAD = "A JSON object for the handler; {} when absent";
    private static final String STOPPING = "The job runs; its worker is asked to stop it";

    /** {@code runAt} absent means now; {@code priority} runs higher first among the tenant's jobs of the type. */
    @Schema(name = "JobSubmission")
    public record Submission(@NotBlank String type,
            @Schema(type = SchemaType.OBJECT, description = PAYLOAD) JsonNode payload,
            @Schema(description = "When the job is due, ISO-8601; now when absent") Instant runAt,
            @Min(-100) @Max(100) @Schema(description = "-100 to 100, 0 when absent") Integer priority) {
    }

    private final JobSubmissions submissions;
    private final JobQueries queries;
    private final JobControl control;
    private final CurrentTenantContext context;

    public JobResource(JobSubmissions submissions, JobQueries queries, JobControl control,
            CurrentTenantContext context) {
        this.submissions = submissions;
        this.queries = queries;
        this.control = control;
        this.context = context;
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Request a job", description = "Queues a job of a type tenants may request, due at runAt"
            + " (now when absent). The Idempotency-Key header names the request: sent again with the same body it"
            + " answers the same job (200), with another body it is refused (409).")
    @APIResponseSchema(value = JobView.class, responseCode = "201", responseDescription = "The job is queued")
    @APIResponse(responseCode = "200", description = "The job an earlier request with this idempotency key and this"
            + " body made", content = @Content(schema = @Schema(implementation = JobView.class)))
    @APIResponse(responseCode = "400", description = "The body or the Idempotency-Key header is not valid"
            + " (validation-failed, malformed-request): no type, a priority outside -100..100, a payload that is not"
            + " an object, runAt not an ISO-8601 instant, a key that is not 1 to 200 visible ASCII characters")
    @APIResponse(responseCode = "403", description = NOT_A_TENANT_USER)
    @APIResponse(responseCode = "409", description = "The idempotency key was used for a different request"
            + " (idempotency-key-reused)")
    @APIResponse(responseCode = "413", description = "The payload is larger than cs.jobs.ingestion.max-record-bytes"
            + " (payload-too-large)")
    @APIResponse(responseCode = "422", description = "No handler runs this type, or tenants may not request it"
            + " (unknown-job-type); the problem lists the types they may")
    public Uni<Response> submit(@HeaderParam("Idempotency-Key") String idempotencyKey,
            @Valid @NotNull Submission request) {
        context.get().requireAnyRole(Roles.TENANT_USER, Roles.TENANT_ADMIN);
        if (idempotencyKey == null || !IDEMPOTENCY_KEY.matcher(idempotencyKey).matches()) {
            throw JobProblems.invalid("Idempotency-Key",
                    "header is required: 1 to 200 visible ASCII characters that name this request");
        }
        ObjectNode payload = payload(request.payload());
        Optional<Instant> runAt = Optional.ofNullable(request.runAt()).map(at -> storable("runAt", at));
        int priority = request.priority() == null ? 0 : request.priority();
        return submissions.submit(context.get().tenant(), new JobSubmissions.Submission(request.type(), payload,
                priority, runAt, idempotencyKey))
                .map(submitted -> Response.status(submitted.created() ? 201 : 200)
                        .entity(JobView.of(submitted.job())).build());
    }

    @GET
    @Path("/{id}")
    @Operation(summary = "Show a job and its attempts", description = "The job's state, payload and schedule, and"
            + " every attempt so far: when it ran, how it ended, the error and exception class of a failure.")
    @APIResponseSchema(value = JobView.class, responseDescription = "The job with its attempts")
    @APIResponse(responseCode = "400", description = NOT_A_UUID)
    @APIResponse(responseCode = "403", description = NOT_A_TENANT_USER)
    @APIResponse(responseCode = "404", description = NO_SUCH_JOB)
    public Uni<JobView> get(@PathParam("id") String id) {
        requireTenantUser();
        return queries.history(context.get().tenant(), jobId(id))
                .map(history -> JobView.withHistory(history.job(), history.attempts()));
    }

    @GET
    @Operation(summary = "List the tenant's jobs", description = "Newest first, optionally of one state and one"
            + " type; nextCursor fetches the following page and is absent on the last.")
    @APIResponseSchema(value = JobView.Page.class, responseDescription = "One page of jobs")
    @APIResponse(responseCode = "400", description = "state is not a job state, limit is outside 1..200, or the"
            + " cursor is not one this service issued (validation-failed)")
    @APIResponse(responseCode = "403", description = NOT_A_TENANT_USER)
    public Uni<JobView.Page> list(@QueryParam("state") String state, @QueryParam("type") String type,
            @QueryParam("cursor") String cursor, @QueryParam("limit") String limit) {
        requireTenantUser();
        int pageSize = Paging.limit(limit);
        JobQueries.Filter filter = new JobQueries.Filter(Optional.ofNullable(state).map(JobResource::state),
                Optional.ofNullable(type));
        return queries.page(context.get().tenant(), filter, Paging.after(cursor), Paging.rows(pageSize))
                .map(jobs -> Paging.page(jobs, pageSize));
    }

    @POST
    @Path("/{id}/cancel")
    @Operation(summary = "Cancel a job", description = "A waiting job (PENDING, RETRY_SCHEDULED) is CANCELLED at"
            + " once (200). A RUNNING one is asked to stop (202, cancelRequested): its worker stops it within a"
            + " heartbeat.")
    @APIResponseSchema(value = JobView.class, responseDescription = "The job is cancelled")
    @APIResponse(responseCode = "202", description = STOPPING, content = @Content(schema = @Schema(implementation = JobView.class)))
    @APIResponse(responseCode = "400", description = NOT_A_UUID)
    @APIResponse(responseCode = "403", description = NOT_A_TENANT_USER)
    @APIResponse(responseCode = "404", description = NO_SUCH_JOB)
    @APIResponse(responseCode = "409", description = "The job has finished: COMPLETED, DEAD_LETTER or CANCELLED"
            + " (job-finished)")
    public Uni<Response> cancel(@PathParam("id") String id) {
        requireTenantUser();
        return control.cancel(context.get().tenant(), jobId(id)).map(cancelled -> Response
                .status(cancelled.stopping() ? 202 : 200).entity(JobView.of(cancelled.job())).build());
    }

    private void requireTenantUser() {
        context.get().requireAnyRole(Roles.TENANT_USER, Roles.TENANT_ADMIN, Roles.PLATFORM_ADMIN);
    }

    static UUID jobId(String id) {
        try {
            return UUID.fromString(id);
        } catch (IllegalArgumentException e) {
            throw JobProblems.invalid("id", "is not a job id (a UUID)");
        }
    }

    /** An instant PostgreSQL stores and a job may mean: from the epoch to the end of year 9999. */
    static Instant storable(String field, Instant at) {
        if (at.isBefore(EARLIEST) || at.isAfter(LATEST)) {
            throw JobProblems.invalid(field, "must be between " + EARLIEST + " and " + LATEST);
        }
        return at;
    }

    private static JobState state(String text) {
        try {
            return JobState.valueOf(text);
        } catch (IllegalArgumentException e) {
            throw JobProblems.invalid("state", "must be one of " + Arrays.toString(JobState.values()));
        }
    }

    private static ObjectNode payload(JsonNode payload) {
        if (payload == null || payload.isNull()) {
            return JsonNodeFactory.instance.objectNode();
        }
        if (payload instanceof ObjectNode object) {
            return object;
        }
        throw JobProblems.invalid("payload", "must be a JSON object");
    }
}
