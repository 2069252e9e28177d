package io.cloudsentinel.budget.store;

import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.UUID;

import io.cloudsentinel.budget.Budget;
import io.cloudsentinel.budget.BudgetMode;
import io.cloudsentinel.budget.Window;
import io.cloudsentinel.budget.WindowState;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowSet;
import io.vertx.mutiny.sqlclient.Tuple;

/**
 * The two hot statements of budget-service, each one statement that does the whole step: {@link #AUTHORIZE} takes the
 * hold and reserves it in every window, {@link #SETTLE} charges the real cost and frees the hold. They run through
 * {@code TenantTransactions.inTenantPipelined}, so an authorization or a settlement is two round trips to PostgreSQL
 * and one (cached) plan, where reading, checking and writing statement by statement took nine.
 */
public final class Reservations {

    /**
     * The tenant's budget row (row-level security shows only its own), or {@link Budget#defaults} while it has none.
     */
    private static String budgetOrDefault(String defaultMonthlyLimit) {
        return """
                budget AS (
                    SELECT monthly_limit_micros, daily_limit_micros, soft_alert_percent, mode, time_zone FROM budgets
                     UNION ALL
                    SELECT CAST(%s AS bigint), NULL, %d, '%s', '%s' WHERE NOT EXISTS (SELECT FROM budgets)
                )""".formatted(defaultMonthlyLimit, Budget.DEFAULT_SOFT_ALERT_PERCENT, Budget.DEFAULT_MODE.name(),
                Budget.DEFAULT_ZONE);
    }

    /**
     * Takes the idempotency key with a new hold, then reserves the estimate in the tenant's window periods (DAY before
     * MONTH, the one lock order), each only if it fits under its limit or the budget is SOFT, and appends the HOLD
     * entry. {@code ON CONFLICT DO UPDATE … WHERE} locks the window row and checks the limit against its newest
     * version, so concurrent reservations cannot overspend. The caller commits only when every period took the
     * reservation; otherwise (limit, key already used, unknown model) it rolls back, so the hold is all or nothing.
     * The reservation reads the hold's estimate, which makes PostgreSQL insert the hold (claim the key) first.
     * Periods are the tenant's local dates at {@code $6}; a new month or day inserts a new window row.
     */
    public static final String AUTHORIZE = "WITH " + budgetOrDefault("$8") + """
            , price AS (
                SELECT version, ($4 * input_micros_per_mtok + $5 * output_micros_per_mtok + 999999) / 1000000 AS estimate
                  FROM model_prices
                 WHERE model = $3 AND effective_from <= CAST($6 AS timestamptz)
                 ORDER BY version DESC
                 LIMIT 1
            ), periods AS (
                SELECT p.kind, p.start, p.limit_micros
                  FROM budget b
                 CROSS JOIN LATERAL (VALUES
                       ('DAY', CAST(CAST($6 AS timestamptz) AT TIME ZONE b.time_zone AS date), b.daily_limit_micros),
                       ('MONTH', CAST(date_trunc('month', CAST($6 AS timestamptz) AT TIME ZONE b.time_zone) AS date),
                        b.monthly_limit_micros)) AS p (kind, start, limit_micros)
                 WHERE p.limit_micros IS NOT NULL
            ), hold AS (
                INSERT INTO budget_holds (id, tenant_id, idempotency_key, model, price_version, input_tokens,
                                          max_output_tokens, estimate_micros, month_start, day_start, status, expires_at)
                SELECT $1, cs_current_tenant(), $2, $3, price.version, $4, $5, price.estimate,
                       (SELECT start FROM periods WHERE kind = 'MONTH'), (SELECT start FROM periods WHERE kind = 'DAY'),
                       'HELD', $7
                  FROM price
                ON CONFLICT (tenant_id, idempotency_key) DO NOTHING
                RETURNING id, estimate_micros, month_start, day_start
            ), reserved AS (
                INSERT INTO budget_windows AS w (tenant_id, window_kind, period_start, reserved_micros)
                SELECT cs_current_tenant(), periods.kind, periods.start, hold.estimate_micros
                  FROM periods, hold, budget
                 WHERE budget.mode = 'SOFT' OR hold.estimate_micros <= periods.limit_micros
                 ORDER BY periods.kind
                ON CONFLICT (tenant_id, window_kind, period_start) DO UPDATE
                   SET reserved_micros = w.reserved_micros + excluded.reserved_micros
                 WHERE (SELECT mode FROM budget) = 'SOFT'
                    OR w.spent_micros + w.reserved_micros + excluded.reserved_micros
                       <= (SELECT limit_micros FROM periods WHERE kind = w.window_kind)
                RETURNING w.window_kind, w.period_start, w.spent_micros, w.reserved_micros
            ), ledger AS (
                INSERT INTO budget_ledger (tenant_id, hold_id, entry_type, month_start, day_start, reserved_delta,
                                           spent_delta)
                SELECT cs_current_tenant(), id, 'HOLD', month_start, day_start, estimate_micros, 0 FROM hold
            )
            SELECT (SELECT version FROM price) AS price_version,
                   (SELECT estimate FROM price) AS estimate_micros,
                   (SELECT id FROM hold) AS hold_id,
                   (SELECT array_agg(kind) FROM periods) AS period_kinds,
                   (SELECT array_agg(start) FROM periods) AS period_starts,
                   r.kinds, r.starts, r.spent, r.reserved,
                   b.monthly_limit_micros, b.daily_limit_micros, b.soft_alert_percent, b.mode, b.time_zone
              FROM budget b,
                   (SELECT array_agg(window_kind) AS kinds, array_agg(period_start) AS starts,
                           array_agg(spent_micros) AS spent, array_agg(reserved_micros) AS reserved
                      FROM reserved) r
            """;

