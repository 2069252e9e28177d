package io.cloudsentinel.budget.rest;

import java.util.List;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponseSchema;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import io.cloudsentinel.budget.service.LedgerService;
import io.cloudsentinel.budget.store.LedgerFold;
import io.cloudsentinel.platform.tenant.CurrentTenantContext;
import io.cloudsentinel.platform.tenant.Roles;
import io.cloudsentinel.platform.tenant.TenantContext;
import io.smallrye.mutiny.Uni;

/** {@code GET /api/v1/budgets/ledger-check} (platform-admin): every window whose counters differ from the ledger. */
@Path("/api/v1/budgets/ledger-check")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "ledger-check", description = "Whether the budget counters agree with the ledger, across tenants")
public class LedgerCheckResource {

    public record LedgerCheck(boolean consistent, List<LedgerFold.Mismatch> mismatches) {
    }

    private final LedgerService ledger;
    private final CurrentTenantContext context;

    public LedgerCheckResource(LedgerService ledger, CurrentTenantContext context) {
        this.ledger = ledger;
        this.context = context;
    }

    @GET
    @Operation(summary = "Check the counters against the ledger (platform admin)", description = "Folds the ledger of"
            + " every tenant and lists each budget window whose counters differ from it.")
    @APIResponseSchema(value = LedgerCheck.class, responseDescription = "Consistent, or the windows that differ")
    @APIResponse(responseCode = "403", description = "The caller is not a platform admin (forbidden)")
    public Uni<LedgerCheck> check() {
        TenantContext caller = context.get();
        caller.requireAnyRole(Roles.PLATFORM_ADMIN);
        return ledger.mismatches(caller.userId())
                .map(mismatches -> new LedgerCheck(mismatches.isEmpty(), mismatches));
    }
}
