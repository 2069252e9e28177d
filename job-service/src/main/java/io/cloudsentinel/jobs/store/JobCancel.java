package io.cloudsentinel.jobs.store;

import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Optional;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import io.cloudsentinel.jobs.JobState;
import io.cloudsentinel.jobs.config.JobsConfig;
import io.cloudsentinel.platform.tenant.TenantId;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.Tuple;

/**
 * Cancels a job in one conditional statement: a waiting job (PENDING, RETRY_SCHEDULED) becomes CANCELLED at once,
 * with its {@code jobs.events} row; a RUNNING one is marked {@code cancel_requested}, and the worker's heartbeat
 * stops it. One UPDATE decides both from the row as it is when locked, so a claim that starts the job meanwhile turns
 * the cancellation into a request instead of losing it.
 */
@ApplicationScoped
public class JobCancel {

    /** $1 tenant, $2 job, $3 now, $4 events topic. */
    private static final String CANCEL = """
            WITH changed AS (
                UPDATE jobs
                   SET state = CASE WHEN state = 'RUNNING' THEN state ELSE 'CANCELLED' END,
                       cancel_requested = (state = 'RUNNING'),
                       finished_at = CASE WHEN state = 'RUNNING' THEN finished_at ELSE $3 END,
                       updated_at = $3
                 WHERE tenant_id = $1 AND id = $2 AND state IN ('PENDING', 'RETRY_SCHEDULED', 'RUNNING')
                RETURNING tenant_id, id, job_type, attempt, state, trace_parent, trace_state
            ), announced AS (
                -- in the job's trace, like all its events, rather than the cancelling request's
                INSERT INTO cs_outbox (tenant_id, topic, record_key, headers, payload, trace_parent, trace_state)
                SELECT tenant_id, $4, tenant_id::text, cs_event_headers(tenant_id),
                       cs_job_event(tenant_id, id, job_type, 'CANCELLED', attempt, $3, 'CANCELLED'), trace_parent,
                       trace_state
                  FROM changed
                 WHERE state = 'CANCELLED'
            )
            SELECT state FROM changed
            """;
    private static final String STATE = "SELECT state FROM jobs WHERE tenant_id = $1 AND id = $2";

    /** What a cancellation did. */
    public enum Result {
        /** The job was waiting and is CANCELLED now. */
        CANCELLED,
        /** The job runs; its worker is asked to stop it. */
        REQUESTED,
        /** The job had finished already: nothing changed. */
        FINISHED,
        /** No such job of this tenant. */
        ABSENT
    }

    private final String eventsTopic;

    public JobCancel(JobsConfig config) {
        this.eventsTopic = config.eventsTopic();
    }

    /** What a cancellation did, and the job's state after it (absent for {@link Result#ABSENT}). */
    public record Cancellation(Result result, Optional<JobState> state) {
    }

    public Uni<Cancellation> cancel(SqlClient connection, TenantId tenant, UUID job, Instant now) {
        return cancel(connection, tenant, job, now, true);
    }

    private Uni<Cancellation> cancel(SqlClient connection, TenantId tenant, UUID job, Instant now, boolean again) {
        Tuple arguments = Tuple.of(tenant.value(), job, now.atOffset(ZoneOffset.UTC), eventsTopic);
        return connection.preparedQuery(CANCEL).execute(arguments).chain(rows -> {
            if (rows.size() == 1) {
                JobState state = JobState.valueOf(rows.iterator().next().getString("state"));
                return Uni.createFrom().item(new Cancellation(
                        state == JobState.CANCELLED ? Result.CANCELLED : Result.REQUESTED, Optional.of(state)));
            }
            return state(connection, tenant, job).chain(state -> {
                if (state.isEmpty()) {
                    return Uni.createFrom().item(new Cancellation(Result.ABSENT, state));
                }
                // a replay made the job wait again between the two statements: the next statement sees it
                if (!state.get().finished() && again) {
                    return cancel(connection, tenant, job, now, false);
                }
                return Uni.createFrom().item(new Cancellation(Result.FINISHED, state));
            });
        });
    }

    /** The job's state now, absent when this tenant has no such job. */
    public Uni<Optional<JobState>> state(SqlClient connection, TenantId tenant, UUID job) {
        return connection.preparedQuery(STATE).execute(Tuple.of(tenant.value(), job))
                .map(rows -> rows.size() == 0 ? Optional.empty()
                        : Optional.of(JobState.valueOf(rows.iterator().next().getString("state"))));
    }
}
