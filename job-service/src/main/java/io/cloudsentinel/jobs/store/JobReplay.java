package io.cloudsentinel.jobs.store;

import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import io.cloudsentinel.jobs.JobState;
import io.cloudsentinel.jobs.config.JobsConfig;
import io.cloudsentinel.platform.tenant.TenantId;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.Tuple;

/**
 * Gives dead jobs another run: DEAD_LETTER → PENDING, due now, with as many attempts again as their type allows
 * ({@code max_attempts = attempt + the type's max}), the reason and last error cleared, and a {@code jobs.events}
 * row each, in one conditional statement. Attempts keep their numbers, so the history of the earlier runs stays.
 */
@ApplicationScoped
public class JobReplay {

    /** The SET of every replay; $1 is the time. */
    private static final String REVIVE = """
                   SET state = 'PENDING', run_at = $1, dead_reason = NULL, last_error = NULL, finished_at = NULL,
                       cancel_requested = false, updated_at = $1,
            """;
    private static final String ANNOUNCE = """
            ), announced AS (
                -- in the job's trace, like all its events, rather than the replaying request's
                INSERT INTO cs_outbox (tenant_id, topic, record_key, headers, payload, trace_parent, trace_state)
                SELECT tenant_id, $2, tenant_id::text, cs_event_headers(tenant_id),
                       cs_job_event(tenant_id, id, job_type, 'PENDING', attempt, $1, 'REPLAYED'), trace_parent,
                       trace_state
                  FROM replayed
            )
            """;
    /** $1 now, $2 events topic, $3 tenant, $4 job, $5 the known types, $6 their max attempts. */
    private static final String ONE = "WITH replayed AS (\n    UPDATE jobs j\n" + REVIVE + """
                       max_attempts = j.attempt + t.max_attempts
                  FROM unnest($5::text[], $6::integer[]) AS t (job_type, max_attempts)
                 WHERE j.tenant_id = $3 AND j.id = $4 AND j.state = 'DEAD_LETTER' AND t.job_type = j.job_type
                RETURNING j.tenant_id, j.id, j.job_type, j.attempt, j.trace_parent, j.trace_state
            """ + ANNOUNCE + "SELECT id FROM replayed";
    /** $1 now, $2 events topic, $3 tenant, $4 type, $5 its max attempts, $6 from, $7 to. */
    private static final String DEAD_OF_TYPE = "WITH replayed AS (\n    UPDATE jobs\n" + REVIVE + """
                       max_attempts = attempt + $5
                 WHERE tenant_id = $3 AND state = 'DEAD_LETTER' AND job_type = $4
                   AND finished_at >= $6 AND finished_at < $7
                RETURNING tenant_id, id, job_type, attempt, trace_parent, trace_state
            """ + ANNOUNCE + "SELECT count(*) AS replayed FROM replayed";
    private static final String FOUND = "SELECT state, job_type FROM jobs WHERE tenant_id = $1 AND id = $2";

    /** A job as a replay found it when it could not replay it. */
    public record Found(JobState state, String type) {
    }

    private final String eventsTopic;

    public JobReplay(JobsConfig config) {
        this.eventsTopic = config.eventsTopic();
    }

    /**
     * Replays one dead job whose type is among {@code maxAttemptsByType}; false when it is not dead, of no such
     * type, or not there ({@link #found} tells which).
     */
    public Uni<Boolean> one(SqlClient connection, TenantId tenant, UUID job, Map<String, Integer> maxAttemptsByType,
            Instant now) {
        String[] types = maxAttemptsByType.keySet().toArray(String[]::new);
        Integer[] maxAttempts = new Integer[types.length];
        for (int i = 0; i < types.length; i++) {
            maxAttempts[i] = maxAttemptsByType.get(types[i]);
        }
        Tuple arguments = Tuple.tuple().addOffsetDateTime(now.atOffset(ZoneOffset.UTC)).addString(eventsTopic)
                .addUUID(tenant.value()).addUUID(job).addArrayOfString(types).addArrayOfInteger(maxAttempts);
        return connection.preparedQuery(ONE).execute(arguments).map(rows -> rows.size() == 1);
    }

    /** Replays the tenant's dead jobs of the type that died in [from, to); answers how many. */
    public Uni<Long> deadOfType(SqlClient connection, TenantId tenant, String type, int maxAttempts, Instant from,
            Instant to, Instant now) {
        Tuple arguments = Tuple.tuple().addOffsetDateTime(now.atOffset(ZoneOffset.UTC)).addString(eventsTopic)
                .addUUID(tenant.value()).addString(type).addInteger(maxAttempts)
                .addOffsetDateTime(from.atOffset(ZoneOffset.UTC)).addOffsetDateTime(to.atOffset(ZoneOffset.UTC));
        return connection.preparedQuery(DEAD_OF_TYPE).execute(arguments)
                .map(rows -> rows.iterator().next().getLong("replayed"));
    }

    /** The job's state and type, absent when this tenant has no such job. */
    public Uni<Optional<Found>> found(SqlClient connection, TenantId tenant, UUID job) {
        return connection.preparedQuery(FOUND).execute(Tuple.of(tenant.value(), job)).map(rows -> {
            if (rows.size() == 0) {
                return Optional.empty();
            }
            Row row = rows.iterator().next();
            return Optional.of(new Found(JobState.valueOf(row.getString("state")), row.getString("job_type")));
        });
    }
}
