package io.cloudsentinel.scheduler.service;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;

import jakarta.enterprise.context.ApplicationScoped;

import io.cloudsentinel.platform.tenant.TenantId;
import io.cloudsentinel.platform.tenant.TenantTransactions;
import io.cloudsentinel.scheduler.ScheduleSlot;
import io.cloudsentinel.scheduler.Tier;
import io.cloudsentinel.scheduler.TierPolicy;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;

/**
 * Applies one activity of a tenant: its last activity only ever moves forward (an event that arrives late never
 * lowers it, so never lowers the tier), the tier follows ({@code cs_tier()}, as everywhere), a new tenant gets the
 * schedules its tier lists, and a tenant whose tier now runs more often has its next runs pulled in to the next slot
 * of the shorter interval.
 */
@ApplicationScoped
public class ActivityRecorder {

    /** How far in the future an activity time may lie before it is taken as "now" (clock skew of producers). */
    static final Duration MAX_FUTURE_SKEW = Duration.ofMinutes(1);

    /** $1 tenant, $2 activity time, $3 now, $4/$5 active/normal thresholds in seconds: the tier after it. */
    private static final String UPSERT_TENANT = """
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

    /** The tenant's state after the activity. */
    public record Recorded(TenantId tenant, Instant lastActivity, Tier tier) {
    }

    private final TenantTransactions transactions;
    private final TierPolicy tiers;
    private final Clock clock;

    public ActivityRecorder(TenantTransactions transactions, TierPolicy tiers, Clock clock) {
        this.transactions = transactions;
        this.tiers = tiers;
        this.clock = clock;
    }

    public Uni<Recorded> record(TenantId tenant, Instant occurredAt) {
        return Uni.createFrom().deferred(() -> {
            Instant now = clock.instant();
            Instant at = activityTime(occurredAt, now);
            // two events of a new tenant on two partitions' consumers can race on the insert: the platform runs the
            // transaction again after a deadlock or serialization failure
            return transactions.inTenant(tenant, connection -> apply(connection, tenant, at, now));
        });
    }

    /** An activity time more than {@link #MAX_FUTURE_SKEW} ahead counts as now: a fast clock cannot buy a tier. */
    static Instant activityTime(Instant occurredAt, Instant now) {
        return occurredAt.isAfter(now.plus(MAX_FUTURE_SKEW)) ? now : occurredAt;
    }

    private Uni<Recorded> apply(SqlConnection connection, TenantId tenant, Instant at, Instant now) {
        return connection.preparedQuery(UPSERT_TENANT)
                .execute(Tuple.of(tenant.value(), at.atOffset(ZoneOffset.UTC), now.atOffset(ZoneOffset.UTC),
                        tiers.activeWithinSeconds(), tiers.normalWithinSeconds()))
                .chain(rows -> {
                    Row row = rows.iterator().next();
                    Instant last = row.getOffsetDateTime("last_activity_at").toInstant();
                    Tier tier = Tier.valueOf(row.getString("tier"));
                    Duration every = tiers.every(tier);
                    OffsetDateTime currentSlot = ScheduleSlot.startAt(tenant, every, now).atOffset(ZoneOffset.UTC);
                    OffsetDateTime nextSlot = currentSlot.plus(every);
                    return connection.preparedQuery(ADD_SCHEDULES).execute(Tuple.of(tenant.value(),
                            tiers.jobTypes(tier).toArray(String[]::new), currentSlot))
                            .chain(() -> connection.preparedQuery(PULL_IN).execute(Tuple.of(tenant.value(),
                                    nextSlot)))
                            .replaceWith(new Recorded(tenant, last, tier));
                });
    }
}