    /**
     * Locks the hold and, unless it is settled already, charges the real cost at the hold's price version, frees what
     * it still reserved (nothing after a release or expiry: real spend is still charged), marks it settled and
     * appends the SETTLE entry. Window rows are locked DAY before MONTH, like a reservation. No row: no such hold for
     * this tenant.
     */
    public static final String SETTLE = "WITH " + budgetOrDefault("$5") + """
            , hold AS (
                SELECT id, model, price_version, estimate_micros, month_start, day_start, status,
                       settled_input_tokens, settled_output_tokens, settled_cost_micros, finished_at
                  FROM budget_holds
                 WHERE tenant_id = cs_current_tenant() AND id = $1
                   FOR UPDATE
            ), charge AS (
                SELECT hold.id, hold.month_start, hold.day_start,
                       ($2 * p.input_micros_per_mtok + $3 * p.output_micros_per_mtok + 999999) / 1000000 AS cost,
                       CASE hold.status WHEN 'HELD' THEN hold.estimate_micros ELSE 0 END AS freed
                  FROM hold
                  JOIN model_prices p ON p.model = hold.model AND p.version = hold.price_version
                 WHERE hold.status <> 'SETTLED'
            ), settled AS (
                UPDATE budget_holds h
                   SET status = 'SETTLED', settled_input_tokens = $2, settled_output_tokens = $3,
                       settled_cost_micros = charge.cost, finished_at = $4
                  FROM charge
                 WHERE h.tenant_id = cs_current_tenant() AND h.id = charge.id
            ), windows AS (
                UPDATE budget_windows w
                   SET spent_micros = w.spent_micros + charge.cost,
                       reserved_micros = w.reserved_micros - charge.freed
                  FROM charge
                 WHERE (w.tenant_id, w.window_kind, w.period_start) IN (
                         SELECT l.tenant_id, l.window_kind, l.period_start
                           FROM budget_windows l, charge c
                          WHERE l.tenant_id = cs_current_tenant()
                            AND ((l.window_kind = 'MONTH' AND l.period_start = c.month_start)
                              OR (l.window_kind = 'DAY' AND l.period_start = c.day_start))
                          ORDER BY l.window_kind
                            FOR UPDATE OF l)
                RETURNING w.window_kind, w.period_start, w.spent_micros, w.reserved_micros
            ), ledger AS (
                INSERT INTO budget_ledger (tenant_id, hold_id, entry_type, month_start, day_start, reserved_delta,
                                           spent_delta)
                SELECT cs_current_tenant(), id, 'SETTLE', month_start, day_start, -freed, cost FROM charge
            )
            SELECT hold.settled_input_tokens, hold.settled_output_tokens, hold.settled_cost_micros,
                   hold.finished_at, charge.cost, charge.freed,
                   r.kinds, r.starts, r.spent, r.reserved,
                   b.monthly_limit_micros, b.daily_limit_micros, b.soft_alert_percent, b.mode, b.time_zone
              FROM hold
              LEFT JOIN charge ON true
             CROSS JOIN budget b
             CROSS JOIN (SELECT array_agg(window_kind) AS kinds, array_agg(period_start) AS starts,
                                array_agg(spent_micros) AS spent, array_agg(reserved_micros) AS reserved
                           FROM windows) r
            """;

