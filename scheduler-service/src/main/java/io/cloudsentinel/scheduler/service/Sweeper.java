package io.cloudsentinel.scheduler.service;

import java.time.Clock;
import java.time.Duration;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.jboss.logging.Logger;

import io.cloudsentinel.platform.tenant.PgErrors;
import io.cloudsentinel.platform.tenant.SystemTask;
import io.cloudsentinel.platform.tenant.TenantTransactions;
import io.cloudsentinel.scheduler.TierPolicy;
import io.cloudsentinel.scheduler.config.SchedulerConfig;
import io.cloudsentinel.scheduler.store.DueSchedules;
import io.cloudsentinel.scheduler.store.SweepBatch;
import io.smallrye.mutiny.Uni;

/**
 * Emits due slots, batch after batch: each batch is one statement ({@link SweepBatch}) in one transaction. Replicas
 * never claim the same row and never wait on each other's claims; the emission key makes even a retried or
 * duplicated batch emit a slot once. After downtime only the slot that contains "now" is emitted: the
 * slots in between are counted as missed, not replayed in a burst.
 */
@ApplicationScoped
public class Sweeper {

    private static final Logger LOG = Logger.getLogger(Sweeper.class);
    private static final SystemTask TASK = new SystemTask("schedule-sweep");

    /** What one batch did. */
    public record BatchResult(long claimed, long emitted, long missed) {

        static final BatchResult NONE = new BatchResult(0, 0, 0);

        BatchResult plus(BatchResult other) {
            return new BatchResult(claimed + other.claimed, emitted + other.emitted, missed + other.missed);
        }
    }

    /** What one sweep did. */
    public record SweepResult(int batches, long claimed, long emitted, long missed) {
    }

    /** The sweep's transactions: a lost deadlock or serialization race backs off 20 ms … 1 s, as configured. */
    private final TenantTransactions sweeps;
    private final SweepBatch sweepBatch;
    private final DueSchedules dueSchedules;
    private final TierPolicy tiers;
    private final Clock clock;
    private final SweepMetrics metrics;
    private final int batchSize;
    private final int maxBatches;
    private final String topic;

    @Inject
    public Sweeper(TenantTransactions transactions, SweepBatch sweepBatch, DueSchedules dueSchedules,
            TierPolicy tiers, Clock clock, SweepMetrics metrics, SchedulerConfig config) {
        this(transactions, sweepBatch, dueSchedules, tiers, clock, metrics, config.batchSize(),
                config.maxBatchesPerSweep(), config.transientRetries(), config.topic());
    }

    /** A sweeper with settings of its own: tests and benchmarks run several, each on a pool of its own. */
    public Sweeper(TenantTransactions transactions, SweepBatch sweepBatch, DueSchedules dueSchedules,
            TierPolicy tiers, Clock clock, SweepMetrics metrics, int batchSize, int maxBatches, int transientRetries,
            String topic) {
        if (batchSize < 1 || maxBatches < 1 || transientRetries < 0) {
            throw new IllegalArgumentException("batch size and max batches must be positive, retries not negative");
        }
        this.sweeps = transactions.retrying(transientRetries, Duration.ofMillis(20), Duration.ofSeconds(1));
        this.sweepBatch = sweepBatch;
        this.dueSchedules = dueSchedules;
        this.tiers = tiers;
        this.clock = clock;
        this.metrics = metrics;
        this.batchSize = batchSize;
        this.maxBatches = maxBatches;
        this.topic = topic;
    }

    /**
     * Batch after batch until one comes back short or the sweep's batch limit is reached; then measures the lag.
     * Logged at INFO when it claimed schedules (each claimed one moves on), else at DEBUG.
     */
    public Uni<SweepResult> sweep() {
        long started = System.nanoTime();
        return sweepFrom(0, BatchResult.NONE)
                .call(this::measureLag)
                .invoke(() -> metrics.sweepTook(Duration.ofNanos(System.nanoTime() - started)))
                .invoke(result -> {
                    if (result.claimed() > 0) {
                        LOG.infof("system task %s: %d batches, %d schedules claimed, %d slots emitted, %d missed",
                                TASK.name(), result.batches(), result.claimed(), result.emitted(), result.missed());
                    } else {
                        LOG.debugf("system task %s found no schedule due", TASK.name());
                    }
                });
    }

    private Uni<SweepResult> sweepFrom(int batches, BatchResult sofar) {
        return batch().chain(result -> {
            BatchResult total = sofar.plus(result);
            if (result.claimed() < batchSize || batches + 1 >= maxBatches) {
                return Uni.createFrom()
                        .item(new SweepResult(batches + 1, total.claimed(), total.emitted(), total.missed()));
            }
            return sweepFrom(batches + 1, total);
        });
    }

    /**
     * One batch. A deadlock or serialization failure rolled the whole batch back, so it simply runs again after an
     * exponential pause with jitter; recognised by SQLSTATE (40P01, 40001), never by the message.
     */
    public Uni<BatchResult> batch() {
        // the platform runs the transaction again; each lost race is counted here, inside it
        // the platform runs the transaction again; each lost race is counted here, inside it. The batch is run as of
        // the time it starts, so that a batch run again claims what is due by then.
        return sweeps.asSystem(TASK, connection -> sweepBatch.run(connection, clock.instant(), batchSize, tiers, topic)
                .onFailure(PgErrors::isTransient).invoke(metrics::transientFailure))
                .map(outcomes -> {
                    BatchResult result = BatchResult.NONE;
                    for (SweepBatch.TypeOutcome outcome : outcomes) {
                        metrics.emitted(outcome.jobType(), outcome.emitted());
                        result = result.plus(new BatchResult(outcome.claimed(), outcome.emitted(), outcome.missed()));
                    }
                    metrics.missed(result.missed());
                    return result;
                })
                .onFailure().invoke(failure -> LOG.warnf("sweep batch failed: %s", failure.getMessage()));
    }

    private Uni<Void> measureLag() {
        return sweeps.asSystem(TASK, connection -> dueSchedules.backlog(connection, clock.instant()))
                .invoke(backlog -> metrics.lag(backlog.lagSeconds()))
                .replaceWithVoid()
                .onFailure().recoverWithNull().replaceWithVoid();
    }
}
