package io.cloudsentinel.jobs;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.UUID;

import io.cloudsentinel.platform.tenant.TenantId;

/** Jobs and attempts put straight into the tables (as the system role), in the states the worker would leave. */
final class JobRows {

    private JobRows() {
    }

    /** A job of the tenant in the state, created at the instant; a RUNNING one holds a lease. */
    static UUID job(TenantId tenant, String type, JobState state, Instant createdAt) {
        UUID id = UUID.randomUUID();
        job(tenant, id, type, state, createdAt);
        return id;
    }

    static void job(TenantId tenant, UUID id, String type, JobState state, Instant createdAt) {
        boolean running = state == JobState.RUNNING;
        Db.execute("""
                INSERT INTO jobs (tenant_id, id, job_type, dedup_key, request_hash, source, payload, state, run_at,
                                  max_attempts, lease_token, lease_expires_at, worker, created_at, updated_at,
                                  finished_at)
                VALUES ('%s', '%s', '%s', 'rows:%s', 'hash', 'kafka', '{}', '%s', %s, 3, %s, %s, %s, %s, %s, %s)
                """.formatted(tenant, id, type, id, state, Db.literal(createdAt),
                running ? "gen_random_uuid()" : "NULL", running ? "now() + interval '1 minute'" : "NULL",
                running ? "'worker-1'" : "NULL", Db.literal(createdAt), Db.literal(createdAt),
                state.finished() ? Db.literal(createdAt) : "NULL"));
    }

    /** A job that died after three failed attempts, at {@code diedAt}, with those attempts in its history. */
    static UUID dead(TenantId tenant, String type, Instant diedAt) {
        UUID id = job(tenant, type, JobState.DEAD_LETTER, diedAt.minusSeconds(60));
        Db.execute("UPDATE jobs SET attempt = 3, dead_reason = 'attempts-exhausted', last_error = 'upstream 503',"
                + " finished_at = " + Db.literal(diedAt) + " WHERE id = '" + id + "'");
        for (int attempt = 1; attempt <= 3; attempt++) {
            attempt(tenant, id, attempt, "FAILED", "upstream 503");
        }
        return id;
    }

    static void attempt(TenantId tenant, UUID job, int attempt, String outcome, String error) {
        Db.execute("""
                INSERT INTO job_attempts (tenant_id, job_id, attempt, lease_token, worker, started_at, finished_at,
                                          outcome, error, exception_class)
                VALUES ('%s', '%s', %d, gen_random_uuid(), 'worker-1', now() - interval '%d seconds',
                        now() - interval '%d seconds', '%s', %s, %s)
                """.formatted(tenant, job, attempt, 100 - attempt * 10, 95 - attempt * 10, outcome,
                error == null ? "NULL" : "'" + error + "'",
                error == null ? "NULL" : "'java.io.IOException'"));
    }

    /** The first column of the first row as text; null when there is no row. */
    static String text(String sql) {
        try (Connection connection = Db.system();
                Statement statement = connection.createStatement();
                ResultSet rows = statement.executeQuery(sql)) {
            return rows.next() ? rows.getString(1) : null;
        } catch (SQLException e) {
            throw new IllegalStateException(sql, e);
        }
    }

    static String state(UUID job) {
        return text("SELECT state FROM jobs WHERE id = '" + job + "'");
    }

    /** The jobs.events rows in the outbox that announce this job entering the state. */
    static long events(UUID job, String state) {
        return Db.count("SELECT count(*) FROM cs_outbox WHERE topic = 'jobs.events' AND payload::jsonb ->> 'jobId' = '"
                + job + "' AND payload::jsonb ->> 'state' = '" + state + "'");
    }
}
