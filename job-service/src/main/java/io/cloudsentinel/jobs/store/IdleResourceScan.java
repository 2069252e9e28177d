package io.cloudsentinel.jobs.store;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;

import jakarta.enterprise.context.ApplicationScoped;

import io.cloudsentinel.platform.tenant.TenantId;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.Tuple;

/**
 * {@code zombie_scan}'s heuristic: a resource billed for Usage on every day of the window, at a positive
 * EffectiveCost in all, with no consumed quantity on any of its rows, is paid for and not used. The window is the
 * last {@code days} complete UTC days that the tenant's data reaches: it ends on yesterday, or on the last day any
 * of its rows counts for when the exports lag, so that a day not yet exported does not empty the list. Usage rows
 * only: a reservation's or a plan's recurring fee has no quantity either, and is a commitment, not a zombie. The
 * tenant's list is replaced in the caller's transaction.
 */
@ApplicationScoped
public class IdleResourceScan {

    /** Two scans of one tenant at once (scheduled and requested) take turns: each replaces the whole list. */
    private static final String TAKE_TURN = "SELECT pg_advisory_xact_lock(hashtextextended('cost-idle-scan:' || $1::text, 0))";

    private static final String CLEAR = "DELETE FROM cost_idle_resources WHERE tenant_id = $1";

    /** $2: yesterday; $3: the window's days; $4: now. */
    private static final String SCAN = """
            WITH window_end AS (
                SELECT max(charge_day) AS last_day
                  FROM cost_rows
                 WHERE tenant_id = $1 AND charge_day <= $2
            )
            INSERT INTO cost_idle_resources (tenant_id, resource_id, billing_currency, service_name, sub_account_id,
                                             region_id, days_billed, effective_cost, first_day, last_day, detected_at)
            SELECT $1, r.resource_id, r.billing_currency, min(r.service_name), coalesce(min(r.sub_account_id), ''),
                   coalesce(min(r.region_id), ''), count(DISTINCT r.charge_day), sum(r.effective_cost),
                   min(r.charge_day), max(r.charge_day), $4
              FROM cost_rows r, window_end w
             WHERE r.tenant_id = $1
               AND r.charge_day BETWEEN w.last_day - ($3::integer - 1) AND w.last_day
               AND r.charge_category = 'Usage'
               AND r.resource_id IS NOT NULL
             GROUP BY r.resource_id, r.billing_currency
            HAVING count(DISTINCT r.charge_day) = $3::integer
               AND sum(r.effective_cost) > 0
               AND bool_and(coalesce(r.consumed_quantity, 0) = 0)
            """;

    /** Replaces the tenant's idle resources with what the window shows; answers how many there are. */
    public Uni<Integer> replace(SqlClient connection, TenantId tenant, LocalDate yesterday, int days, Instant now) {
        return connection.preparedQuery(TAKE_TURN).execute(Tuple.of(tenant.toString()))
                .chain(() -> connection.preparedQuery(CLEAR).execute(Tuple.of(tenant.value())))
                .chain(() -> connection.preparedQuery(SCAN)
                        .execute(Tuple.of(tenant.value(), yesterday, days, now.atOffset(ZoneOffset.UTC))))
                .map(rows -> rows.rowCount());
    }
}
