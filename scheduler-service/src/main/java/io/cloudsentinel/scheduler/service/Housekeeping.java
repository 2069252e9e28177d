package io.cloudsentinel.scheduler.service;

import java.time.Clock;
import java.time.ZoneOffset;

import jakarta.enterprise.context.ApplicationScoped;

import io.cloudsentinel.platform.tenant.SystemTask;
import io.cloudsentinel.platform.tenant.TenantTransactions;
import io.cloudsentinel.scheduler.TierPolicy;
import io.cloudsentinel.scheduler.config.SchedulerConfig;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Tuple;

/**
 * Refreshes the stored tier of tenants that went quiet (the sweep computes it itself; this keeps the column and the
 * API's tier counts true) and prunes emissions and manual runs older than the retention. One replica at a time: a
 * transaction-scoped advisory lock lets the others skip.
 */
@ApplicationScoped
public class Housekeeping {

    private static final SystemTask TASK = new SystemTask("schedule-housekeeping");
    /** Any constant; only this service's database uses it. */
    private static final long LOCK = 0x5c4ed01e;

    private static final String RETIER = """
            UPDATE tenants
               SET tier = cs_tier(last_activity_at, $1::timestamptz, $2::float8, $3::float8)
             WHERE tier <> cs_tier(last_activity_at, $1::timestamptz, $2::float8, $3::float8)
            """;
    private static final String PRUNE_EMISSIONS = """
            DELETE FROM emissions
             WHERE (tenant_id, job_type, slot_start) IN (SELECT tenant_id, job_type, slot_start FROM emissions
                                                           WHERE emitted_at < $1::timestamptz LIMIT 10000)
            """;
    private static final String PRUNE_MANUAL_RUNS = "DELETE FROM manual_runs WHERE requested_at < $1::timestamptz";

    /** What one pass changed; empty when another replica held the lock. */
    public record Outcome(boolean ran, int retiered, int pruned) {
    }

    private final TenantTransactions transactions;
    private final TierPolicy tiers;
    private final SchedulerConfig config;
    private final Clock clock;

    public Housekeeping(TenantTransactions transactions, TierPolicy tiers, SchedulerConfig config, Clock clock) {
        this.transactions = transactions;
        this.tiers = tiers;
        this.config = config;
        this.clock = clock;
    }

    public Uni<Outcome> run() {
        var now = clock.instant().atOffset(ZoneOffset.UTC);
        var horizon = now.minus(config.emissionRetention());
        return transactions.asSystem(TASK, connection -> connection
                .preparedQuery("SELECT pg_try_advisory_xact_lock($1)").execute(Tuple.of(LOCK))
                .chain(locked -> {
                    if (!locked.iterator().next().getBoolean(0)) {
                        return Uni.createFrom().item(new Outcome(false, 0, 0));
                    }
                    return connection.preparedQuery(RETIER)
                            .execute(Tuple.of(now, (double) tiers.activeWithin().toSeconds(),
                                    (double) tiers.normalWithin().toSeconds()))
                            .chain(retiered -> connection.preparedQuery(PRUNE_EMISSIONS).execute(Tuple.of(horizon))
                                    .chain(pruned -> connection.preparedQuery(PRUNE_MANUAL_RUNS)
                                            .execute(Tuple.of(horizon))
                                            .map(ignored -> new Outcome(true, retiered.rowCount(),
                                                    pruned.rowCount()))));
                }));
    }
}
