package io.cloudsentinel.scheduler.store;

import java.time.Instant;
import java.time.ZoneOffset;

import jakarta.enterprise.context.ApplicationScoped;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.Tuple;

/**
 * Deletes emissions and manual runs older than a horizon, one replica at a time: a transaction-scoped advisory lock
 * lets the others skip.
 */
@ApplicationScoped
public class RetentionPrune {

    /** Any constant; only this service's database uses it. */
    private static final long LOCK = 0x5c4ed01e;

    private static final String TRY_LOCK = "SELECT pg_try_advisory_xact_lock($1)";
    /** At most 10,000 a pass, so that a first pass after a long pause does not hold locks for long. */
    private static final String PRUNE_EMISSIONS = """
            DELETE FROM emissions
             WHERE (tenant_id, job_type, slot_start) IN (SELECT tenant_id, job_type, slot_start FROM emissions
                                                           WHERE emitted_at < $1::timestamptz LIMIT 10000)
            """;
    private static final String PRUNE_MANUAL_RUNS = "DELETE FROM manual_runs WHERE requested_at < $1::timestamptz";

    /** What one pass did; {@code ran} is false when another replica held the lock. */
    public record Pruned(boolean ran, int emissions, int manualRuns) {
    }

    public Uni<Pruned> prune(SqlClient connection, Instant horizon) {
        Tuple before = Tuple.of(horizon.atOffset(ZoneOffset.UTC));
        return connection.preparedQuery(TRY_LOCK).execute(Tuple.of(LOCK)).chain(locked -> {
            if (!locked.iterator().next().getBoolean(0)) {
                return Uni.createFrom().item(new Pruned(false, 0, 0));
            }
            return connection.preparedQuery(PRUNE_EMISSIONS).execute(before)
                    .chain(emissions -> connection.preparedQuery(PRUNE_MANUAL_RUNS).execute(before)
                            .map(manualRuns -> new Pruned(true, emissions.rowCount(), manualRuns.rowCount())));
        });
    }
}
