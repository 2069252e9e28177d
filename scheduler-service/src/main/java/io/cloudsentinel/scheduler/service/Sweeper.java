package io.cloudsentinel.scheduler.service;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.jboss.logging.Logger;

import io.cloudsentinel.platform.tenant.PgErrors;
import io.cloudsentinel.platform.tenant.SystemTask;
import io.cloudsentinel.platform.tenant.TenantTransactions;
import io.cloudsentinel.scheduler.Tier;
import io.cloudsentinel.scheduler.TierPolicy;
import io.cloudsentinel.scheduler.config.SchedulerConfig;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;

/**
 * Emits due slots. One batch is one statement in one transaction: claim the oldest due schedules with
 * {@code FOR UPDATE SKIP LOCKED}, insert one emission per (tenant, job type, slot) guarded by the primary key,
 * write a {@code jobs.requested} outbox row for each emission that was inserted, and move {@code next_run_at} past
 * the slot. Replicas never claim the same row and never wait on each other's claims; the emission key makes even a
 * retried or duplicated batch emit a slot once. After downtime only the slot that contains "now" is emitted: the
 * slots in between are counted as missed, not replayed in a burst.
 */
@ApplicationScoped
public class Sweeper {

    private static final Logger LOG = Logger.getLogger(Sweeper.class);
    private static final SystemTask TASK = new SystemTask("schedule-sweep");

    /**
     * $1 now, $2 batch size, $3/$4 active/normal thresholds in seconds, $5/$6/$7 active/normal/dormant interval in
     * seconds, $8/$9/$10 the job types of each tier, $11 topic. The tier is recomputed from the last activity here,
     * so a tenant that went quiet moves to a longer interval without any batch job.
     */
    private static final String SWEEP_BATCH = """
            WITH due AS (
                SELECT s.tenant_id, s.job_type, s.next_run_at, s.interval_override_secs, s.tenant_configured,
                       cs_tier(t.last_activity_at, $1::timestamptz, $3::float8, $4::float8) AS tier
                  FROM schedules s
                  JOIN tenants t ON t.tenant_id = s.tenant_id
                 WHERE s.enabled AND s.next_run_at <= $1
                 ORDER BY s.next_run_at
                 LIMIT $2::integer
                   FOR UPDATE OF s SKIP LOCKED
            ), slotted AS (
                SELECT due.*, cs_slot_start(due.tenant_id, plan.every_secs, $1) AS slot_start, plan.every_secs,
                       due.tenant_configured
                         OR due.job_type = ANY (CASE due.tier WHEN 'ACTIVE' THEN $8::text[]
                                                              WHEN 'NORMAL' THEN $9::text[]
                                                              ELSE $10::text[] END) AS in_tier
                  FROM due
                 CROSS JOIN LATERAL (SELECT coalesce(due.interval_override_secs,
                                                     CASE due.tier WHEN 'ACTIVE' THEN $5::integer
                                                                   WHEN 'NORMAL' THEN $6::integer
                                                                   ELSE $7::integer END) AS every_secs) plan
            ), emitted AS (
                INSERT INTO emissions (tenant_id, job_type, slot_start, job_id, emitted_at)
                SELECT tenant_id, job_type, slot_start, gen_random_uuid(), $1
                  FROM slotted
                 WHERE in_tier
                 ORDER BY next_run_at, tenant_id, job_type
                    ON CONFLICT (tenant_id, job_type, slot_start) DO NOTHING
                RETURNING tenant_id, job_type, slot_start, job_id
            ), published AS (
                INSERT INTO cs_outbox (tenant_id, topic, record_key, headers, payload)
                SELECT e.tenant_id, $11::text, e.tenant_id::text,
                       jsonb_build_object('tenant-id', e.tenant_id::text, 'event-id', gen_random_uuid()::text),
                       cs_job_requested(e.job_id, e.tenant_id, e.job_type, e.slot_start, NULL)::text
                  FROM emitted e
            ), advanced AS (
                UPDATE schedules s
                   SET next_run_at = slotted.slot_start + make_interval(secs => slotted.every_secs),
                       last_slot_start = slotted.slot_start
                  FROM slotted
                 WHERE s.tenant_id = slotted.tenant_id AND s.job_type = slotted.job_type
            )
            SELECT slotted.job_type,
                   count(*) AS claimed,
                   count(emitted.job_id) AS emitted,
                   coalesce(sum(greatest(0, floor(extract(epoch FROM slotted.slot_start - slotted.next_run_at)
                                                  / slotted.every_secs))), 0)::bigint AS missed
              FROM slotted
              LEFT JOIN emitted ON emitted.tenant_id = slotted.tenant_id AND emitted.job_type = slotted.job_type
             GROUP BY slotted.job_type
            """;

