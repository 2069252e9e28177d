package io.cloudsentinel.platform.tenant;

import jakarta.enterprise.context.ApplicationScoped;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;

/** Counts what the tenant-isolation rules refused or allowed by name. No tenant ids as labels. */
@ApplicationScoped
public class TenantIsolationMetrics {

    private final MeterRegistry registry;
    private final Counter contextMissing;

    public TenantIsolationMetrics(MeterRegistry registry) {
        this.registry = registry;
        this.contextMissing = Counter.builder("cs.tenant.context.missing")
                .description("Tenant work attempted without a tenant context")
                .register(registry);
    }

    public TenantContextMissingException contextMissing(String message, Throwable cause) {
        contextMissing.increment();
        return new TenantContextMissingException(message, cause);
    }

    /** A transaction runs again after PostgreSQL rolled it back with this SQLSTATE (40P01, 40001). */
    public void transientRetry(String sqlState) {
        registry.counter("cs.transaction.retries", "sqlstate", sqlState).increment();
    }

    /** Cross-tenant work under a named system task started. */
    public void systemWork(String task) {
        registry.counter("cs.system.work", "task", task).increment();
    }
}
