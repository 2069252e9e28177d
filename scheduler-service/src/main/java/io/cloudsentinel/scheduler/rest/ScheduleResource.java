package io.cloudsentinel.scheduler.rest;

import java.time.DateTimeException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.regex.Pattern;

import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponseSchema;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import io.cloudsentinel.platform.tenant.CurrentTenantContext;
import io.cloudsentinel.platform.tenant.Roles;
import io.cloudsentinel.scheduler.SchedulerProblems;
import io.cloudsentinel.scheduler.Tier;
import io.cloudsentinel.scheduler.service.ScheduleBook;
import io.smallrye.mutiny.Uni;

/** {@code /api/v1/schedules/me}: the caller's tenant's schedules. */
@Path("/api/v1/schedules/me")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "schedules", description = "The caller's tenant's schedules and its manual runs")
public class ScheduleResource {

    private static final Pattern IDEMPOTENCY_KEY = Pattern.compile("[\\x21-\\x7e]{1,200}");

    private static final String NOT_AN_ADMIN = "The caller is neither a tenant admin nor a platform admin (forbidden)";
    private static final String UNKNOWN_JOB_TYPE = "No tier schedules this job type (unknown-job-type); the problem"
            + " lists the known ones";

    /** {@code interval}: ISO-8601 (PT2H); absent or null follows the tier. */
    public record ScheduleUpdate(@NotNull Boolean enabled, String interval) {
    }

    public record ScheduleView(String jobType, boolean enabled, String interval, String intervalOverride,
            boolean emitted, Instant nextRunAt, Instant lastSlotStart) {
    }

    public record SchedulesView(UUID tenantId, Tier tier, Instant lastActivityAt, List<ScheduleView> schedules) {
    }

    public record RunView(UUID jobId, String jobType, String dedupKey, Instant requestedAt) {
    }

    private final ScheduleBook book;
    private final CurrentTenantContext context;

    public ScheduleResource(ScheduleBook book, CurrentTenantContext context) {
        this.book = book;
        this.context = context;
    }

    @GET
    @Operation(summary = "List the tenant's schedules", description = "The tenant's tier, its last activity, and for"
            + " each job type of the tier whether it runs, how often and when next.")
    @APIResponseSchema(value = SchedulesView.class, responseDescription = "The tenant's schedules")
    public Uni<SchedulesView> get() {
        return book.find(context.get().tenant()).map(ScheduleResource::view);
    }

    @PUT
    @Path("/{jobType}")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Configure a schedule (tenant admin)", description = "Turns a job type on or off, and sets"
            + " an interval of its own or (null) lets it follow the tier.")
    @APIResponseSchema(value = SchedulesView.class, responseDescription = "The tenant's schedules after the change")
    @APIResponse(responseCode = "400", description = "The body is not valid (validation-failed, malformed-request):"
            + " enabled is missing or the interval is not an ISO-8601 duration")
    @APIResponse(responseCode = "403", description = NOT_AN_ADMIN)
    @APIResponse(responseCode = "404", description = UNKNOWN_JOB_TYPE)
    @APIResponse(responseCode = "422", description = "The interval is outside the range the scheduler allows"
            + " (interval-out-of-range)")
    public Uni<SchedulesView> put(@PathParam("jobType") String jobType, @Valid @NotNull ScheduleUpdate update) {
        context.get().requireAnyRole(Roles.TENANT_ADMIN, Roles.PLATFORM_ADMIN);
        Optional<Duration> interval = Optional.ofNullable(update.interval()).map(ScheduleResource::duration);
        return book.configure(context.get().tenant(), jobType, update.enabled(), interval)
                .map(ScheduleResource::view);
    }

    @POST
    @Path("/{jobType}/run-now")
    @Operation(summary = "Run a job now (tenant admin)", description = "Requests one run of the job type outside its"
            + " schedule. The Idempotency-Key header names the request: a retry answers the same run.")
    @APIResponseSchema(value = RunView.class, responseCode = "202", responseDescription = "The run is requested")
    @APIResponse(responseCode = "200", description = "The run an earlier request with this idempotency key made", content = {
            @Content(schema = @Schema(implementation = RunView.class)) })
    @APIResponse(responseCode = "400", description = "The Idempotency-Key header is missing or not 1 to 200 visible"
            + " ASCII characters (validation-failed)")
    @APIResponse(responseCode = "403", description = NOT_AN_ADMIN)
    @APIResponse(responseCode = "404", description = UNKNOWN_JOB_TYPE)
    @APIResponse(responseCode = "422", description = "The idempotency key was used to run another job type"
            + " (idempotency-key-reused)")
    public Uni<Response> runNow(@PathParam("jobType") String jobType,
            @HeaderParam("Idempotency-Key") String idempotencyKey) {
        context.get().requireAnyRole(Roles.TENANT_ADMIN, Roles.PLATFORM_ADMIN);
        if (idempotencyKey == null || !IDEMPOTENCY_KEY.matcher(idempotencyKey).matches()) {
            throw SchedulerProblems.invalid("Idempotency-Key",
                    "header is required: 1 to 200 visible ASCII characters that name this request");
        }
        return book.runNow(context.get().tenant(), jobType, idempotencyKey)
                .map(run -> Response.status(run.created() ? 202 : 200)
                        .entity(new RunView(run.jobId(), run.jobType(), run.dedupKey(), run.requestedAt()))
                        .build());
    }

    private static Duration duration(String text) {
        try {
            return Duration.parse(text);
        } catch (DateTimeException e) {
            throw SchedulerProblems.invalid("interval", "must be an ISO-8601 duration such as PT2H");
        }
    }

    private static SchedulesView view(ScheduleBook.TenantSchedules schedules) {
        return new SchedulesView(schedules.tenant().value(), schedules.tier(), schedules.lastActivity().orElse(null),
                schedules.schedules().stream().map(s -> new ScheduleView(s.jobType(), s.enabled(),
                        s.interval().toString(), s.override().map(Duration::toString).orElse(null), s.emitted(),
                        s.nextRunAt(), s.lastSlotStart().orElse(null))).toList());
    }
}
