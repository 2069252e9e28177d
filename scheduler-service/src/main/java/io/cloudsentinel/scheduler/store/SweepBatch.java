package io.cloudsentinel.scheduler.store;

import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;

import io.cloudsentinel.scheduler.Tier;
import io.cloudsentinel.scheduler.TierPolicy;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.Tuple;

/**
 * One sweep batch, one statement: claim the oldest due schedules with {@code FOR UPDATE SKIP LOCKED}, insert one
 * emission per (tenant, job type, slot) guarded by the primary key, write a {@code jobs.requested} outbox row for each
 * emission that was inserted, and move {@code next_run_at} past the slot.
 */
@ApplicationScoped
public class SweepBatch {

    /**
     * $1 now, $2 batch size, $3/$4 active/normal thresholds in seconds, $5/$6/$7 active/normal/dormant interval in
     * seconds, $8/$9/$10 the job types of each tier, $11 topic. The tier is recomputed from the last activity here,
     * so a tenant that went quiet moves to a longer interval without any batch job.
     */
    private static final String SQL = """
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

    /** What the batch did for one job type. */
    public record TypeOutcome(String jobType, long claimed, long emitted, long missed) {
    }

    /** Runs the batch as of {@code now}: up to {@code batchSize} due schedules, events to {@code topic}. */
    public Uni<List<TypeOutcome>> run(SqlClient connection, Instant now, int batchSize, TierPolicy tiers,
            String topic) {
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
        return connection.preparedQuery(SQL).execute(parameters).map(rows -> {
            List<TypeOutcome> outcomes = new ArrayList<>();
            for (Row row : rows) {
                outcomes.add(new TypeOutcome(row.getString("job_type"), row.getLong("claimed"), row.getLong("emitted"),
                        row.getLong("missed")));
            }
            return outcomes;
        });
    }
}
