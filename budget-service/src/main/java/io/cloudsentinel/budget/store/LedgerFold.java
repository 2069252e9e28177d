package io.cloudsentinel.budget.store;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import io.cloudsentinel.budget.Window;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlClient;

/** Folds the ledger and compares it with the window counters: the ledger is the truth. */
@ApplicationScoped
public class LedgerFold {

    /** One row per window period whose counters differ from the fold of the ledger. */
    public record Mismatch(UUID tenant, Window window, LocalDate periodStart, long spentMicros, long reservedMicros,
            long foldSpentMicros, long foldReservedMicros) {
    }

    /** Window counters that differ from the fold of the ledger, for every tenant the transaction may see. */
    public Uni<List<Mismatch>> mismatches(SqlClient connection) {
        return connection.query("""
                WITH fold AS (
                    SELECT tenant_id, 'MONTH' AS window_kind, month_start AS period_start,
                           sum(spent_delta) AS spent, sum(reserved_delta) AS reserved
                      FROM budget_ledger GROUP BY tenant_id, month_start
                    UNION ALL
                    SELECT tenant_id, 'DAY', day_start, sum(spent_delta), sum(reserved_delta)
                      FROM budget_ledger WHERE day_start IS NOT NULL GROUP BY tenant_id, day_start
                )
                SELECT coalesce(w.tenant_id, f.tenant_id) AS tenant_id, coalesce(w.window_kind, f.window_kind) AS kind,
                       coalesce(w.period_start, f.period_start) AS period_start,
                       coalesce(w.spent_micros, 0) AS spent, coalesce(w.reserved_micros, 0) AS reserved,
                       coalesce(f.spent, 0) AS fold_spent, coalesce(f.reserved, 0) AS fold_reserved
                  FROM budget_windows w
                  FULL JOIN fold f USING (tenant_id, window_kind, period_start)
                 WHERE coalesce(w.spent_micros, 0) <> coalesce(f.spent, 0)
                    OR coalesce(w.reserved_micros, 0) <> coalesce(f.reserved, 0)
                """)
                .execute()
                .map(rows -> {
                    List<Mismatch> mismatches = new ArrayList<>();
                    for (Row row : rows) {
                        mismatches.add(new Mismatch(row.getUUID("tenant_id"), Window.valueOf(row.getString("kind")),
                                row.getLocalDate("period_start"), row.getLong("spent"), row.getLong("reserved"),
                                row.getLong("fold_spent"), row.getLong("fold_reserved")));
                    }
                    return mismatches;
                });
    }
}
