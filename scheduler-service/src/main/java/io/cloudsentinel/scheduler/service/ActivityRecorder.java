package io.cloudsentinel.scheduler.service;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

import jakarta.enterprise.context.ApplicationScoped;

import io.cloudsentinel.platform.tenant.TenantId;
import io.cloudsentinel.platform.tenant.TenantTransactions;
import io.cloudsentinel.scheduler.ScheduleSlot;
import io.cloudsentinel.scheduler.Tier;
import io.cloudsentinel.scheduler.TierPolicy;
import io.cloudsentinel.scheduler.store.ActivityWrites;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.SqlConnection;

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

    /** The tenant's state after the activity. */
    public record Recorded(TenantId tenant, Instant lastActivity, Tier tier) {
    }

    private final TenantTransactions transactions;
    private final ActivityWrites writes;
    private final TierPolicy tiers;
    private final Clock clock;

    public ActivityRecorder(TenantTransactions transactions, ActivityWrites writes, TierPolicy tiers, Clock clock) {
        this.transactions = transactions;
        this.writes = writes;
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
        return writes.markActive(connection, tenant, at, now).chain(marked -> {
            Duration every = tiers.every(marked.tier());
            Instant currentSlot = ScheduleSlot.startAt(tenant, every, now);
            return writes.addSchedules(connection, tenant, tiers.jobTypes(marked.tier()), currentSlot)
                    .chain(() -> writes.pullIn(connection, tenant, currentSlot.plus(every)))
                    .replaceWith(new Recorded(tenant, marked.lastActivity(), marked.tier()));
        });
    }
}
