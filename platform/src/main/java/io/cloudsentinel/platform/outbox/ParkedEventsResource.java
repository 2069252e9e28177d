package io.cloudsentinel.platform.outbox;

import java.util.List;

import jakarta.inject.Inject;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.QueryParam;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;

import io.cloudsentinel.platform.problem.Problem;
import io.cloudsentinel.platform.problem.ProblemException;
import io.cloudsentinel.platform.problem.ProblemTypes;
import io.cloudsentinel.platform.tenant.CurrentTenantContext;
import io.cloudsentinel.platform.tenant.Roles;
import io.cloudsentinel.platform.tenant.TenantContext;
import io.smallrye.mutiny.Uni;

/**
 * The operators' API over a service's parked outbox rows ({@link ParkedEvents}), platform-admin only. A service
 * mounts it under its own prefix, so that the gateway routes it: {@code @Path("/api/v1/jobs/outbox/parked") class
 * JobsParkedEvents extends ParkedEventsResource {}}.
 */
public abstract class ParkedEventsResource {

    @Inject
    ParkedEvents parked;
    @Inject
    CurrentTenantContext context;

    @GET
    @Operation(summary = "List parked outbox rows (platform admin)", description = "Rows the broker refused for good"
            + " or too often, oldest first, without their payload; each holds its key's later rows back.")
    @APIResponse(responseCode = "200", description = "The parked rows after the id `after`")
    @APIResponse(responseCode = "403", description = "Not a platform admin (forbidden)")
    public Uni<List<ParkedEvents.Parked>> list(@QueryParam("after") @DefaultValue("0") @Min(0) long after,
            @QueryParam("limit") @DefaultValue("50") @Min(1) @Max(500) int limit) {
        return parked.list(after, limit, operator());
    }

    @POST
    @Path("/{id}/retry")
    @Operation(summary = "Send a parked row again (platform admin)", description = "Unparks it with its attempts reset;"
            + " the relay sends it, then its key's later rows.")
    @APIResponse(responseCode = "204", description = "Unparked")
    @APIResponse(responseCode = "403", description = "Not a platform admin (forbidden)")
    @APIResponse(responseCode = "404", description = "No such parked row (parked-row-not-found)")
    public Uni<Void> retry(@PathParam("id") long id) {
        return parked.retry(id, operator()).map(ParkedEventsResource::found);
    }

    @DELETE
    @Path("/{id}")
    @Operation(summary = "Discard a parked row (platform admin)", description = "Its event is never published; its"
            + " key's later rows flow again.")
    @APIResponse(responseCode = "204", description = "Discarded")
    @APIResponse(responseCode = "403", description = "Not a platform admin (forbidden)")
    @APIResponse(responseCode = "404", description = "No such parked row (parked-row-not-found)")
    public Uni<Void> discard(@PathParam("id") long id) {
        return parked.discard(id, operator()).map(ParkedEventsResource::found);
    }

    private TenantContext operator() {
        TenantContext caller = context.get();
        caller.requireAnyRole(Roles.PLATFORM_ADMIN);
        return caller;
    }

    private static Void found(boolean found) {
        if (!found) {
            throw new ProblemException(Problem.of(ProblemTypes.of("parked-row-not-found"), 404, "Parked row not found",
                    "no parked outbox row with that id"));
        }
        return null;
    }
}
