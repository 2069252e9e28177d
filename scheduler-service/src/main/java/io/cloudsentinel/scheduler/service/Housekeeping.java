package io.cloudsentinel.scheduler.service;

import java.time.Clock;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import io.cloudsentinel.platform.tenant.SystemTask;
import io.cloudsentinel.platform.tenant.TenantTransactions;
import io.cloudsentinel.scheduler.config.SchedulerConfig;
import io.cloudsentinel.scheduler.store.RetentionPrune;
import io.smallrye.mutiny.Uni;

/**
 * Prunes emissions and manual runs older than the retention, one replica at a time. (Tiers need no refresh: they are
 * computed from the last activity when asked for.)
 */
@ApplicationScoped
public class Housekeeping {

    private static final Logger LOG = Logger.getLogger(Housekeeping.class);
    private static final SystemTask TASK = new SystemTask("schedule-housekeeping");

    /** What one pass changed; {@code ran} is false when another replica held the lock. */
    public record Outcome(boolean ran, int emissions, int manualRuns) {
    }

    private final TenantTransactions transactions;
    private final RetentionPrune prune;
    private final SchedulerConfig config;
    private final Clock clock;

    public Housekeeping(TenantTransactions transactions, RetentionPrune prune, SchedulerConfig config, Clock clock) {
        this.transactions = transactions;
        this.prune = prune;
        this.config = config;
        this.clock = clock;
    }

    public Uni<Outcome> run() {
        var horizon = clock.instant().minus(config.emissionRetention());
        return transactions.asSystem(TASK, connection -> prune.prune(connection, horizon))
                .map(pruned -> new Outcome(pruned.ran(), pruned.emissions(), pruned.manualRuns()))
                .invoke(outcome -> {
                    if (outcome.emissions() > 0 || outcome.manualRuns() > 0) {
                        LOG.infof("system task %s pruned %d emissions and %d manual runs older than %s", TASK.name(),
                                outcome.emissions(), outcome.manualRuns(), config.emissionRetention());
                    } else {
                        LOG.debugf("system task %s pruned nothing (ran: %s)", TASK.name(), outcome.ran());
                    }
                });
    }
}
