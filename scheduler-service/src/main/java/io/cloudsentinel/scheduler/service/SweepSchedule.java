package io.cloudsentinel.scheduler.service;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import io.cloudsentinel.scheduler.config.SchedulerConfig;
import io.quarkus.scheduler.Scheduled;
import io.quarkus.scheduler.ScheduledExecution;
import io.smallrye.mutiny.Uni;

/** Runs the sweep every {@code cs.scheduler.sweep-interval} on every replica, and housekeeping less often. */
@ApplicationScoped
public class SweepSchedule {

    private static final Logger LOG = Logger.getLogger(SweepSchedule.class);

    private final Sweeper sweeper;
    private final Housekeeping housekeeping;

    public SweepSchedule(Sweeper sweeper, Housekeeping housekeeping) {
        this.sweeper = sweeper;
        this.housekeeping = housekeeping;
    }

    @Scheduled(every = "${cs.scheduler.sweep-interval:5s}", delayed = "1s", concurrentExecution = Scheduled.ConcurrentExecution.SKIP, skipExecutionIf = SweepDisabled.class)
    Uni<Void> sweep() {
        return sweeper.sweep()
                .replaceWithVoid()
                .onFailure().recoverWithItem(failure -> {
                    LOG.warnf("sweep failed, the next one retries: %s", failure.getMessage());
                    return null;
                });
    }

    @Scheduled(every = "${cs.scheduler.housekeeping-interval:1m}", delayed = "10s", concurrentExecution = Scheduled.ConcurrentExecution.SKIP, skipExecutionIf = SweepDisabled.class)
    Uni<Void> housekeeping() {
        return housekeeping.run().replaceWithVoid().onFailure().recoverWithItem(failure -> {
            LOG.warnf("housekeeping failed, the next run retries: %s", failure.getMessage());
            return null;
        });
    }

    /** Replicas (and tests) with cs.scheduler.sweep-enabled=false do not sweep. */
    @ApplicationScoped
    public static class SweepDisabled implements Scheduled.SkipPredicate {

        private final SchedulerConfig config;

        public SweepDisabled(SchedulerConfig config) {
            this.config = config;
        }

        @Override
        public boolean test(ScheduledExecution execution) {
            return !config.sweepEnabled();
        }
    }
}
