package io.cloudsentinel.jobs.store;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import io.cloudsentinel.jobs.costs.ImportRejection;
import io.cloudsentinel.platform.tenant.TenantId;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.Tuple;

/** The tenant's imports as the API lists them: newest first, keyset on (started_at, id). */
@ApplicationScoped
public class CostImportRead {

    private static final String COLUMNS = """
            id, source, origin, job_id, status, rows_loaded, rows_rejected, bytes, billing_periods, ignored_columns,
            failure, started_at, finished_at
            """;

    private static final String PAGE = "SELECT " + COLUMNS + """
              FROM cost_imports
             WHERE tenant_id = $1 AND ($2::text IS NULL OR source = $2)
               AND ($3::timestamptz IS NULL OR (started_at, id) < ($3, $4))
             ORDER BY started_at DESC, id DESC
             LIMIT $5
            """;

    private static final String ONE = "SELECT " + COLUMNS + " FROM cost_imports WHERE tenant_id = $1 AND id = $2";

    private static final String REJECTED = """
            SELECT file, line, reason FROM cost_import_rejections WHERE tenant_id = $1 AND import_id = $2
             ORDER BY file, line
            """;

    /** One import as recorded. */
    public record CostImport(UUID id, String source, String origin, UUID jobId, String status, long rowsLoaded,
            long rowsRejected, long bytes, List<Instant> billingPeriods, List<String> ignoredColumns, String failure,
            Instant startedAt, Instant finishedAt) {
    }

    /** Where the previous page ended. */
    public record After(Instant startedAt, UUID id) {
    }

    public Uni<List<CostImport>> page(SqlClient connection, TenantId tenant, Optional<String> source,
            Optional<After> after, int rows) {
        Tuple arguments = Tuple.from(Arrays.<Object> asList(tenant.value(), source.orElse(null),
                after.map(a -> a.startedAt().atOffset(ZoneOffset.UTC)).orElse(null),
                after.map(After::id).orElse(null), rows));
        return connection.preparedQuery(PAGE).execute(arguments).map(found -> {
            List<CostImport> imports = new ArrayList<>();
            found.forEach(row -> imports.add(costImport(row)));
            return imports;
        });
    }

    public Uni<Optional<CostImport>> one(SqlClient connection, TenantId tenant, UUID id) {
        return connection.preparedQuery(ONE).execute(Tuple.of(tenant.value(), id))
                .map(found -> found.iterator().hasNext() ? Optional.of(costImport(found.iterator().next()))
                        : Optional.<CostImport> empty());
    }

    public Uni<List<ImportRejection>> rejected(SqlClient connection, TenantId tenant, UUID id) {
        return connection.preparedQuery(REJECTED).execute(Tuple.of(tenant.value(), id)).map(found -> {
            List<ImportRejection> rejected = new ArrayList<>();
            found.forEach(row -> rejected.add(new ImportRejection(row.getInteger("file"), row.getLong("line"),
                    row.getString("reason"))));
            return rejected;
        });
    }

    private static CostImport costImport(Row row) {
        return new CostImport(row.getUUID("id"), row.getString("source"), row.getString("origin"),
                row.getUUID("job_id"), row.getString("status"), row.getLong("rows_loaded"),
                row.getLong("rows_rejected"), row.getLong("bytes"),
                Arrays.stream(row.getArrayOfOffsetDateTimes("billing_periods")).map(OffsetDateTime::toInstant)
                        .toList(),
                Arrays.asList(row.getArrayOfStrings("ignored_columns")), row.getString("failure"),
                row.getOffsetDateTime("started_at").toInstant(),
                Optional.ofNullable(row.getOffsetDateTime("finished_at")).map(OffsetDateTime::toInstant)
                        .orElse(null));
    }
}