    /** What {@link #AUTHORIZE} did. */
    public record Authorized(Optional<Integer> priceVersion, long estimateMicros, Optional<UUID> holdId,
            List<Window> periodWindows, List<LocalDate> periodStarts, List<WindowState> reserved, Budget budget) {

        /** Whether every period took the reservation: only then may the transaction commit. */
        public boolean granted() {
            return holdId.isPresent() && reserved.size() == periodWindows.size();
        }

        public LocalDate periodStart(Window window) {
            return periodStarts.get(periodWindows.indexOf(window));
        }

        /** The day the hold reserved in, when the budget has a daily limit. */
        public Optional<LocalDate> dayStart() {
            return periodWindows.contains(Window.DAY) ? Optional.of(periodStart(Window.DAY)) : Optional.empty();
        }

        /** The first period (DAY before MONTH) that did not take the reservation. */
        public Window blockingWindow() {
            return periodWindows.stream()
                    .filter(window -> reserved.stream().noneMatch(state -> state.window() == window))
                    .findFirst().orElseThrow();
        }
    }

    /** What {@link #SETTLE} found and did; {@code cost} is empty when the hold was settled already. */
    public record Settled(Optional<Long> cost, long freedMicros, long settledInputTokens,
            long settledOutputTokens, long settledCostMicros, Instant settledAt, List<WindowState> windows,
            Budget budget) {
    }

    private Reservations() {
    }

    public static Tuple authorizeArguments(UUID holdId, String idempotencyKey, String model, long inputTokens,
            long maxOutputTokens, Instant now, Instant expiresAt, long defaultMonthlyLimitMicros) {
        return Tuple.tuple(List.of(holdId, idempotencyKey, model, inputTokens, maxOutputTokens, utc(now),
                utc(expiresAt), defaultMonthlyLimitMicros));
    }

    public static Authorized authorized(RowSet<Row> rows) {
        Row row = rows.iterator().next();
        List<Window> periodWindows = strings(row, "period_kinds").stream().map(Window::valueOf).toList();
        return new Authorized(Optional.ofNullable(row.getInteger("price_version")),
                Optional.ofNullable(row.getLong("estimate_micros")).orElse(0L),
                Optional.ofNullable(row.getUUID("hold_id")), periodWindows, dates(row, "period_starts"),
                states(row), budget(row));
    }

    public static Tuple settleArguments(UUID holdId, long inputTokens, long outputTokens, Instant now,
            long defaultMonthlyLimitMicros) {
        return Tuple.tuple(List.of(holdId, inputTokens, outputTokens, utc(now), defaultMonthlyLimitMicros));
    }

    /** @return empty when the tenant has no such hold */
    public static Optional<Settled> settled(RowSet<Row> rows) {
        if (rows.size() == 0) {
            return Optional.empty();
        }
        Row row = rows.iterator().next();
        OffsetDateTime finished = row.getOffsetDateTime("finished_at");
        return Optional.of(new Settled(Optional.ofNullable(row.getLong("cost")),
                Optional.ofNullable(row.getLong("freed")).orElse(0L),
                Optional.ofNullable(row.getLong("settled_input_tokens")).orElse(0L),
                Optional.ofNullable(row.getLong("settled_output_tokens")).orElse(0L),
                Optional.ofNullable(row.getLong("settled_cost_micros")).orElse(0L),
                finished == null ? null : finished.toInstant(), states(row), budget(row)));
    }

    private static List<WindowState> states(Row row) {
        List<String> kinds = strings(row, "kinds");
        List<LocalDate> starts = dates(row, "starts");
        Long[] spent = row.getArrayOfLongs("spent");
        Long[] reserved = row.getArrayOfLongs("reserved");
        List<WindowState> states = new ArrayList<>();
        for (int i = 0; i < kinds.size(); i++) {
            states.add(new WindowState(Window.valueOf(kinds.get(i)), starts.get(i), spent[i], reserved[i]));
        }
        return states;
    }

    private static Budget budget(Row row) {
        Long daily = row.getLong("daily_limit_micros");
        return new Budget(row.getLong("monthly_limit_micros"), daily == null ? OptionalLong.empty()
                : OptionalLong.of(daily), row.getInteger("soft_alert_percent"),
                BudgetMode.valueOf(row.getString("mode")), ZoneId.of(row.getString("time_zone")));
    }

    private static List<String> strings(Row row, String column) {
        String[] values = row.getArrayOfStrings(column);
        return values == null ? List.of() : List.of(values);
    }

    private static List<LocalDate> dates(Row row, String column) {
        LocalDate[] values = row.getArrayOfLocalDates(column);
        return values == null ? List.of() : List.of(values);
    }

    private static OffsetDateTime utc(Instant instant) {
        return instant.atOffset(ZoneOffset.UTC);
    }
}
