package io.cloudsentinel.jobs.store;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import jakarta.enterprise.context.ApplicationScoped;

import io.cloudsentinel.jobs.costs.CostSeries;
import io.cloudsentinel.platform.tenant.TenantId;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.Tuple;

/**
 * A tenant's daily Usage EffectiveCost by series (currency, service, sub-account, region), summed over sources and
 * billing periods from {@code cost_daily}, for the days from the first baseline day to the last evaluated one. Only
 * series with a row on an evaluated day are read: a series without one cannot rise on those days.
 */
@ApplicationScoped
public class UsageSeriesRead {

    private static final String READ = """
            WITH evaluated AS (
                SELECT DISTINCT billing_currency, service_name, sub_account_id, region_id
                  FROM cost_daily
                 WHERE tenant_id = $1 AND charge_category = 'Usage' AND day BETWEEN $3 AND $4
            )
            SELECT d.billing_currency, d.service_name, d.sub_account_id, d.region_id, d.day,
                   sum(d.effective_cost) AS effective_cost
              FROM cost_daily d
              JOIN evaluated e USING (billing_currency, service_name, sub_account_id, region_id)
             WHERE d.tenant_id = $1 AND d.charge_category = 'Usage' AND d.day BETWEEN $2 AND $4
             GROUP BY d.billing_currency, d.service_name, d.sub_account_id, d.region_id, d.day
             ORDER BY d.billing_currency, d.service_name, d.sub_account_id, d.region_id, d.day
            """;

    /**
     * @param from the first day read (the first evaluated day less the baseline)
     * @param firstEvaluated the first evaluated day
     * @param last the last evaluated day
     */
    public Uni<List<CostSeries>> of(SqlClient connection, TenantId tenant, LocalDate from, LocalDate firstEvaluated,
            LocalDate last) {
        return connection.preparedQuery(READ).execute(Tuple.of(tenant.value(), from, firstEvaluated, last))
                .map(rows -> {
                    Map<CostSeries.Id, TreeMap<LocalDate, BigDecimal>> series = new LinkedHashMap<>();
                    for (Row row : rows) {
                        CostSeries.Id id = new CostSeries.Id(row.getString("billing_currency"),
                                row.getString("service_name"), row.getString("sub_account_id"),
                                row.getString("region_id"));
                        series.computeIfAbsent(id, key -> new TreeMap<>()).put(row.getLocalDate("day"),
                                row.getBigDecimal("effective_cost"));
                    }
                    List<CostSeries> all = new ArrayList<>(series.size());
                    series.forEach((id, days) -> all.add(new CostSeries(id, days)));
                    return all;
                });
    }
}
