package io.cloudsentinel.jobs.store;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import io.cloudsentinel.jobs.config.JobsConfig;
import io.cloudsentinel.platform.tenant.TenantId;
import io.cloudsentinel.platform.tracing.SpanTrace;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowSet;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.Tuple;

/**
 * Stores requested jobs once per (tenant, dedup key), PENDING, with their {@code jobs.events} rows, any number in one
 * statement. A request whose key is taken gets the job that took it, so redeliveries and duplicates are one job, also
 * within one batch.
 */
@ApplicationScoped
public class JobIntake {

    /**
     * $1…$10, $13, $14 one array per column, $11 now, $12 events topic. Rows go in (tenant, dedup key) order, so that
     * two batches holding the same keys wait on each other instead of deadlocking. A taken key or job id inserts
     * nothing (ON CONFLICT without a target absorbs both); {@link #TAKEN} then tells which job holds the key. Each job
     * keeps its request's trace, and its PENDING row names it: explicit, since the transaction's own trace (the
     * column's default) is one request's while a batch holds many.
     */
    private static final String SUBMIT = """
            WITH requested AS (
                SELECT *
                  FROM unnest($1::uuid[], $2::uuid[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[],
                              $8::int[], $9::timestamptz[], $10::int[], $13::text[], $14::text[])
                       AS r (tenant_id, id, job_type, dedup_key, request_hash, source, payload, priority, run_at,
                             max_attempts, trace_parent, trace_state)
            ), inserted AS (
                INSERT INTO jobs (tenant_id, id, job_type, dedup_key, request_hash, source, payload, state, priority,
                                  run_at, max_attempts, created_at, updated_at, trace_parent, trace_state)
                SELECT tenant_id, id, job_type, dedup_key, request_hash, source, CAST(payload AS jsonb), 'PENDING',
                       priority, run_at, max_attempts, $11, $11, trace_parent, trace_state
                  FROM requested
                 ORDER BY tenant_id, dedup_key
                ON CONFLICT DO NOTHING
                RETURNING tenant_id, id, job_type, dedup_key, request_hash, created_at, trace_parent, trace_state
            ), announced AS (
                INSERT INTO cs_outbox (tenant_id, topic, record_key, headers, payload, trace_parent, trace_state)
                SELECT tenant_id, $12, tenant_id::text, cs_event_headers(tenant_id),
                       cs_job_event(tenant_id, id, job_type, 'PENDING', 0, created_at, NULL), trace_parent, trace_state
                  FROM inserted
            )
            SELECT tenant_id, dedup_key, id, job_type, request_hash FROM inserted
            """;
    /**
     * The jobs that hold keys the insert found taken: a new statement, so it also sees a job that a concurrent
     * transaction committed while the insert waited on it.
     */
    private static final String TAKEN = """
            SELECT j.tenant_id, j.dedup_key, j.id, j.job_type, j.request_hash
              FROM unnest($1::uuid[], $2::text[]) AS k (tenant_id, dedup_key)
              JOIN jobs j ON j.tenant_id = k.tenant_id AND j.dedup_key = k.dedup_key
            """;

    /**
     * A job to store. {@code requestHash} tells a retried request from another one that reuses its key; {@code trace}
     * is the request's (null: none), kept on the job so that all its events are published in it.
     */
    public record NewJob(TenantId tenant, UUID id, String type, String dedupKey, String requestHash, String source,
            String payloadJson, int priority, Instant runAt, int maxAttempts, SpanTrace trace) {

        Key key() {
            return new Key(tenant.value(), dedupKey);
        }
    }

    /** The job a dedup key stands for; {@code created} is false when an earlier request stored it. */
    public record Stored(UUID id, String type, String requestHash, boolean created) {
    }

    private record Key(UUID tenant, String dedupKey) {

        static Key of(Row row) {
            return new Key(row.getUUID("tenant_id"), row.getString("dedup_key"));
        }
    }

    private final String eventsTopic;

    public JobIntake(JobsConfig config) {
        this.eventsTopic = config.eventsTopic();
    }

    /** One job; see {@link #submitAll}. A job whose id another job holds is an error here. */
    public Uni<Stored> submit(SqlClient connection, NewJob job, Instant now) {
        return submitAll(connection, List.of(job), now).map(stored -> stored.get(0).orElseThrow(
                () -> new IllegalStateException("job id " + job.id() + " is taken by another job")));
    }

