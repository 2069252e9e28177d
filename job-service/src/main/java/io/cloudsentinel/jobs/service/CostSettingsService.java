package io.cloudsentinel.jobs.service;

import java.time.Clock;

import jakarta.enterprise.context.ApplicationScoped;

import io.cloudsentinel.jobs.costs.CostSettings;
import io.cloudsentinel.jobs.store.CostSettingsRead;
import io.cloudsentinel.jobs.store.CostSettingsWrite;
import io.cloudsentinel.platform.tenant.TenantId;
import io.cloudsentinel.platform.tenant.TenantTransactions;
import io.smallrye.mutiny.Uni;

/** A tenant's cost settings: read (defaults when none), replaced whole. */
@ApplicationScoped
public class CostSettingsService {

    private final TenantTransactions transactions;
    private final CostSettingsRead read;
    private final CostSettingsWrite write;
    private final Clock clock;

    public CostSettingsService(TenantTransactions transactions, CostSettingsRead read, CostSettingsWrite write,
            Clock clock) {
        this.transactions = transactions;
        this.read = read;
        this.write = write;
        this.clock = clock;
    }

    public Uni<CostSettings> show(TenantId tenant) {
        return transactions.inTenant(tenant, connection -> read.of(connection, tenant));
    }

    /** Stores the settings; a change of tag keys rebuilds the tag aggregates in the same transaction. */
    public Uni<CostSettings> replace(TenantId tenant, CostSettings settings) {
        return transactions.inTenant(tenant, connection -> write.save(connection, tenant, settings, clock.instant())
                .replaceWith(settings));
    }
}
