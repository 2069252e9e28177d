package io.cloudsentinel.scheduler.service;

import java.time.Clock;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.TreeMap;

import jakarta.enterprise.context.ApplicationScoped;

import io.cloudsentinel.platform.tenant.SystemTask;
import io.cloudsentinel.platform.tenant.TenantTransactions;
import io.cloudsentinel.scheduler.Tier;
import io.cloudsentinel.scheduler.TierPolicy;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;

/** How the sweeps keep up, across tenants, for operators: read on the audited system path, never per tenant. */
@ApplicationScoped
public class ScheduleStats {

    private static final SystemTask TASK = new SystemTask("schedule-stats");

    /** $1 now. */
    private static final String TOTALS = """
            SELECT (SELECT count(*) FROM schedules WHERE enabled AND next_run_at <= $1::timestamptz) AS due,
                   (SELECT coalesce(extract(epoch FROM $1::timestamptz - min(next_run_at)), 0)::float8
                      FROM schedules WHERE enabled AND next_run_at <= $1::timestamptz) AS lag,
                   (SELECT count(*) FROM emissions
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

    public record Stats(long dueSchedules, double lagSeconds, long emissionsLastMinute,
            double emissionsPerMinuteLast15, long outboxPending, Map<String, Long> tenantsByTier) {
    }

    private final TenantTransactions transactions;
    private final TierPolicy tiers;
    private final Clock clock;

    public ScheduleStats(TenantTransactions transactions, TierPolicy tiers, Clock clock) {
        this.transactions = transactions;
        this.tiers = tiers;
        this.clock = clock;
    }

    public Uni<Stats> stats() {
        OffsetDateTime now = clock.instant().atOffset(ZoneOffset.UTC);
        return transactions.asSystem(TASK, connection -> connection.preparedQuery(TOTALS).execute(Tuple.of(now))
                .chain(totals -> connection.preparedQuery(TENANTS_BY_TIER)
                        .execute(Tuple.of(now, tiers.activeWithinSeconds(), tiers.normalWithinSeconds()))
                        .map(byTier -> {
                            Map<String, Long> counts = new TreeMap<>();
                            for (Tier tier : Tier.values()) {
                                counts.put(tier.name(), 0L);
                            }
                            byTier.forEach(row -> counts.put(row.getString("tier"), row.getLong("tenants")));
                            Row row = totals.iterator().next();
                            return new Stats(row.getLong("due"), row.getDouble("lag"), row.getLong("last_minute"),
                                    row.getLong("last_15") / 15.0, row.getLong("pending"), counts);
                        })));
    }
}
