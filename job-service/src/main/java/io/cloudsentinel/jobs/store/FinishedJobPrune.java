package io.cloudsentinel.jobs.store;

import java.time.Instant;
import java.time.ZoneOffset;

import jakarta.enterprise.context.ApplicationScoped;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.Tuple;

/**
 * Deletes jobs that finished before the horizon (their attempts go with them), a batch at a time, one replica at a
 * time: a transaction-scoped advisory lock lets the others skip. Their dedup keys go too, so the retention is also
 * the dedup horizon.
 */
@ApplicationScoped
public class FinishedJobPrune {

    /** Any constant; only this service's database uses it. */
    private static final long LOCK = 0x10b5_9a7e;
    private static final String TRY_LOCK = "SELECT pg_try_advisory_xact_lock($1)";
    private static final String PRUNE = """
            DELETE FROM jobs
             WHERE (tenant_id, id) IN (SELECT tenant_id, id FROM jobs
                                        WHERE finished_at < $1::timestamptz
                                        LIMIT $2::integer)
            """;

    /** The jobs deleted; -1 when another replica held the lock. */
    public Uni<Integer> prune(SqlClient connection, Instant horizon, int batch) {
        return connection.preparedQuery(TRY_LOCK).execute(Tuple.of(LOCK)).chain(locked -> {
            if (!locked.iterator().next().getBoolean(0)) {
                return Uni.createFrom().item(-1);
            }
            return connection.preparedQuery(PRUNE).execute(Tuple.of(horizon.atOffset(ZoneOffset.UTC), batch))
                    .map(deleted -> deleted.rowCount());
        });
    }
}
