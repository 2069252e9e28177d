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

import io.cloudsentinel.platform.tenant.CurrentTenantContext;
import io.cloudsentinel.platform.tenant.Roles;
import io.cloudsentinel.scheduler.SchedulerProblems;
import io.cloudsentinel.scheduler.Tier;
import io.cloudsentinel.scheduler.service.ScheduleBook;
import io.smallrye.mutiny.Uni;

/** {@code /api/v1/schedules/me}: the caller's tenant's schedules. */
@Path("/api/v1/schedules/me")
@Produces(MediaType.APPLICATION_JSON)
public class ScheduleResource {

    private static final Pattern IDEMPOTENCY_KEY = Pattern.compile("[\\x21-\\x7e]{1,200}");

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
    public Uni<SchedulesView> get() {
        return book.find(context.get().tenant()).map(ScheduleResource::view);
    }

    @PUT
    @Path("/{jobType}")
    @Consumes(MediaType.APPLICATION_JSON)
    public Uni<SchedulesView> put(@PathParam("jobType") String jobType, @Valid @NotNull ScheduleUpdate update) {
        context.get().requireAnyRole(Roles.TENANT_ADMIN, Roles.PLATFORM_ADMIN);
        Optional<Duration> interval = Optional.ofNullable(update.interval()).map(ScheduleResource::duration);
        return book.configure(context.get().tenant(), jobType, update.enabled(), interval)
                .map(ScheduleResource::view);
    }

    @POST
    @Path("/{jobType}/run-now")
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
