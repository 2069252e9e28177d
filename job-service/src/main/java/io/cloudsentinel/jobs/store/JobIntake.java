package io.cloudsentinel.jobs.store;

import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Optional;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import io.cloudsentinel.jobs.config.JobsConfig;
import io.cloudsentinel.platform.tenant.TenantId;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.Tuple;

/**
 * Stores a requested job once per (tenant, dedup key), PENDING, with its {@code jobs.events} row in the same
 * statement. A request whose key is taken gets the job that took it, so redeliveries and duplicates are one job.
 */
@ApplicationScoped
public class JobIntake {

    /** $1 tenant … $11 now, $12 events topic. */
    private static final String SUBMIT = """
            WITH inserted AS (
                INSERT INTO jobs (tenant_id, id, job_type, dedup_key, request_hash, source, payload, state, priority,
                                  run_at, max_attempts, created_at, updated_at)
                VALUES ($1, $2, $3, $4, $5, $6, CAST(CAST($7 AS text) AS jsonb), 'PENDING', $8, $9, $10, $11, $11)
                ON CONFLICT (tenant_id, dedup_key) DO NOTHING
                RETURNING tenant_id, id, job_type, created_at
            ), announced AS (
                INSERT INTO cs_outbox (tenant_id, topic, record_key, headers, payload)
                SELECT tenant_id, $12, tenant_id::text, cs_event_headers(tenant_id),
                       cs_job_event(tenant_id, id, job_type, 'PENDING', 0, created_at, NULL)
                  FROM inserted
            )
            SELECT id FROM inserted
            """;
    private static final String EARLIER = """
            SELECT id, job_type, request_hash FROM jobs WHERE tenant_id = $1 AND dedup_key = $2
            """;

    /** A job to store. {@code requestHash} tells a retried request from another one that reuses its key. */
    public record NewJob(TenantId tenant, UUID id, String type, String dedupKey, String requestHash, String source,
            String payloadJson, int priority, Instant runAt, int maxAttempts) {
    }

    /** The job a dedup key stands for; {@code created} is false when an earlier request stored it. */
    public record Stored(UUID id, String type, String requestHash, boolean created) {
    }

    private final String eventsTopic;

    public JobIntake(JobsConfig config) {
        this.eventsTopic = config.eventsTopic();
    }

    public Uni<Stored> submit(SqlClient connection, NewJob job, Instant now) {
        Tuple arguments = Tuple.tuple().addUUID(job.tenant().value()).addUUID(job.id()).addString(job.type())
                .addString(job.dedupKey()).addString(job.requestHash()).addString(job.source())
                .addString(job.payloadJson()).addInteger(job.priority())
                .addOffsetDateTime(job.runAt().atOffset(ZoneOffset.UTC)).addInteger(job.maxAttempts())
                .addOffsetDateTime(now.atOffset(ZoneOffset.UTC)).addString(eventsTopic);
        return connection.preparedQuery(SUBMIT).execute(arguments).chain(rows -> rows.size() == 1
                ? Uni.createFrom().item(new Stored(job.id(), job.type(), job.requestHash(), true))
                // the key was taken, possibly by a transaction that committed while this statement waited on it:
                // a new statement sees it
                : earlier(connection, job.tenant(), job.dedupKey()).map(found -> found.orElseThrow(
                        () -> new IllegalStateException("dedup key taken but no job holds it"))));
    }

    public Uni<Optional<Stored>> earlier(SqlClient connection, TenantId tenant, String dedupKey) {
        return connection.preparedQuery(EARLIER).execute(Tuple.of(tenant.value(), dedupKey)).map(rows -> {
            if (rows.size() == 0) {
                return Optional.empty();
            }
            Row row = rows.iterator().next();
            return Optional.of(new Stored(row.getUUID("id"), row.getString("job_type"), row.getString("request_hash"),
                    false));
        });
    }
}
