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

    void transientRetry(Throwable failure) {
        registry.counter("cs.transaction.retries", "sqlstate", PgErrors.sqlState(failure).orElse("unknown"))
                .increment();
    }

    void systemWork(SystemTask task) {
        registry.counter("cs.system.work", "task", task.name()).increment();
    }
}
