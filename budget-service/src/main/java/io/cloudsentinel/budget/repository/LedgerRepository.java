package io.cloudsentinel.budget.repository;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import org.hibernate.reactive.mutiny.Mutiny;

import io.cloudsentinel.budget.Hold;
import io.cloudsentinel.budget.LedgerEntry;
import io.cloudsentinel.budget.Window;
import io.cloudsentinel.platform.tenant.TenantId;
import io.smallrye.mutiny.Uni;

/** The append-only ledger (the app role may not update or delete it) and the fold that checks the counters. */
@ApplicationScoped
public class LedgerRepository {

    /** One row per window period whose counters differ from the fold of the ledger. */
    public record Mismatch(UUID tenant, Window window, java.time.LocalDate periodStart, long spentMicros,
            long reservedMicros, long foldSpentMicros, long foldReservedMicros) {
    }

    public Uni<Void> append(Mutiny.Session session, TenantId tenant, Hold hold, LedgerEntry.Type type,
            long reservedDelta, long spentDelta) {
        return session.createNativeQuery("""
                INSERT INTO budget_ledger (tenant_id, hold_id, entry_type, month_start, day_start, reserved_delta,
                                           spent_delta)
                VALUES (:tenant, :hold, :type, :month, CAST(:day AS date), :reserved, :spent)
                """)
                .setParameter("tenant", tenant.value())
                .setParameter("hold", hold.id())
                .setParameter("type", type.name())
                .setParameter("month", hold.monthStart())
                .setParameter("day", hold.dayStart().orElse(null))
                .setParameter("reserved", reservedDelta)
                .setParameter("spent", spentDelta)
                .executeUpdate()
                .replaceWithVoid();
    }

    /** Newest first; {@code before} is the id of the last entry of the previous page. */
    public Uni<List<LedgerEntry>> page(Mutiny.Session session, Instant from, Instant to, long before, int limit) {
        return session.createNativeQuery("""
                SELECT id, entry_type, hold_id, month_start, day_start, reserved_delta, spent_delta, created_at
                  FROM budget_ledger
                 WHERE created_at >= :from AND created_at < :to AND id < :before
                 ORDER BY id DESC
                 LIMIT :limit
                """, Object[].class)
                .setParameter("from", Rows.timestamp(from))
                .setParameter("to", Rows.timestamp(to))
                .setParameter("before", before)
                .setParameter("limit", limit)
                .getResultList()
                .map(rows -> rows.stream().map(row -> new LedgerEntry(Rows.longValue(row[0]),
                        LedgerEntry.Type.valueOf((String) row[1]), Optional.ofNullable(row[2]).map(Rows::uuid),
                        Rows.date(row[3]), Optional.ofNullable(Rows.date(row[4])), Rows.longValue(row[5]),
                        Rows.longValue(row[6]), Rows.instant(row[7]))).toList());
    }

    /** Window counters that differ from the fold of the ledger, for every tenant the session may see. */
    public Uni<List<Mismatch>> mismatches(Mutiny.Session session) {
        return session.createNativeQuery("""
                WITH fold AS (
                    SELECT tenant_id, 'MONTH' AS window_kind, month_start AS period_start,
                           sum(spent_delta) AS spent, sum(reserved_delta) AS reserved
                      FROM budget_ledger GROUP BY tenant_id, month_start
                    UNION ALL
                    SELECT tenant_id, 'DAY', day_start, sum(spent_delta), sum(reserved_delta)
                      FROM budget_ledger WHERE day_start IS NOT NULL GROUP BY tenant_id, day_start
                )
                SELECT coalesce(w.tenant_id, f.tenant_id), coalesce(w.window_kind, f.window_kind),
                       coalesce(w.period_start, f.period_start),
                       coalesce(w.spent_micros, 0), coalesce(w.reserved_micros, 0),
                       coalesce(f.spent, 0), coalesce(f.reserved, 0)
                  FROM budget_windows w
                  FULL JOIN fold f USING (tenant_id, window_kind, period_start)
                 WHERE coalesce(w.spent_micros, 0) <> coalesce(f.spent, 0)
                    OR coalesce(w.reserved_micros, 0) <> coalesce(f.reserved, 0)
                """, Object[].class)
                .getResultList()
                .map(rows -> rows.stream().map(row -> new Mismatch(Rows.uuid(row[0]), Window.valueOf((String) row[1]),
                        Rows.date(row[2]), Rows.longValue(row[3]), Rows.longValue(row[4]), Rows.longValue(row[5]),
                        Rows.longValue(row[6]))).toList());
    }
}
