package io.cloudsentinel.jobs.rest;

import java.time.Instant;
import java.util.UUID;

import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponseSchema;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import io.cloudsentinel.jobs.JobProblems;
import io.cloudsentinel.jobs.service.TenantShares;
import io.cloudsentinel.platform.tenant.CurrentTenantContext;
import io.cloudsentinel.platform.tenant.Roles;
import io.cloudsentinel.platform.tenant.TenantContext;
import io.cloudsentinel.platform.tenant.TenantId;
import io.smallrye.mutiny.Uni;

/** {@code /api/v1/jobs/shares/{tenantId}}: a tenant's share of the workers, for platform admins. */
@Path("/api/v1/jobs/shares/{tenantId}")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "tenant-shares", description = "Each tenant's share of the workers")
public class TenantShareResource {

    private static final String NOT_A_PLATFORM_ADMIN = "The caller is not a platform admin (forbidden)";
    private static final String NOT_A_TENANT_ID = "The tenant id is not a UUID (validation-failed)";

    public record ShareUpdate(@NotNull @Min(1) @Max(1000) Integer weight, @NotNull @Min(1) @Max(1000) Integer cap) {
    }

    /** {@code updatedAt} absent while the tenant has the defaults. */
    @Schema(name = "TenantShare")
    public record ShareView(UUID tenantId,
            @Schema(description = "Its weight among waiting tenants, 1 to 1000") int weight,
            @Schema(description = "Jobs of one type it may run at once, 1 to 1000") int cap, Instant updatedAt) {
    }

    private final TenantShares shares;
    private final CurrentTenantContext context;

    public TenantShareResource(TenantShares shares, CurrentTenantContext context) {
        this.shares = shares;
        this.context = context;
    }

    @GET
    @Operation(summary = "Show a tenant's share (platform admin)", description = "Its weight among waiting tenants"
            + " and its cap of running jobs per type; the defaults (weight 1, cs.jobs.default-cap) while none was"
            + " set.")
    @APIResponseSchema(value = ShareView.class, responseDescription = "The tenant's share")
    @APIResponse(responseCode = "400", description = NOT_A_TENANT_ID)
    @APIResponse(responseCode = "403", description = NOT_A_PLATFORM_ADMIN)
    public Uni<ShareView> get(@PathParam("tenantId") String tenantId) {
        TenantContext caller = context.get();
        caller.requireAnyRole(Roles.PLATFORM_ADMIN);
        return shares.of(tenant(tenantId), caller.userId()).map(TenantShareResource::view);
    }

    @PUT
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Set a tenant's share (platform admin)", description = "Sets its weight and cap; the next"
            + " claim of any worker applies them.")
    @APIResponseSchema(value = ShareView.class, responseDescription = "The tenant's share as it is now")
    @APIResponse(responseCode = "400", description = "The tenant id is not a UUID, or weight or cap is missing or"
            + " outside 1..1000 (validation-failed, malformed-request)")
    @APIResponse(responseCode = "403", description = NOT_A_PLATFORM_ADMIN)
    public Uni<ShareView> put(@PathParam("tenantId") String tenantId, @Valid @NotNull ShareUpdate update) {
        TenantContext caller = context.get();
        caller.requireAnyRole(Roles.PLATFORM_ADMIN);
        return shares.set(tenant(tenantId), update.weight(), update.cap(), caller.userId())
                .map(TenantShareResource::view);
    }

    private static TenantId tenant(String text) {
        try {
            return TenantId.parse(text);
        } catch (IllegalArgumentException e) {
            throw JobProblems.invalid("tenantId", "is not a tenant id (a UUID)");
        }
    }

    private static ShareView view(TenantShares.Share share) {
        return new ShareView(share.tenant().value(), share.weight(), share.cap(), share.updatedAt().orElse(null));
    }
}
