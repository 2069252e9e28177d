package io.cloudsentinel.scheduler.service;

import java.time.Clock;
import java.time.ZoneOffset;

import jakarta.enterprise.context.ApplicationScoped;

import io.cloudsentinel.platform.tenant.SystemTask;
import io.cloudsentinel.platform.tenant.TenantTransactions;
import io.cloudsentinel.scheduler.config.SchedulerConfig;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Tuple;

/**
 * Prunes emissions and manual runs older than the retention. One replica at a time: a transaction-scoped advisory
 * lock lets the others skip. (Tiers need no refresh: they are computed from the last activity when asked for.)
 */
@ApplicationScoped
public class Housekeeping {

    private static final SystemTask TASK = new SystemTask("schedule-housekeeping");
    /** Any constant; only this service's database uses it. */
    private static final long LOCK = 0x5c4ed01e;

    private static final String PRUNE_EMISSIONS = """
            DELETE FROM emissions
             WHERE (tenant_id, job_type, slot_start) IN (SELECT tenant_id, job_type, slot_start FROM emissions
                                                           WHERE emitted_at < $1::timestamptz LIMIT 10000)
            """;
    private static final String PRUNE_MANUAL_RUNS = "DELETE FROM manual_runs WHERE requested_at < $1::timestamptz";

    /** What one pass changed; empty when another replica held the lock. */
    public record Outcome(boolean ran, int pruned) {
    }

    private final TenantTransactions transactions;
    private final SchedulerConfig config;
    private final Clock clock;

    public Housekeeping(TenantTransactions transactions, SchedulerConfig config, Clock clock) {
        this.transactions = transactions;
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
                        return Uni.createFrom().item(new Outcome(false, 0));
                    }
                    return connection.preparedQuery(PRUNE_EMISSIONS).execute(Tuple.of(horizon))
                            .chain(pruned -> connection.preparedQuery(PRUNE_MANUAL_RUNS).execute(Tuple.of(horizon))
                                    .map(ignored -> new Outcome(true, pruned.rowCount())));
                }));
    }
}
