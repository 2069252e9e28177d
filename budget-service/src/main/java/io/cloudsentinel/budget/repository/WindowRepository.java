package io.cloudsentinel.budget.repository;

import java.time.LocalDate;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;

import org.hibernate.reactive.mutiny.Mutiny;

import io.cloudsentinel.budget.BudgetPeriods;
import io.cloudsentinel.budget.Hold;
import io.cloudsentinel.budget.Window;
import io.cloudsentinel.budget.WindowState;
import io.cloudsentinel.platform.tenant.TenantId;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.Tuple;

/** The spent and reserved counters of each window period. */
@ApplicationScoped
public class WindowRepository {

    /** Frees what a released hold reserved, in the hold's own periods. */
    public Uni<List<WindowState>> release(Mutiny.Session session, TenantId tenant, Hold hold) {
        return session.createNativeQuery("""
                UPDATE budget_windows
                   SET reserved_micros = reserved_micros - :freed
                 WHERE tenant_id = :tenant
                   AND ((window_kind = 'MONTH' AND period_start = :month)
                     OR (window_kind = 'DAY' AND period_start = CAST(:day AS date)))
                RETURNING window_kind, period_start, spent_micros, reserved_micros
                """, Object[].class)
                .setParameter("freed", hold.estimateMicros())
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

    /** The counters of one window period (empty when it has no row yet), for code on a Vert.x connection. */
    public Uni<WindowState> state(SqlClient connection, Window window, LocalDate periodStart) {
        return connection.preparedQuery("""
                SELECT spent_micros, reserved_micros FROM budget_windows WHERE window_kind = $1 AND period_start = $2
                """)
                .execute(Tuple.of(window.name(), periodStart))
                .map(rows -> rows.size() == 0 ? WindowState.empty(window, periodStart)
                        : new WindowState(window, periodStart, rows.iterator().next().getLong("spent_micros"),
                                rows.iterator().next().getLong("reserved_micros")));
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
