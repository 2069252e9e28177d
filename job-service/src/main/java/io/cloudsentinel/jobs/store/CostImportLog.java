package io.cloudsentinel.jobs.store;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Collection;
import java.util.List;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import io.cloudsentinel.jobs.costs.ImportRejection;
import io.cloudsentinel.platform.tenant.TenantId;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.Tuple;

/**
 * The record of an import in {@code cost_imports}: written {@code running} before its file is read, then its end —
 * {@code succeeded} in the transaction that loaded its rows, or {@code failed} in one of its own after that one rolled
 * back — with the first rejected rows beside it.
 */
@ApplicationScoped
public class CostImportLog {

    private static final String START = """
            INSERT INTO cost_imports (tenant_id, id, source, origin, job_id, status, started_at)
            VALUES ($1, $2, $3, $4, $5, 'running', $6)
            """;

    /** Started before the cut-off and still running: its replica stopped, nothing will end it. */
    private static final String FAIL_ABANDONED = """
            UPDATE cost_imports
               SET status = 'failed', failure = 'interrupted: the replica loading it stopped; nothing of it was kept',
                   finished_at = $4
             WHERE tenant_id = $1 AND source = $2 AND status = 'running' AND started_at < $3
            """;

    private static final String END = """
            UPDATE cost_imports
               SET status = $3, rows_loaded = $4, rows_rejected = $5, bytes = $6,
                   billing_periods = $7::timestamptz[], ignored_columns = $8::text[], failure = $9, finished_at = $10
             WHERE tenant_id = $1 AND id = $2 AND status = 'running'
            """;

    private static final String REJECTIONS = """
            INSERT INTO cost_import_rejections (tenant_id, import_id, file, line, reason)
            SELECT $1, $2, r.file, r.line, r.reason
              FROM unnest($3::integer[], $4::bigint[], $5::text[]) AS r(file, line, reason)
            """;

    /** How the import ended, as recorded. */
    public record End(String status, long rowsLoaded, long rowsRejected, long bytes, Collection<Instant> periods,
            List<String> ignoredColumns, String failure, List<ImportRejection> rejected) {
    }

    public Uni<Void> start(SqlClient connection, TenantId tenant, UUID importId, String source, String origin,
            UUID jobId, Instant now) {
        return connection.preparedQuery(START).execute(Tuple.from(java.util.Arrays.<Object> asList(tenant.value(),
                importId, source, origin, jobId, now.atOffset(ZoneOffset.UTC)))).replaceWithVoid();
    }

    public Uni<Void> failAbandoned(SqlClient connection, TenantId tenant, String source, Instant startedBefore,
            Instant now) {
        return connection.preparedQuery(FAIL_ABANDONED).execute(Tuple.of(tenant.value(), source,
                startedBefore.atOffset(ZoneOffset.UTC), now.atOffset(ZoneOffset.UTC))).replaceWithVoid();
    }

    public Uni<Void> end(SqlClient connection, TenantId tenant, UUID importId, End end, Instant now) {
        OffsetDateTime[] periods = end.periods().stream().sorted().map(start -> start.atOffset(ZoneOffset.UTC))
                .toArray(OffsetDateTime[]::new);
        Tuple arguments = Tuple.tuple().addValue(tenant.value()).addValue(importId).addValue(end.status())
                .addValue(end.rowsLoaded()).addValue(end.rowsRejected()).addValue(end.bytes()).addValue(periods)
                .addValue(end.ignoredColumns().toArray(String[]::new)).addValue(end.failure())
                .addValue(now.atOffset(ZoneOffset.UTC));
        Uni<Void> ended = connection.preparedQuery(END).execute(arguments).replaceWithVoid();
        if (end.rejected().isEmpty()) {
            return ended;
        }
        Integer[] files = end.rejected().stream().map(ImportRejection::file).toArray(Integer[]::new);
        Long[] lines = end.rejected().stream().map(ImportRejection::line).toArray(Long[]::new);
        String[] reasons = end.rejected().stream().map(ImportRejection::reason).toArray(String[]::new);
        return ended.chain(() -> connection.preparedQuery(REJECTIONS)
                .execute(Tuple.of(tenant.value(), importId, files, lines, reasons))).replaceWithVoid();
    }
}
