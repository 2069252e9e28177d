package io.cloudsentinel.jobs.store;

import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import io.cloudsentinel.jobs.config.JobsConfig;
import io.cloudsentinel.platform.tenant.TenantId;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.Tuple;

/**
 * Starts due jobs in one statement, fairly between tenants and never past a tenant's cap:
 * <ol>
 * <li>find the (tenant, type) groups that have waiting jobs with a loose index scan (one index probe per group, not
 * one row per job: a tenant with 100,000 waiting jobs is one group like any other);</li>
 * <li>lock, with {@code FOR UPDATE SKIP LOCKED}, up to cap − running due jobs of each group, by priority then due
 * time (priority orders jobs inside a tenant, never across tenants);</li>
 * <li>order all of them by share position, (jobs the tenant runs + rank inside the tenant) / weight, and keep as many
 * as this worker has free slots (and each type has, where it has a concurrency of its own): each waiting tenant gets
 * slots in proportion to its weight, whatever its backlog;</li>
 * <li>raise the groups' slot counters with {@code ON CONFLICT … DO UPDATE … WHERE running + n <= cap}: evaluated on
 * the newest row version after any concurrent claim committed, so two workers can never both take the last slot;
 * only jobs of granted groups start;</li>
 * <li>start them (new lease token, attempt + 1), record the attempt and write their {@code jobs.events} rows.</li>
 * </ol>
 */
@ApplicationScoped
public class JobClaim {

    /**
     * $1 now, $2 free slots, $3 job types this worker runs, $4 their timeouts in seconds, $5 default cap, $6 worker,
     * $7 events topic, $8 lease span in seconds, $9 grace in seconds, $10 the free slots of each type here (a type's
     * own concurrency limit on this replica).
     */
    private static final String CLAIM = """
            WITH RECURSIVE waiting_groups AS (
                (SELECT tenant_id, job_type FROM jobs
                  WHERE state IN ('PENDING', 'RETRY_SCHEDULED')
                  ORDER BY tenant_id, job_type LIMIT 1)
                UNION ALL
                SELECT next.tenant_id, next.job_type
                  FROM waiting_groups g
                 CROSS JOIN LATERAL (SELECT j.tenant_id, j.job_type FROM jobs j
                                      WHERE j.state IN ('PENDING', 'RETRY_SCHEDULED')
                                        AND (j.tenant_id, j.job_type) > (g.tenant_id, g.job_type)
                                      ORDER BY j.tenant_id, j.job_type LIMIT 1) next
            ), open_groups AS (
                SELECT g.tenant_id, g.job_type, t.timeout_secs, t.type_free,
                       coalesce(s.running, 0) AS running,
                       coalesce(sh.cap, $5::integer) AS cap,
                       coalesce(sh.weight, 1) AS weight,
                       (SELECT coalesce(sum(all_slots.running), 0) FROM job_slots all_slots
                         WHERE all_slots.tenant_id = g.tenant_id) AS tenant_running
                  FROM waiting_groups g
                  JOIN unnest($3::text[], $4::float8[], $10::integer[]) AS t (job_type, timeout_secs, type_free)
                    ON t.job_type = g.job_type
                  LEFT JOIN job_slots s ON s.tenant_id = g.tenant_id AND s.job_type = g.job_type
                  LEFT JOIN tenant_shares sh ON sh.tenant_id = g.tenant_id
            ), candidates AS (
                SELECT o.tenant_id, o.job_type, o.timeout_secs, o.type_free, o.weight, o.tenant_running, c.id,
                       c.priority, c.run_at
                  FROM open_groups o
                 CROSS JOIN LATERAL (SELECT j.id, j.priority, j.run_at FROM jobs j
                                      WHERE j.tenant_id = o.tenant_id AND j.job_type = o.job_type
                                        AND j.state IN ('PENDING', 'RETRY_SCHEDULED') AND j.run_at <= $1::timestamptz
                                      ORDER BY j.priority DESC, j.run_at
                                      LIMIT o.cap - o.running
                                        FOR UPDATE SKIP LOCKED) c
                 WHERE o.running < o.cap
            ), chosen AS (
                SELECT limited.* FROM (
                    SELECT ranked.*, row_number() OVER (PARTITION BY ranked.job_type
                                                        ORDER BY ranked.share_position, ranked.run_at) AS type_rank
                      FROM (SELECT c.*, (c.tenant_running
                                         + row_number() OVER (PARTITION BY c.tenant_id
                                                              ORDER BY c.priority DESC, c.run_at))::float8
                                        / c.weight AS share_position
                              FROM candidates c) ranked) limited
                 WHERE limited.type_rank <= limited.type_free
                 ORDER BY limited.share_position, limited.run_at
                 LIMIT $2::integer
            ), granted AS (
                -- in key order, so that concurrent claims lock slot rows in one order
                INSERT INTO job_slots AS s (tenant_id, job_type, running)
                SELECT tenant_id, job_type, count(*) FROM chosen GROUP BY tenant_id, job_type
                 ORDER BY tenant_id, job_type
                    ON CONFLICT (tenant_id, job_type) DO UPDATE
                   SET running = s.running + excluded.running
                 WHERE s.running + excluded.running
                       <= coalesce((SELECT sh.cap FROM tenant_shares sh WHERE sh.tenant_id = s.tenant_id), $5::integer)
                RETURNING s.tenant_id, s.job_type
            ), granted_groups AS MATERIALIZED (
                -- one row, looked up per chosen job: joining chosen with granted directly, the planner (which sees
                -- a row or two in each CTE) ran a nested loop over both, 266 ms of a claim of 1,000; materialized, so
                -- that it is built once, not once per job
                SELECT coalesce(jsonb_object_agg(tenant_id::text || '/' || job_type, true), '{}') AS keys FROM granted
            ), started AS (
                UPDATE jobs j
                   SET state = 'RUNNING', attempt = j.attempt + 1, lease_token = gen_random_uuid(), worker = $6::text,
                       deadline_at = $1::timestamptz + make_interval(secs => c.timeout_secs + $9::float8),
                       lease_expires_at = $1::timestamptz
                                          + make_interval(secs => least(c.timeout_secs, $8::float8) + $9::float8),
                       updated_at = $1::timestamptz
                  FROM chosen c, granted_groups g
                 WHERE j.tenant_id = c.tenant_id AND j.id = c.id
                   AND g.keys -> (c.tenant_id::text || '/' || c.job_type) IS NOT NULL
                RETURNING j.tenant_id, j.id, j.job_type, j.attempt, j.max_attempts, j.lease_token, j.payload, j.run_at,
                          j.trace_parent, j.trace_state
            ), attempts AS (
                INSERT INTO job_attempts (tenant_id, job_id, attempt, lease_token, worker, started_at)
                SELECT tenant_id, id, attempt, lease_token, $6::text, $1::timestamptz FROM started
            ), announced AS (
                -- in the job's trace (the claim runs in none)
                INSERT INTO cs_outbox (tenant_id, topic, record_key, headers, payload, trace_parent, trace_state)
                SELECT tenant_id, $7::text, tenant_id::text, cs_event_headers(tenant_id),
                       cs_job_event(tenant_id, id, job_type, 'RUNNING', attempt, $1::timestamptz, NULL), trace_parent,
                       trace_state
                  FROM started
            )
            SELECT tenant_id, id, job_type, attempt, max_attempts, lease_token, payload::text AS payload, run_at
              FROM started
            """;

