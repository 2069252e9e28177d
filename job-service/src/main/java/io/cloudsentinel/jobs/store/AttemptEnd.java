package io.cloudsentinel.jobs.store;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.cloudsentinel.jobs.AttemptOutcome;
import io.cloudsentinel.jobs.AttemptVerdict;
import io.cloudsentinel.jobs.JobState;
import io.cloudsentinel.jobs.WebhookEvents;
import io.cloudsentinel.jobs.config.JobsConfig;
import io.cloudsentinel.jobs.service.Notifications;
import io.cloudsentinel.platform.tenant.TenantId;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.Tuple;

/**
 * Ends attempts, many in one statement: each job moves to its next state only if the attempt still holds the lease
 * (state RUNNING and the same token), and only then is its slot given back, its attempt recorded, its
 * {@code jobs.events} row written and, for a dead job, its {@code jobs.dlq} row and, when its tenant's webhook
 * subscribed to {@code job.dead_lettered}, its notification (never for a dead notification: that would loop). An
 * attempt that lost its lease changes nothing: it cannot complete the job, free a slot twice or publish anything.
 */
@ApplicationScoped
public class AttemptEnd {

    /** $1 … $9 the ends (arrays), $10 now, $11 events topic, $12 dead-letter topic. */
    private static final String END = """
            WITH ending AS (
                SELECT * FROM unnest($1::uuid[], $2::uuid[], $3::uuid[], $4::text[], $5::text[], $6::timestamptz[],
                                     $7::text[], $8::text[], $9::text[])
                       AS e (tenant_id, id, lease_token, outcome, next_state, retry_at, error, exception_class,
                             dead_reason)
            ), ended AS (
                UPDATE jobs j
                   SET state = e.next_state, lease_token = NULL, lease_expires_at = NULL, deadline_at = NULL,
                       worker = NULL, run_at = coalesce(e.retry_at, j.run_at), last_error = e.error,
                       dead_reason = e.dead_reason, cancel_requested = false, updated_at = $10::timestamptz,
                       finished_at = CASE WHEN e.next_state IN ('COMPLETED', 'DEAD_LETTER', 'CANCELLED') THEN $10::timestamptz END
                  FROM ending e
                 WHERE j.tenant_id = e.tenant_id AND j.id = e.id AND j.state = 'RUNNING'
                   AND j.lease_token = e.lease_token
                RETURNING j.tenant_id, j.id, j.job_type, j.attempt, j.state, j.payload, e.lease_token, e.outcome,
                          e.error, e.exception_class, e.dead_reason, j.trace_parent, j.trace_state
            ), freed AS (
                UPDATE job_slots s
                   SET running = s.running - ended_groups.n
                  FROM (SELECT tenant_id, job_type, count(*) AS n FROM ended GROUP BY tenant_id, job_type
                         ORDER BY tenant_id, job_type) ended_groups
                 WHERE s.tenant_id = ended_groups.tenant_id AND s.job_type = ended_groups.job_type
            ), recorded AS (
                UPDATE job_attempts a
                   SET finished_at = $10::timestamptz, outcome = ended.outcome, error = ended.error,
                       exception_class = ended.exception_class
                  FROM ended
                 WHERE a.tenant_id = ended.tenant_id AND a.job_id = ended.id AND a.attempt = ended.attempt
            ), announced AS (
                -- both in the job's trace (the end runs in none)
                INSERT INTO cs_outbox (tenant_id, topic, record_key, headers, payload, trace_parent, trace_state)
                SELECT tenant_id, $11::text, tenant_id::text, cs_event_headers(tenant_id),
                       cs_job_event(tenant_id, id, job_type, state, attempt, $10::timestamptz, coalesce(dead_reason, outcome)),
                       trace_parent, trace_state
                  FROM ended
            ), dead_lettered AS (
                INSERT INTO cs_outbox (tenant_id, topic, record_key, headers, payload, trace_parent, trace_state)
                SELECT tenant_id, $12::text, tenant_id::text,
                       cs_dead_letter_headers(tenant_id, id, job_type, attempt, dead_reason, error, exception_class),
                       cs_job_dead_letter(tenant_id, id, job_type, attempt, dead_reason, error, exception_class,
                                          payload, $10::timestamptz), trace_parent, trace_state
                  FROM ended
                 WHERE state = 'DEAD_LETTER'
            )
            SELECT tenant_id, id, lease_token, job_type, state, attempt, dead_reason, error, exception_class FROM ended
            """;

