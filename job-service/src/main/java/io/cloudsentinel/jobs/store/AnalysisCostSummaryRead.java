package io.cloudsentinel.jobs.store;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;

import io.cloudsentinel.platform.tenant.TenantId;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.Tuple;

/**
 * The compact cost summary an analysis is built from, out of the aggregates and findings (never the raw rows): spend
 * by service and currency over the last 30 days beside the 30 before (the trend, and so the top movers), the
 * anomalies of the last 30 days, and the idle resources of the last scan.
 */
@ApplicationScoped
public class AnalysisCostSummaryRead {

    private static final String SPEND_BY_SERVICE = """
            SELECT billing_currency, service_name,
                   sum(effective_cost) FILTER (WHERE day >= $2) AS recent,
                   sum(effective_cost) FILTER (WHERE day < $2) AS previous
              FROM cost_daily
             WHERE tenant_id = $1 AND day >= $3 AND day < $4
             GROUP BY billing_currency, service_name
            HAVING sum(effective_cost) FILTER (WHERE day >= $2) <> 0
            """;

    private static final String ANOMALIES = """
            SELECT day, billing_currency, service_name, sub_account_id, region_id, effective_cost, baseline_median,
                   impact
              FROM cost_anomalies
             WHERE tenant_id = $1 AND day >= $2
             ORDER BY impact DESC
             LIMIT 50
            """;

    private static final String IDLE = """
            SELECT resource_id, billing_currency, service_name, region_id, days_billed, effective_cost, first_day,
                   last_day
              FROM cost_idle_resources
             WHERE tenant_id = $1
             ORDER BY effective_cost DESC
             LIMIT 50
            """;

    /** A service's spend in one currency: the last 30 days and the 30 before (zero when it had none). */
    public record ServiceSpend(String currency, String service, BigDecimal recent, BigDecimal previous) {
    }

    public record Anomaly(LocalDate day, String currency, String service, String subAccount, String region,
            BigDecimal effectiveCost, BigDecimal baselineMedian, BigDecimal impact) {
    }

    public record IdleResource(String resourceId, String currency, String service, String region, int daysBilled,
            BigDecimal effectiveCost, LocalDate firstDay, LocalDate lastDay) {
    }

    /** @param today the first day not counted */
    public Uni<List<ServiceSpend>> spendByService(SqlClient connection, TenantId tenant, LocalDate today, int days) {
        LocalDate recentFrom = today.minusDays(days);
        return connection.preparedQuery(SPEND_BY_SERVICE)
                .execute(Tuple.of(tenant.value(), recentFrom, recentFrom.minusDays(days), today)).map(rows -> {
                    List<ServiceSpend> spend = new ArrayList<>();
                    rows.forEach(row -> spend.add(new ServiceSpend(row.getString("billing_currency"),
                            row.getString("service_name"), row.getBigDecimal("recent"),
                            row.getBigDecimal("previous") == null ? BigDecimal.ZERO
                                    : row.getBigDecimal("previous"))));
                    return spend;
                });
    }

    public Uni<List<Anomaly>> anomaliesSince(SqlClient connection, TenantId tenant, LocalDate from) {
        return connection.preparedQuery(ANOMALIES).execute(Tuple.of(tenant.value(), from)).map(rows -> {
            List<Anomaly> anomalies = new ArrayList<>();
            rows.forEach(row -> anomalies.add(new Anomaly(row.getLocalDate("day"), row.getString("billing_currency"),
                    row.getString("service_name"), row.getString("sub_account_id"), row.getString("region_id"),
                    row.getBigDecimal("effective_cost"), row.getBigDecimal("baseline_median"),
                    row.getBigDecimal("impact"))));
            return anomalies;
        });
    }

    public Uni<List<IdleResource>> idleResources(SqlClient connection, TenantId tenant) {
        return connection.preparedQuery(IDLE).execute(Tuple.of(tenant.value())).map(rows -> {
            List<IdleResource> idle = new ArrayList<>();
            rows.forEach(row -> idle.add(new IdleResource(row.getString("resource_id"),
                    row.getString("billing_currency"), row.getString("service_name"), row.getString("region_id"),
                    row.getInteger("days_billed"), row.getBigDecimal("effective_cost"),
                    row.getLocalDate("first_day"), row.getLocalDate("last_day"))));
            return idle;
        });
    }
}
