package io.cloudsentinel.jobs.service;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import io.cloudsentinel.jobs.config.CostRetentionConfig;
import io.cloudsentinel.jobs.store.CostPeriodDelete;
import io.cloudsentinel.jobs.store.ExpiredCostPeriods;
import io.cloudsentinel.jobs.store.ExpiredCostPeriods.ExpiredPeriod;
import io.cloudsentinel.platform.tenant.SystemTask;
import io.cloudsentinel.platform.tenant.TenantId;
import io.cloudsentinel.platform.tenant.TenantTransactions;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;

/**
 * Deletes tenants' billing periods older than {@code cs.jobs.costs.retention}: the system path only finds them (task
 * {@code cost-retention} may read cost_daily, nothing else), and each is deleted in its tenant's own transaction, as
 * that tenant's data, with the records of the tenant's imports that finished before the cutoff. Replicas may sweep
 * at once: the deletions take turns with each other and with imports, and a period already gone counts nothing.
 */
@ApplicationScoped
public class CostRetention {

    private static final Logger LOG = Logger.getLogger(CostRetention.class);
    private static final SystemTask FIND = new SystemTask("cost-retention");

    private final TenantTransactions transactions;
    private final ExpiredCostPeriods expired;
    private final CostPeriodDelete delete;
    private final CostRetentionConfig config;
    private final Clock clock;
    private final Counter deletedPeriods;

    public CostRetention(TenantTransactions transactions, ExpiredCostPeriods expired, CostPeriodDelete delete,
            CostRetentionConfig config, Clock clock, MeterRegistry registry) {
        this.transactions = transactions;
        this.expired = expired;
        this.delete = delete;
        this.config = config;
        this.clock = clock;
        this.deletedPeriods = Counter.builder("cs_costs_retention_deleted_periods_total")
                .description("billing periods (of one tenant and source) deleted past the cost retention")
                .register(registry);
    }

    /** What one tenant lost to a pass: counts only, never cost data. */
    public record TenantSwept(TenantId tenant, List<ExpiredPeriod> periods, long rows, long dailyRows, long tagRows,
            long imports, long rejections) {
    }

    /** What a pass deleted, tenant by tenant (those where it deleted something). */
    public record Swept(Instant cutoff, List<TenantSwept> tenants) {

        public List<ExpiredPeriod> periods() {
            return tenants.stream().flatMap(tenant -> tenant.periods().stream()).toList();
        }

        public boolean nothing() {
            return tenants.isEmpty();
        }
    }

    @Scheduled(every = "${cs.jobs.costs.retention-interval:1h}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    Uni<Void> scheduled() {
        return sweep().replaceWithVoid().onFailure().invoke(failure -> LOG.warnf("cost retention failed: %s",
                failure.getMessage())).onFailure().recoverWithNull().replaceWithVoid();
    }

    /** One pass: finds at most a batch of expired periods and deletes them, one tenant after the other. */
    public Uni<Swept> sweep() {
        return Uni.createFrom().deferred(() -> {
            Instant cutoff = clock.instant().minus(config.retention());
            return transactions.asSystem(FIND, connection -> expired.find(connection, cutoff, config.retentionBatch()))
                    .chain(found -> Multi.createFrom().iterable(byTenant(found).entrySet())
                            .onItem().transformToUniAndConcatenate(tenant -> sweep(tenant.getKey(), tenant.getValue(),
                                    cutoff))
                            .filter(swept -> !swept.periods().isEmpty() || swept.imports() > 0)
                            .collect().asList())
                    .map(tenants -> new Swept(cutoff, tenants))
                    .invoke(swept -> {
                        if (swept.nothing()) {
                            LOG.debugf("cost retention: nothing older than %s", cutoff);
                        }
                    });
        });
    }

    /**
     * A tenant's expired periods of this batch, one transaction each (a period can be millions of rows: its own
     * transaction keeps the lock it shares with the source's imports short), then its old imports. A failure of one
     * tenant leaves it for the next pass, never stops the others.
     */
    private Uni<TenantSwept> sweep(TenantId tenant, List<ExpiredPeriod> periods, Instant cutoff) {
        List<ExpiredPeriod> deleted = new ArrayList<>();
        long[] counts = new long[3];
        return Multi.createFrom().iterable(periods)
                .onItem().transformToUniAndConcatenate(period -> transactions.inTenant(tenant, connection -> delete
                        .period(connection, tenant, period.source(), period.billingPeriodStart()))
                        .invoke(gone -> {
                            if (gone.any()) {
                                deleted.add(period);
                                deletedPeriods.increment();
                                counts[0] += gone.rows();
                                counts[1] += gone.dailyRows();
                                counts[2] += gone.tagRows();
                            }
                        }))
                .collect().last()
                .chain(() -> transactions.inTenant(tenant, connection -> delete.importsFinishedBefore(connection,
                        tenant, cutoff)))
                .map(imports -> new TenantSwept(tenant, List.copyOf(deleted), counts[0], counts[1], counts[2],
                        imports.imports(), imports.rejections()))
                .invoke(swept -> {
                    if (!swept.periods().isEmpty() || swept.imports() > 0) {
                        LOG.infof("cost retention deleted %d billing periods (%d cost rows, %d daily and %d tag sums)"
                                + " and %d imports (%d rejected rows) older than %s of tenant %s",
                                swept.periods().size(), swept.rows(), swept.dailyRows(), swept.tagRows(),
                                swept.imports(), swept.rejections(), cutoff, tenant);
                    }
                })
                .onFailure().recoverWithItem(failure -> {
                    LOG.warnf("cost retention of tenant %s stopped after %d billing periods, the rest waits for the"
                            + " next pass: %s", tenant, deleted.size(), failure.getMessage());
                    return new TenantSwept(tenant, List.copyOf(deleted), counts[0], counts[1], counts[2], 0, 0);
                });
    }

    private static Map<TenantId, List<ExpiredPeriod>> byTenant(List<ExpiredPeriod> periods) {
        Map<TenantId, List<ExpiredPeriod>> byTenant = new LinkedHashMap<>();
        periods.forEach(period -> byTenant.computeIfAbsent(period.tenant(), tenant -> new ArrayList<>()).add(period));
        return byTenant;
    }
}
