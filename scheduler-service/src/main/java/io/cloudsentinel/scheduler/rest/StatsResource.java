package io.cloudsentinel.scheduler.rest;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import io.cloudsentinel.platform.tenant.CurrentTenantContext;
import io.cloudsentinel.platform.tenant.Roles;
import io.cloudsentinel.scheduler.service.ScheduleBook;
import io.smallrye.mutiny.Uni;

/** {@code GET /api/v1/schedules/stats}: how the sweeps keep up, across tenants, for platform admins. */
@Path("/api/v1/schedules/stats")
@Produces(MediaType.APPLICATION_JSON)
public class StatsResource {

    private final ScheduleBook book;
    private final CurrentTenantContext context;

    public StatsResource(ScheduleBook book, CurrentTenantContext context) {
        this.book = book;
        this.context = context;
    }

    @GET
    public Uni<ScheduleBook.Stats> get() {
        context.get().requireAnyRole(Roles.PLATFORM_ADMIN);
        return book.stats();
    }
}
