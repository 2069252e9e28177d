package io.cloudsentinel.scheduler.store;

import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;

import io.cloudsentinel.platform.tenant.TenantId;
import io.cloudsentinel.scheduler.Tier;
import io.cloudsentinel.scheduler.TierPolicy;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.Tuple;

/**
 * The statements of recording one activity: move the tenant's last activity forward, add the schedules its tier
 * lists, pull its next runs in. Set-based (one statement for all of a tenant's job types), so on the pool.
 */
@ApplicationScoped
public class ActivityWrites {

    /** $1 tenant, $2 activity time, $3 now, $4/$5 active/normal thresholds in seconds: the tier after it. */
    private static final String MARK_ACTIVE = """
            INSERT INTO tenants (tenant_id, last_activity_at)
            VALUES ($1, $2)
            ON CONFLICT (tenant_id) DO UPDATE
               SET last_activity_at = greatest(tenants.last_activity_at, excluded.last_activity_at)
            RETURNING last_activity_at, cs_tier(last_activity_at, $3::timestamptz, $4::float8, $5::float8) AS tier
            """;
    /** A schedule starts due: the tenant's current slot is emitted at the next sweep. */
    private static final String ADD_SCHEDULES = """
            INSERT INTO schedules (tenant_id, job_type, next_run_at)
            SELECT $1, job_type, $3 FROM unnest($2::text[]) AS job_type
            ON CONFLICT (tenant_id, job_type) DO NOTHING
            """;
    private static final String PULL_IN = """
            UPDATE schedules
               SET next_run_at = $2, updated_at = now()
             WHERE tenant_id = $1 AND interval_override_secs IS NULL AND next_run_at > $2
            """;

    /** The tenant's last activity after the write (never earlier than before) and its tier now. */
    public record Marked(Instant lastActivity, Tier tier) {
    }

    private final TierPolicy tiers;

    public ActivityWrites(TierPolicy tiers) {
        this.tiers = tiers;
    }

    public Uni<Marked> markActive(SqlClient connection, TenantId tenant, Instant at, Instant now) {
        return connection.preparedQuery(MARK_ACTIVE)
                .execute(Tuple.of(tenant.value(), at.atOffset(ZoneOffset.UTC), now.atOffset(ZoneOffset.UTC),
                        tiers.activeWithinSeconds(), tiers.normalWithinSeconds()))
                .map(rows -> {
                    Row row = rows.iterator().next();
                    return new Marked(row.getOffsetDateTime("last_activity_at").toInstant(),
                            Tier.valueOf(row.getString("tier")));
                });
    }

    /** Adds the job types the tenant has no schedule for yet, due at the slot given. */
    public Uni<Void> addSchedules(SqlClient connection, TenantId tenant, List<String> jobTypes, Instant dueAt) {
        return connection.preparedQuery(ADD_SCHEDULES)
                .execute(Tuple.of(tenant.value(), jobTypes.toArray(String[]::new), dueAt.atOffset(ZoneOffset.UTC)))
                .replaceWithVoid();
    }

    /** Moves every next run later than the instant to it, except schedules with an interval of their own. */
    public Uni<Void> pullIn(SqlClient connection, TenantId tenant, Instant nextRun) {
        return connection.preparedQuery(PULL_IN).execute(Tuple.of(tenant.value(), nextRun.atOffset(ZoneOffset.UTC)))
                .replaceWithVoid();
    }
}
