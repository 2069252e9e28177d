package io.cloudsentinel.jobs.store;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Collection;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import io.cloudsentinel.platform.tenant.TenantId;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.Tuple;

/**
 * The end of an import, in the transaction that loaded its rows: the source's billing periods the import holds lose
 * the rows other imports loaded, and their daily aggregates are rebuilt from the new rows. Readers see the old periods
 * or the new ones, never both nor half: it all commits at once. Two imports of one source take turns here (a
 * transaction-scoped advisory lock per tenant and source), so that the later one, seeing the earlier one's committed
 * rows, replaces them too.
 */
@ApplicationScoped
public class CostPeriodReplace {

    /**
     * Shared with every import's end, exclusive for a change of the tenant's tag keys (CostSettingsWrite): the keys
     * read after it are the ones whose sums are rebuilt, and no rebuild of a settings change runs meanwhile.
     */
    static final String TAG_KEYS_SHARED = """
            SELECT pg_advisory_xact_lock_shared(hashtextextended('cost-tag-keys:' || $1::text, 0))
            """;

    static final String TAG_KEYS_EXCLUSIVE = """
            SELECT pg_advisory_xact_lock(hashtextextended('cost-tag-keys:' || $1::text, 0))
            """;

    private static final String TAKE_TURN = """
            SELECT pg_advisory_xact_lock(hashtextextended('cost-import:' || $1::text || '/' || $2, 0))
            """;

    private static final String DROP_SUPERSEDED_ROWS = """
            DELETE FROM cost_rows
             WHERE tenant_id = $1 AND source = $2 AND billing_period_start = ANY($3::timestamptz[])
               AND import_id <> $4
            """;

    private static final String DROP_DAILY = """
            DELETE FROM cost_daily
             WHERE tenant_id = $1 AND source = $2 AND billing_period_start = ANY($3::timestamptz[])
            """;

    private static final String DROP_DAILY_TAGS = """
            DELETE FROM cost_daily_tags
             WHERE tenant_id = $1 AND source = $2 AND billing_period_start = ANY($3::timestamptz[])
            """;

    private static final String BUILD_DAILY = """
            INSERT INTO cost_daily (tenant_id, source, billing_period_start, day, billing_currency, charge_category,
                                    service_name, sub_account_id, region_id, billed_cost, effective_cost, row_count)
            SELECT tenant_id, source, billing_period_start, charge_day, billing_currency, charge_category,
                   service_name, coalesce(sub_account_id, ''), coalesce(region_id, ''), sum(billed_cost),
                   sum(effective_cost), count(*)
              FROM cost_rows
             WHERE tenant_id = $1 AND import_id = $2
             GROUP BY tenant_id, source, billing_period_start, charge_day, billing_currency, charge_category,
                      service_name, coalesce(sub_account_id, ''), coalesce(region_id, '')
            """;

    /** Rows without the tag count under ''. */
    private static final String BUILD_DAILY_TAGS = """
            INSERT INTO cost_daily_tags (tenant_id, source, billing_period_start, day, billing_currency, tag_key,
                                         tag_value, billed_cost, effective_cost)
            SELECT r.tenant_id, r.source, r.billing_period_start, r.charge_day, r.billing_currency, k.tag_key,
                   coalesce(r.tags ->> k.tag_key, ''), sum(r.billed_cost), sum(r.effective_cost)
              FROM cost_rows r CROSS JOIN unnest($3::text[]) AS k(tag_key)
             WHERE r.tenant_id = $1 AND r.import_id = $2
             GROUP BY r.tenant_id, r.source, r.billing_period_start, r.charge_day, r.billing_currency, k.tag_key,
                      coalesce(r.tags ->> k.tag_key, '')
            """;

    /** What the replacement removed: the earlier rows of the periods. */
    public record Replaced(long supersededRows) {
    }

    private final CostSettingsRead settings;

    public CostPeriodReplace(CostSettingsRead settings) {
        this.settings = settings;
    }

    public Uni<Replaced> replace(SqlClient connection, TenantId tenant, String source, UUID importId,
            Collection<Instant> periods) {
        OffsetDateTime[] starts = periods.stream().map(start -> start.atOffset(ZoneOffset.UTC))
                .toArray(OffsetDateTime[]::new);
        Tuple scope = Tuple.of(tenant.value(), source, starts);
        return connection.preparedQuery(TAKE_TURN).execute(Tuple.of(tenant.toString(), source))
                .chain(() -> connection.preparedQuery(DROP_SUPERSEDED_ROWS)
                        .execute(Tuple.of(tenant.value(), source, starts, importId)))
                .chain(dropped -> connection.preparedQuery(DROP_DAILY).execute(scope)
                        .chain(() -> connection.preparedQuery(DROP_DAILY_TAGS).execute(scope))
                        .chain(() -> connection.preparedQuery(BUILD_DAILY)
                                .execute(Tuple.of(tenant.value(), importId)))
                        .chain(() -> connection.preparedQuery(TAG_KEYS_SHARED).execute(Tuple.of(tenant.toString())))
                        .chain(() -> settings.of(connection, tenant))
                        .chain(now -> now.tagKeys().isEmpty() ? Uni.createFrom().voidItem()
                                : connection.preparedQuery(BUILD_DAILY_TAGS)
                                        .execute(Tuple.of(tenant.value(), importId,
                                                now.tagKeys().toArray(String[]::new)))
                                        .replaceWithVoid())
                        .map(ignored -> new Replaced(dropped.rowCount())));
    }
}
