package io.cloudsentinel.jobs.store;

import java.time.Instant;
import java.time.ZoneOffset;

import jakarta.enterprise.context.ApplicationScoped;

import io.cloudsentinel.platform.tenant.TenantId;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.Tuple;

/**
 * What the retention deletes of one tenant, in that tenant's own transaction (row-level security shows it only its
 * rows): a (source, billing period) with its daily and tag sums, and the records of imports that finished before the
 * cutoff with their rejected rows. The period takes its turn with the source's imports (the advisory lock of
 * {@link CostPeriodReplace}): an import swapping that period in either commits first, and its rows are deleted here
 * too, or waits, and then loads on an empty period. It then takes the tenant's tag-keys lock shared, as that end
 * does, and in the same order (source, then tag keys), so neither deadlocks with the other.
 */
@ApplicationScoped
public class CostPeriodDelete {

    private static final String TAKE_TURN = """
            SELECT pg_advisory_xact_lock(hashtextextended('cost-import:' || $1::text || '/' || $2, 0))
            """;

    /**
     * The tenant's tag-keys lock, shared as an import's end takes it (CostPeriodReplace): a change of the tag keys
     * rebuilds every tag sum from the rows, and it must not rebuild those of a period being deleted here.
     */
    private static final String TAG_KEYS_SHARED = """
            SELECT pg_advisory_xact_lock_shared(hashtextextended('cost-tag-keys:' || $1::text, 0))
            """;

    private static final String DROP_ROWS = """
            DELETE FROM cost_rows WHERE tenant_id = $1 AND source = $2 AND billing_period_start = $3
            """;

    private static final String DROP_DAILY = """
            DELETE FROM cost_daily WHERE tenant_id = $1 AND source = $2 AND billing_period_start = $3
            """;

    private static final String DROP_DAILY_TAGS = """
            DELETE FROM cost_daily_tags WHERE tenant_id = $1 AND source = $2 AND billing_period_start = $3
            """;

    /**
     * An import whose record says it loaded a period the retention keeps stays (a file can hold a period that starts
     * after it was loaded): its record still describes rows the tenant has. Running imports have no finished_at.
     */
    private static final String DROP_IMPORTS = """
            WITH expired AS (
                DELETE FROM cost_imports
                 WHERE tenant_id = $1 AND finished_at < $2::timestamptz
                   AND NOT EXISTS (SELECT FROM unnest(billing_periods) AS p(start) WHERE p.start >= $2::timestamptz)
                RETURNING id),
            rejections AS (
                DELETE FROM cost_import_rejections r
                 USING expired e
                 WHERE r.tenant_id = $1 AND r.import_id = e.id
                RETURNING 1)
            SELECT (SELECT count(*) FROM expired) AS imports, (SELECT count(*) FROM rejections) AS rejections
            """;

    /** What deleting one period removed. */
    public record DeletedPeriod(long rows, long dailyRows, long tagRows) {

        public boolean any() {
            return rows + dailyRows + tagRows > 0;
        }
    }

    /** What deleting the old imports removed. */
    public record DeletedImports(long imports, long rejections) {
    }

    public Uni<DeletedPeriod> period(SqlClient connection, TenantId tenant, String source, Instant billingPeriodStart) {
        Tuple scope = Tuple.of(tenant.value(), source, billingPeriodStart.atOffset(ZoneOffset.UTC));
        return connection.preparedQuery(TAKE_TURN).execute(Tuple.of(tenant.toString(), source))
                .chain(() -> connection.preparedQuery(TAG_KEYS_SHARED).execute(Tuple.of(tenant.toString())))
                .chain(() -> connection.preparedQuery(DROP_ROWS).execute(scope))
                .chain(rows -> connection.preparedQuery(DROP_DAILY).execute(scope)
                        .chain(daily -> connection.preparedQuery(DROP_DAILY_TAGS).execute(scope)
                                .map(tags -> new DeletedPeriod(rows.rowCount(), daily.rowCount(), tags.rowCount()))));
    }

    public Uni<DeletedImports> importsFinishedBefore(SqlClient connection, TenantId tenant, Instant cutoff) {
        return connection.preparedQuery(DROP_IMPORTS).execute(Tuple.of(tenant.value(), cutoff.atOffset(ZoneOffset.UTC)))
                .map(result -> {
                    Row counts = result.iterator().next();
                    return new DeletedImports(counts.getLong("imports"), counts.getLong("rejections"));
                });
    }
}
