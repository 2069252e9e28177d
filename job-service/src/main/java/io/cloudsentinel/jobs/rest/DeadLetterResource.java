package io.cloudsentinel.jobs.rest;

import java.time.Instant;
import java.util.Optional;

import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponseSchema;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import io.cloudsentinel.jobs.JobState;
import io.cloudsentinel.jobs.service.JobControl;
import io.cloudsentinel.jobs.service.JobQueries;
import io.cloudsentinel.platform.tenant.CurrentTenantContext;
import io.cloudsentinel.platform.tenant.Roles;
import io.smallrye.mutiny.Uni;

/** {@code /api/v1/jobs/dlq}: the tenant's dead jobs, and their replays (tenant admins). */
@Path("/api/v1/jobs/dlq")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "dead-letters", description = "The tenant's dead jobs and their replays")
public class DeadLetterResource {

    private static final String NOT_AN_ADMIN = "The caller is neither a tenant admin nor a platform admin"
            + " (forbidden)";

    /** The dead jobs of a type that died in [from, to). */
    public record BulkReplay(@NotBlank String type, @NotNull Instant from, @NotNull Instant to) {
    }

    @Schema(name = "Replayed")
    public record Replayed(long replayed) {
    }

    private final JobQueries queries;
    private final JobControl control;
    private final CurrentTenantContext context;

    public DeadLetterResource(JobQueries queries, JobControl control, CurrentTenantContext context) {
        this.queries = queries;
        this.control = control;
        this.context = context;
    }

    @GET
    @Operation(summary = "List the dead jobs", description = "The tenant's DEAD_LETTER jobs, newest first, with why"
            + " they died (deadReason) and their last error; optionally of one type. nextCursor fetches the"
            + " following page.")
    @APIResponseSchema(value = JobView.Page.class, responseDescription = "One page of dead jobs")
    @APIResponse(responseCode = "400", description = "limit is outside 1..200 or the cursor is not one this service"
            + " issued (validation-failed)")
    @APIResponse(responseCode = "403", description = NOT_AN_ADMIN)
    public Uni<JobView.Page> list(@QueryParam("type") String type, @QueryParam("cursor") String cursor,
            @QueryParam("limit") String limit) {
        requireAdmin();
        int pageSize = Paging.limit(limit);
        return queries.page(context.get().tenant(),
                new JobQueries.Filter(Optional.of(JobState.DEAD_LETTER), Optional.ofNullable(type)),
                Paging.after(cursor), Paging.rows(pageSize)).map(jobs -> Paging.page(jobs, pageSize));
    }

    @POST
    @Path("/{id}/replay")
    @Operation(summary = "Replay a dead job", description = "DEAD_LETTER → PENDING, due now, with as many attempts"
            + " again as its type allows; its attempts so far stay in its history.")
    @APIResponseSchema(value = JobView.class, responseDescription = "The job, waiting again")
    @APIResponse(responseCode = "400", description = JobResource.NOT_A_UUID)
    @APIResponse(responseCode = "403", description = NOT_AN_ADMIN)
    @APIResponse(responseCode = "404", description = JobResource.NO_SUCH_JOB)
    @APIResponse(responseCode = "409", description = "The job is not DEAD_LETTER (job-not-dead-lettered)")
    @APIResponse(responseCode = "422", description = "No handler runs the job's type any more (unknown-job-type)")
    public Uni<JobView> replay(@PathParam("id") String id) {
        requireAdmin();
        return control.replay(context.get().tenant(), JobResource.jobId(id)).map(JobView::of);
    }

    @POST
    @Path("/replay")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Replay dead jobs of a type", description = "Replays every dead job of the tenant of this"
            + " type that died at or after from and before to, as one replay each.")
    @APIResponseSchema(value = Replayed.class, responseDescription = "How many jobs were replayed")
    @APIResponse(responseCode = "400", description = "The body is not valid (validation-failed, malformed-request):"
            + " type, from or to missing, not ISO-8601 instants, or to not after from")
    @APIResponse(responseCode = "403", description = NOT_AN_ADMIN)
    @APIResponse(responseCode = "422", description = "No handler runs this type (unknown-job-type); the problem"
            + " lists the known ones")
    public Uni<Replayed> replayMany(@Valid @NotNull BulkReplay request) {
        requireAdmin();
        return control.replayDead(context.get().tenant(), request.type(),
                JobResource.storable("from", request.from()), JobResource.storable("to", request.to()))
                .map(Replayed::new);
    }

    private void requireAdmin() {
        context.get().requireAnyRole(Roles.TENANT_ADMIN, Roles.PLATFORM_ADMIN);
    }
}
