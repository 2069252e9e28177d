package io.cloudsentinel.scheduler.store;

import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.TreeMap;

import jakarta.enterprise.context.ApplicationScoped;

import io.cloudsentinel.scheduler.Tier;
import io.cloudsentinel.scheduler.TierPolicy;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.Tuple;

/** What the sweeps emitted lately, what waits in the outbox, and how many tenants each tier holds: for operators. */
@ApplicationScoped
public class EmissionTotals {

    /** $1 now. */
    private static final String EMITTED = """
            SELECT (SELECT count(*) FROM emissions
                     WHERE emitted_at > $1::timestamptz - interval '1 minute') AS last_minute,
                   (SELECT count(*) FROM emissions
                     WHERE emitted_at > $1::timestamptz - interval '15 minutes') AS last_15,
                   (SELECT count(*) FROM cs_outbox) AS pending
            """;
    /** $1 now, $2/$3 active/normal thresholds in seconds: the tier as of now, the same cs_tier the sweep uses. */
    private static final String TENANTS_BY_TIER = """
            SELECT cs_tier(last_activity_at, $1::timestamptz, $2::float8, $3::float8) AS tier, count(*) AS tenants
              FROM tenants
             GROUP BY 1
            """;

    public record Emitted(long lastMinute, long last15Minutes, long outboxPending) {
    }

    private final TierPolicy tiers;

    public EmissionTotals(TierPolicy tiers) {
        this.tiers = tiers;
    }

    public Uni<Emitted> emitted(SqlClient connection, Instant now) {
        return connection.preparedQuery(EMITTED).execute(Tuple.of(now.atOffset(ZoneOffset.UTC))).map(rows -> {
            Row row = rows.iterator().next();
            return new Emitted(row.getLong("last_minute"), row.getLong("last_15"), row.getLong("pending"));
        });
    }

    /** Every tier, with 0 for a tier no tenant is in. */
    public Uni<Map<String, Long>> tenantsByTier(SqlClient connection, Instant now) {
        return connection.preparedQuery(TENANTS_BY_TIER)
                .execute(Tuple.of(now.atOffset(ZoneOffset.UTC), tiers.activeWithinSeconds(),
                        tiers.normalWithinSeconds()))
                .map(rows -> {
                    Map<String, Long> counts = new TreeMap<>();
                    for (Tier tier : Tier.values()) {
                        counts.put(tier.name(), 0L);
                    }
                    rows.forEach(row -> counts.put(row.getString("tier"), row.getLong("tenants")));
                    return counts;
                });
    }
}
