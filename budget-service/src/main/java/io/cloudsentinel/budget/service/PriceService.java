package io.cloudsentinel.budget.service;

import java.time.Clock;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;

import io.cloudsentinel.budget.ModelPrice;
import io.cloudsentinel.budget.store.PriceCatalog;
import io.cloudsentinel.platform.tenant.TenantId;
import io.cloudsentinel.platform.tenant.TenantTransactions;
import io.smallrye.mutiny.Uni;

/** The model prices in force, as a tenant asks for them. */
@ApplicationScoped
public class PriceService {

    private final TenantTransactions transactions;
    private final PriceCatalog catalog;
    private final Clock clock;

    public PriceService(TenantTransactions transactions, PriceCatalog catalog, Clock clock) {
        this.transactions = transactions;
        this.catalog = catalog;
        this.clock = clock;
    }

    public Uni<List<ModelPrice>> inForce(TenantId tenant) {
        return transactions.inTenant(tenant, connection -> catalog.allInForce(connection, clock.instant()));
    }
}
