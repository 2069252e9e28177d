package io.cloudsentinel.budget.store;

import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;

import io.cloudsentinel.budget.Hold;
import io.cloudsentinel.budget.LedgerEntry;
import io.cloudsentinel.platform.tenant.TenantId;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.Tuple;

/**
 * Releasing a hold: lock it (so settle, release and the reaper take turns), then free what it reserved in its own
 * periods, mark it RELEASED and append the RELEASE entry, all in the caller's transaction.
 */
@ApplicationScoped
public class HoldRelease {

    /** The hold, locked for this transaction. */
    public Uni<Optional<Hold>> lock(SqlClient connection, java.util.UUID id) {
        return connection.preparedQuery("SELECT " + HoldLookup.COLUMNS + " FROM budget_holds"
                + " WHERE tenant_id = cs_current_tenant() AND id = $1 FOR UPDATE")
                .execute(Tuple.of(id))
                .map(rows -> rows.size() == 0 ? Optional.empty()
                        : Optional.of(HoldLookup.hold(rows.iterator().next())));
    }

    /**
     * Frees a HELD hold that {@link #lock} returned. The window rows are locked DAY before MONTH, as authorize, settle
     * and the reaper lock them: a bare UPDATE locks in scan order, and a bitmap scan visits this month's row (written
     * on its first day) before today's, which deadlocked against concurrent authorizations (ConcurrencyTest).
     */
    public Uni<Void> release(SqlClient connection, TenantId tenant, Hold hold, Instant at) {
        return connection.preparedQuery("""
                UPDATE budget_windows w
                   SET reserved_micros = w.reserved_micros - $1
                 WHERE (w.tenant_id, w.window_kind, w.period_start) IN (
                         SELECT l.tenant_id, l.window_kind, l.period_start
                           FROM budget_windows l
                          WHERE l.tenant_id = $2
                            AND ((l.window_kind = 'MONTH' AND l.period_start = $3)
                              OR (l.window_kind = 'DAY' AND l.period_start = $4))
                          ORDER BY l.window_kind
                            FOR UPDATE OF l)
                """)
                .execute(Tuple.of(hold.estimateMicros(), tenant.value(), hold.monthStart(),
                        hold.dayStart().orElse(null)))
                .chain(() -> connection.preparedQuery(
                        "UPDATE budget_holds SET status = 'RELEASED', finished_at = $1 WHERE tenant_id = $2 AND id = $3")
                        .execute(Tuple.of(at.atOffset(ZoneOffset.UTC), tenant.value(), hold.id())))
                .chain(() -> connection.preparedQuery("""
                        INSERT INTO budget_ledger (tenant_id, hold_id, entry_type, month_start, day_start,
                                                   reserved_delta, spent_delta)
                        VALUES ($1, $2, $3, $4, $5, $6, 0)
                        """)
                        .execute(Tuple.from(new Object[] { tenant.value(), hold.id(), LedgerEntry.Type.RELEASE.name(),
                                hold.monthStart(), hold.dayStart().orElse(null), -hold.estimateMicros() })))
                .replaceWithVoid();
    }
}