    /** A started attempt: the lease token fences every later write of it; its timeout counts from its start. */
    public record Claimed(TenantId tenant, UUID jobId, String type, int attempt, int maxAttempts, UUID leaseToken,
            String payloadJson, Instant dueAt, Instant startedAt) {
    }

    /** What this worker asks for: its free slots, the types it runs and their timeouts. */
    public record Request(int freeSlots, List<String> types, List<Double> timeoutSeconds, List<Integer> typeFree,
            String worker, double leaseSpanSeconds, double graceSeconds) {
    }

    private final JobsConfig config;

    public JobClaim(JobsConfig config) {
        this.config = config;
    }

    public Uni<List<Claimed>> claim(SqlClient connection, Request request, Instant now) {
        Tuple arguments = Tuple.tuple().addOffsetDateTime(now.atOffset(ZoneOffset.UTC))
                .addInteger(request.freeSlots())
                .addArrayOfString(request.types().toArray(String[]::new))
                .addArrayOfDouble(request.timeoutSeconds().toArray(Double[]::new))
                .addInteger(config.defaultCap())
                .addString(request.worker())
                .addString(config.eventsTopic())
                .addDouble(request.leaseSpanSeconds())
                .addDouble(request.graceSeconds())
                .addArrayOfInteger(request.typeFree().toArray(Integer[]::new));
        return connection.preparedQuery(CLAIM).execute(arguments).map(rows -> {
            List<Claimed> claimed = new ArrayList<>(rows.size());
            for (Row row : rows) {
                claimed.add(new Claimed(new TenantId(row.getUUID("tenant_id")), row.getUUID("id"),
                        row.getString("job_type"), row.getInteger("attempt"), row.getInteger("max_attempts"),
                        row.getUUID("lease_token"), row.getString("payload"),
                        row.getOffsetDateTime("run_at").toInstant(), now));
            }
            return claimed;
        });
    }
}
