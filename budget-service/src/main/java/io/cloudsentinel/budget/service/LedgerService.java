package io.cloudsentinel.budget.service;

import java.time.Instant;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;

import io.cloudsentinel.budget.LedgerEntry;
import io.cloudsentinel.budget.store.LedgerFold;
import io.cloudsentinel.budget.store.LedgerPages;
import io.cloudsentinel.platform.tenant.SystemTask;
import io.cloudsentinel.platform.tenant.TenantId;
import io.cloudsentinel.platform.tenant.TenantTransactions;
import io.smallrye.mutiny.Uni;

/** The ledger as its readers see it: a tenant's page of entries, and the operators' check of every counter. */
@ApplicationScoped
public class LedgerService {

    private static final SystemTask CHECK = new SystemTask("ledger-check");

    private final TenantTransactions transactions;
    private final LedgerPages pages;
    private final LedgerFold fold;

    public LedgerService(TenantTransactions transactions, LedgerPages pages, LedgerFold fold) {
        this.transactions = transactions;
        this.pages = pages;
        this.fold = fold;
    }

    /** Newest first; {@code before} is the id of the last entry of the previous page. */
    public Uni<List<LedgerEntry>> page(TenantId tenant, Instant from, Instant to, long before, int limit) {
        return transactions.inTenant(tenant, connection -> pages.page(connection, from, to, before, limit));
    }

    /**
     * Every window of every tenant whose counters differ from the fold of the ledger (system path, read only), for
     * the operator (a user id) who asked.
     */
    public Uni<List<LedgerFold.Mismatch>> mismatches(String operator) {
        return transactions.asSystem(CHECK.forOperator(operator), fold::mismatches);
    }
}
