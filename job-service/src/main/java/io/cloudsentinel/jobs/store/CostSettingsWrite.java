package io.cloudsentinel.jobs.store;

import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Arrays;

import jakarta.enterprise.context.ApplicationScoped;

import io.cloudsentinel.jobs.costs.CostSettings;
import io.cloudsentinel.platform.tenant.TenantId;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.Tuple;

/**
 * Stores a tenant's cost settings; when its tag keys change, its tag aggregates are rebuilt from its rows in the same
 * transaction, so that {@code groupBy=tag:<key>} answers for the data already loaded, and only for declared keys. It
 * first takes the tenant's tag-keys lock exclusively: an import's end, which rebuilds its periods' tag sums with the
 * keys it then reads, waits for it, or it waits for that end.
 */
@ApplicationScoped
public class CostSettingsWrite {

    private static final String UPSERT = """
            INSERT INTO cost_settings (tenant_id, tag_keys, anomaly_min_impact, anomaly_threshold, max_rejected_rows,
                                       analysis_max_input_tokens, updated_at)
            VALUES ($1, $2::text[], $3, $4, $5, $6, $7)
            ON CONFLICT (tenant_id) DO UPDATE
               SET tag_keys = excluded.tag_keys, anomaly_min_impact = excluded.anomaly_min_impact,
                   anomaly_threshold = excluded.anomaly_threshold, max_rejected_rows = excluded.max_rejected_rows,
                   analysis_max_input_tokens = excluded.analysis_max_input_tokens, updated_at = excluded.updated_at
            """;

    private static final String DROP_TAGS = "DELETE FROM cost_daily_tags WHERE tenant_id = $1";

    private static final String BUILD_TAGS = """
            INSERT INTO cost_daily_tags (tenant_id, source, billing_period_start, day, billing_currency, tag_key,
                                         tag_value, billed_cost, effective_cost)
            SELECT r.tenant_id, r.source, r.billing_period_start, r.charge_day, r.billing_currency, k.tag_key,
                   coalesce(r.tags ->> k.tag_key, ''), sum(r.billed_cost), sum(r.effective_cost)
              FROM cost_rows r CROSS JOIN unnest($2::text[]) AS k(tag_key)
             WHERE r.tenant_id = $1
             GROUP BY r.tenant_id, r.source, r.billing_period_start, r.charge_day, r.billing_currency, k.tag_key,
                      coalesce(r.tags ->> k.tag_key, '')
            """;

    private final CostSettingsRead read;

    public CostSettingsWrite(CostSettingsRead read) {
        this.read = read;
    }

    /** Takes the tenant's tag-keys lock, then stores; rebuilds the tag sums when the stored keys differ. */
    public Uni<Void> save(SqlClient connection, TenantId tenant, CostSettings settings, Instant now) {
        String[] keys = settings.tagKeys().toArray(String[]::new);
        Tuple upsert = Tuple.from(Arrays.<Object> asList(tenant.value(), keys, settings.anomalyMinImpact(),
                settings.anomalyThreshold(), settings.maxRejectedRows(),
                settings.analysisMaxInputTokens().orElse(null), now.atOffset(ZoneOffset.UTC)));
        return connection.preparedQuery(CostPeriodReplace.TAG_KEYS_EXCLUSIVE).execute(Tuple.of(tenant.toString()))
                .chain(() -> read.of(connection, tenant))
                .chain(before -> connection.preparedQuery(UPSERT).execute(upsert).chain(() -> {
                    if (before.tagKeys().equals(settings.tagKeys())) {
                        return Uni.createFrom().voidItem();
                    }
                    return connection.preparedQuery(DROP_TAGS).execute(Tuple.of(tenant.value()))
                            .chain(() -> keys.length == 0 ? Uni.createFrom().voidItem()
                                    : connection.preparedQuery(BUILD_TAGS).execute(Tuple.of(tenant.value(), keys))
                                            .replaceWithVoid());
                }));
    }
}
