package io.cloudsentinel.scheduler.store;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;

import io.cloudsentinel.platform.tenant.TenantId;
import io.cloudsentinel.scheduler.Tier;
import io.cloudsentinel.scheduler.TierPolicy;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.Tuple;

/**
 * A tenant's last activity and the tier it means now, as {@code cs_tier()} says: the tier has no Java copy, so every
 * reader asks the database.
 */
@ApplicationScoped
public class TenantTiers {

    /**
     * $1 tenant, $2 now, $3/$4 active/normal thresholds in seconds. One row even for a tenant the scheduler has not
     * seen: never active, so dormant.
     */
    private static final String CURRENT = """
            SELECT last_activity_at, cs_tier(last_activity_at, $2::timestamptz, $3::float8, $4::float8) AS tier
              FROM (VALUES ((SELECT last_activity_at FROM tenants WHERE tenant_id = $1))) AS tenant (last_activity_at)
            """;
    /** The same, creating a tenant the scheduler has not seen yet (with no activity: dormant). */
    private static final String ENSURE = """
            INSERT INTO tenants (tenant_id) VALUES ($1)
            ON CONFLICT (tenant_id) DO UPDATE SET last_activity_at = tenants.last_activity_at
            RETURNING last_activity_at, cs_tier(last_activity_at, $2::timestamptz, $3::float8, $4::float8) AS tier
            """;

    /** The tenant's activity and its tier at the time asked. */
    public record TenantTier(Optional<Instant> lastActivity, Tier tier) {

        static TenantTier of(Row row) {
            return new TenantTier(Optional.ofNullable(row.getOffsetDateTime("last_activity_at"))
                    .map(OffsetDateTime::toInstant), Tier.valueOf(row.getString("tier")));
        }
    }

    private final TierPolicy tiers;

    public TenantTiers(TierPolicy tiers) {
        this.tiers = tiers;
    }

    public Uni<TenantTier> current(SqlClient connection, TenantId tenant, Instant now) {
        return connection.preparedQuery(CURRENT).execute(arguments(tenant, now))
                .map(rows -> TenantTier.of(rows.iterator().next()));
    }

    /** The tenant's tier, the tenant row created first if there is none (schedules reference it). */
    public Uni<TenantTier> ensure(SqlClient connection, TenantId tenant, Instant now) {
        return connection.preparedQuery(ENSURE).execute(arguments(tenant, now))
                .map(rows -> TenantTier.of(rows.iterator().next()));
    }

    private Tuple arguments(TenantId tenant, Instant now) {
        return Tuple.of(tenant.value(), now.atOffset(ZoneOffset.UTC), tiers.activeWithinSeconds(),
                tiers.normalWithinSeconds());
    }
}
