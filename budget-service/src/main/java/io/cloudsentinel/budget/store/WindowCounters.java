package io.cloudsentinel.budget.store;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;

import io.cloudsentinel.budget.BudgetPeriods;
import io.cloudsentinel.budget.Window;
import io.cloudsentinel.budget.WindowState;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.Tuple;

/** Reads the spent and reserved counters of window periods; a period without a row yet reads as empty. */
@ApplicationScoped
public class WindowCounters {

    /** The counters of one window period. */
    public Uni<WindowState> state(SqlClient connection, Window window, LocalDate periodStart) {
        return connection.preparedQuery("""
                SELECT spent_micros, reserved_micros FROM budget_windows WHERE window_kind = $1 AND period_start = $2
                """)
                .execute(Tuple.of(window.name(), periodStart))
                .map(rows -> {
                    if (rows.size() == 0) {
                        return WindowState.empty(window, periodStart);
                    }
                    Row row = rows.iterator().next();
                    return new WindowState(window, periodStart, row.getLong("spent_micros"),
                            row.getLong("reserved_micros"));
                });
    }

    /** The counters of the periods' windows, in the order asked. */
    public Uni<List<WindowState>> states(SqlClient connection, BudgetPeriods periods, List<Window> windows) {
        return connection.preparedQuery("""
                SELECT window_kind, spent_micros, reserved_micros
                  FROM budget_windows
                 WHERE (window_kind = 'MONTH' AND period_start = $1)
                    OR (window_kind = 'DAY' AND period_start = $2)
                """)
                .execute(Tuple.of(periods.monthStart(), periods.dayStart()))
                .map(rows -> {
                    List<WindowState> states = new ArrayList<>();
                    for (Window window : windows) {
                        WindowState state = WindowState.empty(window, periods.start(window));
                        for (Row row : rows) {
                            if (Window.valueOf(row.getString("window_kind")) == window) {
                                state = new WindowState(window, periods.start(window), row.getLong("spent_micros"),
                                        row.getLong("reserved_micros"));
                            }
                        }
                        states.add(state);
                    }
                    return states;
                });
    }
}
