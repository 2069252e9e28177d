package io.cloudsentinel.budget.repository;

import java.time.LocalDate;
import java.util.List;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;

import org.hibernate.reactive.mutiny.Mutiny;

import io.cloudsentinel.budget.BudgetPeriods;
import io.cloudsentinel.budget.Hold;
import io.cloudsentinel.budget.Window;
import io.cloudsentinel.budget.WindowState;
import io.cloudsentinel.platform.tenant.TenantId;
import io.smallrye.mutiny.Uni;

/** The spent and reserved counters of each window period. */
@ApplicationScoped
public class WindowRepository {

    /**
     * Reserves the estimate in every window of the periods, in ONE conditional statement: a window is updated only
     * if the estimate fits under its limit (or the budget is SOFT). The caller compares the windows returned with
     * those asked for and rolls the transaction back when one is missing, so the hold is all or nothing. Rows are
     * locked in a fixed order (DAY before MONTH) so that concurrent reservations cannot deadlock, and PostgreSQL
     * re-checks the condition on the newest row version after waiting for a lock, so nothing is overspent.
     */
    private static final String RESERVE = """
            UPDATE budget_windows w
               SET reserved_micros = w.reserved_micros + :estimate
              FROM budgets b
             WHERE b.tenant_id = w.tenant_id
               AND (w.tenant_id, w.window_kind, w.period_start) IN (
                     SELECT tenant_id, window_kind, period_start
                       FROM budget_windows
                      WHERE tenant_id = :tenant
                        AND ((window_kind = 'MONTH' AND period_start = :month)
                          OR (window_kind = 'DAY' AND period_start = CAST(:day AS date)))
                      ORDER BY window_kind
                        FOR UPDATE)
               AND (b.mode = 'SOFT'
                    OR w.spent_micros + w.reserved_micros + :estimate
                       <= CASE w.window_kind WHEN 'MONTH' THEN b.monthly_limit_micros ELSE b.daily_limit_micros END)
            RETURNING w.window_kind, w.period_start, w.spent_micros, w.reserved_micros
            """;

    /** Charges the real cost and frees what the hold reserved, in the hold's own periods; never refused. */
    private static final String SETTLE = """
            UPDATE budget_windows
               SET spent_micros = spent_micros + :cost,
                   reserved_micros = reserved_micros - :freed
             WHERE tenant_id = :tenant
               AND ((window_kind = 'MONTH' AND period_start = :month)
                 OR (window_kind = 'DAY' AND period_start = CAST(:day AS date)))
            RETURNING window_kind, period_start, spent_micros, reserved_micros
            """;

    public Uni<Void> ensure(Mutiny.Session session, TenantId tenant, BudgetPeriods periods, List<Window> windows) {
        return session.createNativeQuery("""
                INSERT INTO budget_windows (tenant_id, window_kind, period_start)
                SELECT :tenant, kind, start
                  FROM (VALUES ('MONTH', CAST(:month AS date)), ('DAY', CAST(:day AS date))) AS p (kind, start)
                 WHERE start IS NOT NULL
                ON CONFLICT DO NOTHING
                """)
                .setParameter("tenant", tenant.value())
                .setParameter("month", periods.monthStart())
                .setParameter("day", windows.contains(Window.DAY) ? periods.dayStart() : null)
                .executeUpdate()
                .replaceWithVoid();
    }

    /** @return the windows that took the reservation, with their counters after it */
    public Uni<List<WindowState>> reserve(Mutiny.Session session, TenantId tenant, LocalDate month,
            Optional<LocalDate> day, long estimateMicros) {
        return session.createNativeQuery(RESERVE, Object[].class)
                .setParameter("estimate", estimateMicros)
                .setParameter("tenant", tenant.value())
                .setParameter("month", month)
                .setParameter("day", day.orElse(null))
                .getResultList()
                .map(WindowRepository::states);
    }

    /** @return the hold's windows with their counters after the change */
    public Uni<List<WindowState>> settle(Mutiny.Session session, TenantId tenant, Hold hold, long costMicros,
            long freedMicros) {
        return adjust(session, tenant, hold, costMicros, freedMicros);
    }

    public Uni<List<WindowState>> release(Mutiny.Session session, TenantId tenant, Hold hold) {
        return adjust(session, tenant, hold, 0, hold.estimateMicros());
    }

    private Uni<List<WindowState>> adjust(Mutiny.Session session, TenantId tenant, Hold hold, long costMicros,
            long freedMicros) {
        return session.createNativeQuery(SETTLE, Object[].class)
                .setParameter("cost", costMicros)
                .setParameter("freed", freedMicros)
                .setParameter("tenant", tenant.value())
                .setParameter("month", hold.monthStart())
                .setParameter("day", hold.dayStart().orElse(null))
                .getResultList()
                .map(WindowRepository::states);
    }

    private static List<WindowState> states(List<Object[]> rows) {
        return rows.stream().map(row -> new WindowState(Window.valueOf((String) row[0]), Rows.date(row[1]),
                Rows.longValue(row[2]), Rows.longValue(row[3]))).toList();
    }

    /** The counters of the periods' windows; a window without a row yet reads as empty. */
    public Uni<List<WindowState>> states(Mutiny.Session session, BudgetPeriods periods, List<Window> windows) {
        return session.createNativeQuery("""
                SELECT window_kind, period_start, spent_micros, reserved_micros
                  FROM budget_windows
                 WHERE (window_kind = 'MONTH' AND period_start = :month)
                    OR (window_kind = 'DAY' AND period_start = :day)
                """, Object[].class)
                .setParameter("month", periods.monthStart())
                .setParameter("day", periods.dayStart())
                .getResultList()
                .map(rows -> windows.stream().map(window -> rows.stream()
                        .filter(row -> Window.valueOf((String) row[0]) == window)
                        .findFirst()
                        .map(row -> new WindowState(window, Rows.date(row[1]), Rows.longValue(row[2]),
                                Rows.longValue(row[3])))
                        .orElse(WindowState.empty(window, periods.start(window))))
                        .toList());
    }
}
