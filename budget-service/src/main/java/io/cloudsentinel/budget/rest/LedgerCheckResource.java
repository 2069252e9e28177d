package io.cloudsentinel.budget.rest;

import java.util.List;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import io.cloudsentinel.budget.repository.LedgerRepository;
import io.cloudsentinel.platform.tenant.CurrentTenantContext;
import io.cloudsentinel.platform.tenant.Roles;
import io.cloudsentinel.platform.tenant.SystemTask;
import io.cloudsentinel.platform.tenant.TenantTransactions;
import io.smallrye.mutiny.Uni;

/** {@code GET /api/v1/budgets/ledger-check} (platform-admin): every window whose counters differ from the ledger. */
@Path("/api/v1/budgets/ledger-check")
@Produces(MediaType.APPLICATION_JSON)
public class LedgerCheckResource {

    public record LedgerCheck(boolean consistent, List<LedgerRepository.Mismatch> mismatches) {
    }

    private static final SystemTask TASK = new SystemTask("ledger-check");

    private final TenantTransactions transactions;
    private final LedgerRepository ledger;
    private final CurrentTenantContext context;

    public LedgerCheckResource(TenantTransactions transactions, LedgerRepository ledger,
            CurrentTenantContext context) {
        this.transactions = transactions;
        this.ledger = ledger;
        this.context = context;
    }

    @GET
    public Uni<LedgerCheck> check() {
        context.get().requireAnyRole(Roles.PLATFORM_ADMIN);
        return transactions.asSystem(TASK, ledger::mismatches)
                .map(mismatches -> new LedgerCheck(mismatches.isEmpty(), mismatches));
    }
}
