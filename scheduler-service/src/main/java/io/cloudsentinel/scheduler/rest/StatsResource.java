package io.cloudsentinel.scheduler.rest;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponseSchema;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import io.cloudsentinel.platform.tenant.CurrentTenantContext;
import io.cloudsentinel.platform.tenant.Roles;
import io.cloudsentinel.platform.tenant.TenantContext;
import io.cloudsentinel.scheduler.service.ScheduleStats;
import io.smallrye.mutiny.Uni;

/** {@code GET /api/v1/schedules/stats}: how the sweeps keep up, across tenants, for platform admins. */
@Path("/api/v1/schedules/stats")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "schedule-stats", description = "How the sweeps keep up, across tenants")
public class StatsResource {

    private final ScheduleStats stats;
    private final CurrentTenantContext context;

    public StatsResource(ScheduleStats stats, CurrentTenantContext context) {
        this.stats = stats;
        this.context = context;
    }

    @GET
    @Operation(summary = "Show how the sweeps keep up (platform admin)", description = "Due schedules and the lag"
            + " of the oldest, emissions per minute, the outbox backlog, and the tenants in each tier.")
    @APIResponseSchema(value = ScheduleStats.Stats.class, responseDescription = "The statistics now")
    @APIResponse(responseCode = "403", description = "The caller is not a platform admin (forbidden)")
    public Uni<ScheduleStats.Stats> get() {
        TenantContext caller = context.get();
        caller.requireAnyRole(Roles.PLATFORM_ADMIN);
        return stats.stats(caller.userId());
    }
}