    /**
     * The jobs in one statement, answered in their order: the job each one's key stands for, created by it or by an
     * earlier request (the first of a batch's duplicates creates it), or empty when its key is free but its job id
     * is another job's.
     */
    public Uni<List<Optional<Stored>>> submitAll(SqlClient connection, List<NewJob> jobs, Instant now) {
        int size = jobs.size();
        UUID[] tenants = new UUID[size];
        UUID[] ids = new UUID[size];
        String[] types = new String[size];
        String[] dedupKeys = new String[size];
        String[] hashes = new String[size];
        String[] sources = new String[size];
        String[] payloads = new String[size];
        Integer[] priorities = new Integer[size];
        OffsetDateTime[] runAts = new OffsetDateTime[size];
        Integer[] maxAttempts = new Integer[size];
        String[] traceParents = new String[size];
        String[] traceStates = new String[size];
        for (int i = 0; i < size; i++) {
            NewJob job = jobs.get(i);
            tenants[i] = job.tenant().value();
            ids[i] = job.id();
            types[i] = job.type();
            dedupKeys[i] = job.dedupKey();
            hashes[i] = job.requestHash();
            sources[i] = job.source();
            payloads[i] = job.payloadJson();
            priorities[i] = job.priority();
            runAts[i] = job.runAt().atOffset(ZoneOffset.UTC);
            maxAttempts[i] = job.maxAttempts();
            if (job.trace() != null) {
                traceParents[i] = job.trace().traceparent();
                // none is NULL, as in the column's default
                String state = job.trace().tracestate();
                traceStates[i] = state == null || state.isEmpty() ? null : state;
            }
        }
        Tuple arguments = Tuple.tuple().addArrayOfUUID(tenants).addArrayOfUUID(ids).addArrayOfString(types)
                .addArrayOfString(dedupKeys).addArrayOfString(hashes).addArrayOfString(sources)
                .addArrayOfString(payloads).addArrayOfInteger(priorities).addArrayOfOffsetDateTime(runAts)
                .addArrayOfInteger(maxAttempts).addOffsetDateTime(now.atOffset(ZoneOffset.UTC))
                .addString(eventsTopic).addArrayOfString(traceParents).addArrayOfString(traceStates);
        return connection.preparedQuery(SUBMIT).execute(arguments).chain(inserted -> {
            Map<Key, UUID> created = new HashMap<>();
            inserted.forEach(row -> created.put(Key.of(row), row.getUUID("id")));
            // the first request of the batch whose key and id were inserted made the job; every other one finds
            // the job that holds its key (its duplicates in the batch, too)
            boolean[] made = new boolean[size];
            List<NewJob> others = new ArrayList<>();
            for (int i = 0; i < size; i++) {
                NewJob job = jobs.get(i);
                made[i] = job.id().equals(created.remove(job.key()));
                if (!made[i]) {
                    others.add(job);
                }
            }
            Uni<Map<Key, Stored>> holders = others.isEmpty() ? Uni.createFrom().item(Map.of())
                    : taken(connection, others);
            return holders.map(held -> {
                List<Optional<Stored>> answers = new ArrayList<>(size);
                for (int i = 0; i < size; i++) {
                    NewJob job = jobs.get(i);
                    answers.add(made[i] ? Optional.of(new Stored(job.id(), job.type(), job.requestHash(), true))
                            : Optional.ofNullable(held.get(job.key())));
                }
                return answers;
            });
        });
    }

    private Uni<Map<Key, Stored>> taken(SqlClient connection, List<NewJob> jobs) {
        Tuple keys = Tuple.tuple().addArrayOfUUID(jobs.stream().map(job -> job.tenant().value()).toArray(UUID[]::new))
                .addArrayOfString(jobs.stream().map(NewJob::dedupKey).toArray(String[]::new));
        return connection.preparedQuery(TAKEN).execute(keys).map(JobIntake::byKey);
    }

    private static Map<Key, Stored> byKey(RowSet<Row> rows) {
        Map<Key, Stored> held = new HashMap<>();
        rows.forEach(row -> held.put(Key.of(row), new Stored(row.getUUID("id"), row.getString("job_type"),
                row.getString("request_hash"), false)));
        return held;
    }
}
