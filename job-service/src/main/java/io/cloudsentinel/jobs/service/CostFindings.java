package io.cloudsentinel.jobs.service;

import java.time.LocalDate;
import java.util.List;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;

import io.cloudsentinel.jobs.store.CostFindingsRead;
import io.cloudsentinel.platform.tenant.TenantId;
import io.cloudsentinel.platform.tenant.TenantTransactions;
import io.smallrye.mutiny.Uni;

/** The tenant's cost anomalies and idle resources as the API reads them, in its transaction (RLS: its rows only). */
@ApplicationScoped
public class CostFindings {

    private final TenantTransactions transactions;
    private final CostFindingsRead read;

    public CostFindings(TenantTransactions transactions, CostFindingsRead read) {
        this.transactions = transactions;
        this.read = read;
    }

    public Uni<List<CostFindingsRead.Anomaly>> anomalies(TenantId tenant, LocalDate from, LocalDate to,
            Optional<CostFindingsRead.After> after, int limit) {
        return transactions.inTenant(tenant, connection -> read.anomalies(connection, tenant, from, to, after, limit));
    }

    public Uni<List<CostFindingsRead.IdleResource>> idleResources(TenantId tenant) {
        return transactions.inTenant(tenant, connection -> read.idleResources(connection, tenant));
    }
}