    private static final String LAG = """
            SELECT count(*), coalesce(extract(epoch FROM $1::timestamptz - min(next_run_at)), 0)::float8
              FROM schedules
             WHERE enabled AND next_run_at <= $1::timestamptz
            """;

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
    private final TierPolicy tiers;
    private final Clock clock;
    private final SweepMetrics metrics;
    private final int batchSize;
    private final int maxBatches;
    private final String topic;

    @Inject
    public Sweeper(TenantTransactions transactions, TierPolicy tiers, Clock clock, SweepMetrics metrics,
            SchedulerConfig config) {
        this(transactions, tiers, clock, metrics, config.batchSize(), config.maxBatchesPerSweep(),
                config.transientRetries(), config.topic());
    }

    /** A sweeper with settings of its own: tests and benchmarks run several, each on a pool of its own. */
    public Sweeper(TenantTransactions transactions, TierPolicy tiers, Clock clock, SweepMetrics metrics, int batchSize,
            int maxBatches, int transientRetries, String topic) {
        if (batchSize < 1 || maxBatches < 1 || transientRetries < 0) {
            throw new IllegalArgumentException("batch size and max batches must be positive, retries not negative");
        }
        this.sweeps = transactions.retrying(transientRetries, Duration.ofMillis(20), Duration.ofSeconds(1));
        this.tiers = tiers;
        this.clock = clock;
        this.metrics = metrics;
        this.batchSize = batchSize;
        this.maxBatches = maxBatches;
        this.topic = topic;
    }

    /** Batch after batch until one comes back short or the sweep's batch limit is reached; then measures the lag. */
    public Uni<SweepResult> sweep() {
        long started = System.nanoTime();
        return sweepFrom(0, BatchResult.NONE)
                .call(this::measureLag)
                .invoke(() -> metrics.sweepTook(Duration.ofNanos(System.nanoTime() - started)));
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
        return sweeps.asSystem(TASK, connection -> connection.preparedQuery(SWEEP_BATCH).execute(parameters())
                .onFailure(PgErrors::isTransient).invoke(metrics::transientFailure))
                .map(rows -> {
                    BatchResult result = BatchResult.NONE;
                    for (Row row : rows) {
                        BatchResult perType = new BatchResult(row.getLong("claimed"), row.getLong("emitted"),
                                row.getLong("missed"));
                        metrics.emitted(row.getString("job_type"), perType.emitted());
                        result = result.plus(perType);
                    }
                    metrics.missed(result.missed());
                    return result;
                })
                .onFailure().invoke(failure -> LOG.warnf("sweep batch failed: %s", failure.getMessage()));
    }

    /** The batch's parameters at the time it runs, so that a batch run again claims what is due by then. */
    private Tuple parameters() {
        Instant now = clock.instant();
        Tuple parameters = Tuple.tuple()
                .addOffsetDateTime(now.atOffset(ZoneOffset.UTC))
                .addInteger(batchSize)
                .addDouble(tiers.activeWithinSeconds())
                .addDouble(tiers.normalWithinSeconds())
                .addInteger((int) tiers.every(Tier.ACTIVE).toSeconds())
                .addInteger((int) tiers.every(Tier.NORMAL).toSeconds())
                .addInteger((int) tiers.every(Tier.DORMANT).toSeconds())
                .addArrayOfString(tiers.jobTypes(Tier.ACTIVE).toArray(String[]::new))
                .addArrayOfString(tiers.jobTypes(Tier.NORMAL).toArray(String[]::new))
                .addArrayOfString(tiers.jobTypes(Tier.DORMANT).toArray(String[]::new))
                .addString(topic);
        return parameters;
    }

    private Uni<Void> measureLag() {
        return sweeps.asSystem(TASK, connection -> connection.preparedQuery(LAG)
                .execute(Tuple.of(clock.instant().atOffset(ZoneOffset.UTC))))
                .invoke(rows -> metrics.lag(rows.iterator().next().getDouble(1)))
                .replaceWithVoid()
                .onFailure().recoverWithNull().replaceWithVoid();
    }
}
