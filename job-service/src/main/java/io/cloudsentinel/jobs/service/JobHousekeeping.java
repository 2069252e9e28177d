package io.cloudsentinel.jobs.service;

import java.time.Clock;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import io.cloudsentinel.jobs.config.JobsConfig;
import io.cloudsentinel.jobs.store.FinishedJobPrune;
import io.cloudsentinel.jobs.store.QueueLag;
import io.cloudsentinel.platform.tenant.SystemTask;
import io.cloudsentinel.platform.tenant.TenantTransactions;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Uni;

/** Prunes finished jobs past the retention and measures the queue lag, on the audited system path. */
@ApplicationScoped
public class JobHousekeeping {

    private static final Logger LOG = Logger.getLogger(JobHousekeeping.class);
    private static final SystemTask PRUNE = new SystemTask("job-prune");
    private static final SystemTask LAG = new SystemTask("job-queue-lag");
    private static final int PRUNE_BATCH = 10_000;

    private final TenantTransactions transactions;
    private final FinishedJobPrune prune;
    private final QueueLag lag;
    private final JobMetrics metrics;
    private final JobsConfig config;
    private final Clock clock;

    public JobHousekeeping(TenantTransactions transactions, FinishedJobPrune prune, QueueLag lag, JobMetrics metrics,
            JobsConfig config, Clock clock) {
        this.transactions = transactions;
        this.prune = prune;
        this.lag = lag;
        this.metrics = metrics;
        this.config = config;
        this.clock = clock;
    }

    @Scheduled(every = "${cs.jobs.housekeeping-interval:1m}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    Uni<Void> scheduled() {
        return prune().replaceWithVoid().onFailure().invoke(failure -> LOG.warnf("pruning failed: %s",
                failure.getMessage())).onFailure().recoverWithNull().replaceWithVoid();
    }

    @Scheduled(every = "${cs.jobs.worker.rescue-interval:5s}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    Uni<Void> measureLag() {
        return transactions.asSystem(LAG, connection -> lag.seconds(connection, clock.instant()))
                .invoke(metrics::queueLag).replaceWithVoid().onFailure().recoverWithNull().replaceWithVoid();
    }

    /** One pass: at most one batch; the number of jobs deleted, -1 when another replica ran it. */
    public Uni<Integer> prune() {
        return transactions.asSystem(PRUNE, connection -> prune.prune(connection,
                clock.instant().minus(config.retention()), PRUNE_BATCH))
                .invoke(deleted -> {
                    if (deleted > 0) {
                        LOG.infof("system task %s deleted %d jobs finished before the retention", PRUNE.name(),
                                deleted);
                    } else {
                        LOG.debugf("system task %s deleted nothing (%d)", PRUNE.name(), deleted);
                    }
                });
    }
}
