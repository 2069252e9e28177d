package io.cloudsentinel.scheduler.service;

import java.time.Clock;
import java.time.Instant;
import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;

import io.cloudsentinel.platform.tenant.SystemTask;
import io.cloudsentinel.platform.tenant.TenantTransactions;
import io.cloudsentinel.scheduler.store.DueSchedules;
import io.cloudsentinel.scheduler.store.EmissionTotals;
import io.smallrye.mutiny.Uni;

/** How the sweeps keep up, across tenants, for operators: read on the audited system path, never per tenant. */
@ApplicationScoped
public class ScheduleStats {

    private static final SystemTask TASK = new SystemTask("schedule-stats");

    public record Stats(long dueSchedules, double lagSeconds, long emissionsLastMinute,
            double emissionsPerMinuteLast15, long outboxPending, Map<String, Long> tenantsByTier) {
    }

    private final TenantTransactions transactions;
    private final DueSchedules dueSchedules;
    private final EmissionTotals emissions;
    private final Clock clock;

    public ScheduleStats(TenantTransactions transactions, DueSchedules dueSchedules, EmissionTotals emissions,
            Clock clock) {
        this.transactions = transactions;
        this.dueSchedules = dueSchedules;
        this.emissions = emissions;
        this.clock = clock;
    }

    /** The statistics now, for the operator (a user id) who asked: logged with the task. */
    public Uni<Stats> stats(String operator) {
        Instant now = clock.instant();
        return transactions.asSystem(TASK.forOperator(operator), connection -> dueSchedules.backlog(connection, now)
                .chain(backlog -> emissions.emitted(connection, now)
                        .chain(emitted -> emissions.tenantsByTier(connection, now)
                                .map(byTier -> new Stats(backlog.due(), backlog.lagSeconds(), emitted.lastMinute(),
                                        emitted.last15Minutes() / 15.0, emitted.outboxPending(), byTier)))));
    }
}
