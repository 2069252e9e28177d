package io.cloudsentinel.platform.tenant;

import jakarta.enterprise.context.ApplicationScoped;

import io.cloudsentinel.platform.problem.UnexpectedFailures;

/** Recognises, for the problem mappers, tenant work PostgreSQL refused for want of a tenant, and counts it. */
@ApplicationScoped
public class TenantContextRefusals implements UnexpectedFailures {

    private final TenantIsolationMetrics metrics;

    public TenantContextRefusals(TenantIsolationMetrics metrics) {
        this.metrics = metrics;
    }

    @Override
    public boolean isTenantContextMissing(Throwable failure) {
        if (!PgErrors.isTenantContextMissing(failure)) {
            return false;
        }
        // reached PostgreSQL through a session that TenantTransactions did not open: count it here
        metrics.contextMissing("tenant work reached PostgreSQL without a tenant", failure);
        return true;
    }
}
