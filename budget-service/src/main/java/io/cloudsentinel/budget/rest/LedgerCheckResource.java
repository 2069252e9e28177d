package io.cloudsentinel.budget.rest;

import java.util.List;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import io.cloudsentinel.budget.service.LedgerService;
import io.cloudsentinel.budget.store.LedgerFold;
import io.cloudsentinel.platform.tenant.CurrentTenantContext;
import io.cloudsentinel.platform.tenant.Roles;
import io.smallrye.mutiny.Uni;

/** {@code GET /api/v1/budgets/ledger-check} (platform-admin): every window whose counters differ from the ledger. */
@Path("/api/v1/budgets/ledger-check")
@Produces(MediaType.APPLICATION_JSON)
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
    public Uni<LedgerCheck> check() {
        context.get().requireAnyRole(Roles.PLATFORM_ADMIN);
        return ledger.mismatches()
                .map(mismatches -> new LedgerCheck(mismatches.isEmpty(), mismatches));
    }
}