    /** How an attempt ended and where its job goes. */
    public record End(TenantId tenant, UUID jobId, UUID leaseToken, String outcome, JobState next,
            Optional<Instant> retryAt, Optional<String> error, Optional<String> exceptionClass,
            Optional<String> deadReason) {

        public End {
            if (next != JobState.RETRY_SCHEDULED && retryAt.isPresent()) {
                throw new IllegalArgumentException("only a retry has a retry time");
            }
            if ((next == JobState.DEAD_LETTER) != deadReason.isPresent()) {
                throw new IllegalArgumentException("a dead letter, and only a dead letter, has a reason");
            }
        }

        /** The end of an attempt that had this outcome, its job going where the verdict says. */
        public static End after(TenantId tenant, UUID jobId, UUID leaseToken, AttemptOutcome outcome,
                AttemptVerdict.Verdict verdict) {
            return new End(tenant, jobId, leaseToken, outcome.kind().name(), verdict.next(), verdict.retryAt(),
                    outcome.error(), outcome.exceptionClass(), verdict.deadReason());
        }

        /** A completed attempt. */
        public static End completed(TenantId tenant, UUID jobId, UUID leaseToken) {
            return new End(tenant, jobId, leaseToken, AttemptOutcome.Kind.COMPLETED.name(), JobState.COMPLETED,
                    Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty());
        }
    }

    private static final Comparator<End> IN_KEY_ORDER = Comparator.comparing((End end) -> end.tenant().value())
            .thenComparing(End::jobId);

    private final JobsConfig config;
    private final Notifications notifications;

    public AttemptEnd(JobsConfig config, Notifications notifications) {
        this.config = config;
        this.notifications = notifications;
    }

    /** The lease tokens of the attempts that still held their lease and so ended; the others changed nothing. */
    public Uni<Set<UUID>> end(SqlClient connection, List<End> ends, Instant now) {
        if (ends.isEmpty()) {
            return Uni.createFrom().item(Set.of());
        }
        // in key order, as claims and heartbeats lock rows, so that concurrent statements do not deadlock
        ends = ends.stream().sorted(IN_KEY_ORDER).toList();
        int n = ends.size();
        UUID[] tenants = new UUID[n];
        UUID[] ids = new UUID[n];
        UUID[] tokens = new UUID[n];
        String[] outcomes = new String[n];
        String[] next = new String[n];
        OffsetDateTime[] retryAt = new OffsetDateTime[n];
        String[] errors = new String[n];
        String[] classes = new String[n];
        String[] reasons = new String[n];
        for (int i = 0; i < n; i++) {
            End end = ends.get(i);
            tenants[i] = end.tenant().value();
            ids[i] = end.jobId();
            tokens[i] = end.leaseToken();
            outcomes[i] = end.outcome();
            next[i] = end.next().name();
            retryAt[i] = end.retryAt().map(at -> at.atOffset(ZoneOffset.UTC)).orElse(null);
            errors[i] = end.error().map(AttemptEnd::bounded).orElse(null);
            classes[i] = end.exceptionClass().orElse(null);
            reasons[i] = end.deadReason().orElse(null);
        }
        Tuple arguments = Tuple.tuple().addArrayOfUUID(tenants).addArrayOfUUID(ids).addArrayOfUUID(tokens)
                .addArrayOfString(outcomes).addArrayOfString(next).addArrayOfOffsetDateTime(retryAt)
                .addArrayOfString(errors).addArrayOfString(classes).addArrayOfString(reasons)
                .addOffsetDateTime(now.atOffset(ZoneOffset.UTC))
                .addString(config.eventsTopic()).addString(config.dlqTopic());
        return connection.preparedQuery(END).execute(arguments).chain(rows -> {
            Set<UUID> ended = new HashSet<>();
            List<Notifications.Event> deaths = new ArrayList<>();
            for (Row row : rows) {
                ended.add(row.getUUID("lease_token"));
                if (JobState.DEAD_LETTER.name().equals(row.getString("state"))
                        && !Notifications.JOB_TYPE.equals(row.getString("job_type"))) {
                    deaths.add(deadLettered(row, now));
                }
            }
            return notifications.enqueueAll(connection, deaths).replaceWith(ended);
        });
    }

    /** The notification of a death: one per job and attempt, so the event id is made of them. */
    private static Notifications.Event deadLettered(Row row, Instant now) {
        TenantId tenant = new TenantId(row.getUUID("tenant_id"));
        UUID job = row.getUUID("id");
        int attempt = row.getInteger("attempt");
        ObjectNode data = JsonNodeFactory.instance.objectNode().put("jobId", job.toString())
                .put("jobType", row.getString("job_type")).put("reason", row.getString("dead_reason"))
                .put("attempts", attempt).put("error", row.getString("error"))
                .put("exceptionClass", row.getString("exception_class")).put("at", now.toString());
        String eventId = UUID.nameUUIDFromBytes((WebhookEvents.JOB_DEAD_LETTERED + ":" + tenant + ":" + job + ":"
                + attempt).getBytes(StandardCharsets.UTF_8)).toString();
        return new Notifications.Event(tenant, WebhookEvents.JOB_DEAD_LETTERED, eventId, data);
    }

    /** An error message as stored and published: at most 2,000 characters. */
    static String bounded(String error) {
        return error.length() <= 2_000 ? error : error.substring(0, 2_000) + "…";
    }
}
