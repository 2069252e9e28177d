package io.cloudsentinel.scheduler.store;

import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Optional;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import io.cloudsentinel.platform.tenant.TenantId;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.Tuple;

/**
 * Runs a tenant admin asked for outside the schedule, one per idempotency key. On the pool: a started run's
 * {@code jobs.requested} outbox row is written on the same connection, so both commit together.
 */
@ApplicationScoped
public class ManualRuns {

    /** $1 tenant, $2 job type, $3 idempotency key, $4 job id, $5 now: the event only when this request made the run. */
    private static final String START = """
            WITH started AS (
                INSERT INTO manual_runs (tenant_id, job_type, idempotency_key, job_id, requested_at)
                VALUES ($1, $2, $3, $4, $5)
                ON CONFLICT (tenant_id, idempotency_key) DO NOTHING
                RETURNING cs_job_requested(job_id, tenant_id, job_type, NULL, idempotency_key) AS event
            )
            SELECT event::text AS event, event ->> 'dedupKey' AS dedup_key FROM started
            """;
    private static final String EARLIER = """
            SELECT job_type, job_id, requested_at,
                   cs_job_requested(job_id, tenant_id, job_type, NULL, idempotency_key) ->> 'dedupKey' AS dedup_key
              FROM manual_runs
             WHERE tenant_id = $1 AND idempotency_key = $2
            """;

    /** A run this request started, with its {@code jobs.requested} event as {@code cs_job_requested()} wrote it. */
    public record Started(String dedupKey, String event) {
    }

    /** The run an idempotency key made before. */
    public record Earlier(UUID jobId, String jobType, String dedupKey, Instant requestedAt) {
    }

    /** Empty when the key already made a run. */
    public Uni<Optional<Started>> start(SqlClient connection, TenantId tenant, String jobType, String idempotencyKey,
            UUID jobId, Instant now) {
        return connection.preparedQuery(START)
                .execute(Tuple.of(tenant.value(), jobType, idempotencyKey, jobId, now.atOffset(ZoneOffset.UTC)))
                .map(rows -> {
                    if (rows.size() == 0) {
                        return Optional.empty();
                    }
                    Row row = rows.iterator().next();
                    return Optional.of(new Started(row.getString("dedup_key"), row.getString("event")));
                });
    }

    public Uni<Earlier> earlier(SqlClient connection, TenantId tenant, String idempotencyKey) {
        return connection.preparedQuery(EARLIER).execute(Tuple.of(tenant.value(), idempotencyKey))
                .map(rows -> {
                    Row row = rows.iterator().next();
                    return new Earlier(row.getUUID("job_id"), row.getString("job_type"), row.getString("dedup_key"),
                            row.getOffsetDateTime("requested_at").toInstant());
                });
    }
}
