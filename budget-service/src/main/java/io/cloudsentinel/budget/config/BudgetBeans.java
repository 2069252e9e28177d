package io.cloudsentinel.budget.config;

import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

import io.cloudsentinel.platform.tenant.PoolTransactions;
import io.cloudsentinel.platform.tenant.TenantIsolationMetrics;
import io.vertx.mutiny.sqlclient.Pool;

/** Tenant transactions on the reactive pool, for the authorize and settle statements (see Reservations). */
public class BudgetBeans {

    @Produces
    @Singleton
    PoolTransactions poolTransactions(Pool pool, TenantIsolationMetrics metrics) {
        return new PoolTransactions(pool, metrics);
    }
}
