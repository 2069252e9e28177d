package io.cloudsentinel.budget.store;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import jakarta.enterprise.context.ApplicationScoped;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.Tuple;

/**
 * What the tenant's LLM calls cost: its holds settled in {@code [from, to)}, summed in one statement per model, per
 * UTC day and in total (grouping sets), from the settled token counts and costs the holds record.
 */
@ApplicationScoped
public class UsageSummary {

    public record ModelUsage(String model, long calls, long inputTokens, long outputTokens, long costMicros) {
    }

    /** {@code costByDay}: only the UTC days with a settlement, ascending. */
    public record Usage(long calls, long costMicros, List<ModelUsage> byModel, Map<LocalDate, Long> costByDay) {
    }

    static final String SUMMARY = """
            SELECT model, day, GROUPING(model) AS all_models, GROUPING(day) AS all_days, count(*) AS calls,
                   CAST(coalesce(sum(settled_input_tokens), 0) AS bigint) AS input_tokens,
                   CAST(coalesce(sum(settled_output_tokens), 0) AS bigint) AS output_tokens,
                   CAST(coalesce(sum(settled_cost_micros), 0) AS bigint) AS cost_micros
              FROM (SELECT model, CAST(finished_at AT TIME ZONE 'UTC' AS date) AS day, settled_input_tokens,
                           settled_output_tokens, settled_cost_micros
                      FROM budget_holds
                     WHERE tenant_id = cs_current_tenant() AND status = 'SETTLED'
                       AND finished_at >= $1 AND finished_at < $2) settled
             GROUP BY GROUPING SETS ((model), (day), ())
            """;

    public Uni<Usage> between(SqlClient connection, Instant from, Instant to) {
        return connection.preparedQuery(SUMMARY)
                .execute(Tuple.of(from.atOffset(ZoneOffset.UTC), to.atOffset(ZoneOffset.UTC)))
                .map(rows -> {
                    long calls = 0;
                    long cost = 0;
                    List<ModelUsage> byModel = new ArrayList<>();
                    Map<LocalDate, Long> byDay = new TreeMap<>();
                    for (Row row : rows) {
                        boolean allModels = row.getInteger("all_models") == 1;
                        boolean allDays = row.getInteger("all_days") == 1;
                        if (allModels && allDays) {
                            calls = row.getLong("calls");
                            cost = row.getLong("cost_micros");
                        } else if (allDays) {
                            byModel.add(new ModelUsage(row.getString("model"), row.getLong("calls"),
                                    row.getLong("input_tokens"), row.getLong("output_tokens"),
                                    row.getLong("cost_micros")));
                        } else {
                            byDay.put(row.getLocalDate("day"), row.getLong("cost_micros"));
                        }
                    }
                    byModel.sort(Comparator.comparingLong(ModelUsage::costMicros).reversed()
                            .thenComparing(ModelUsage::model));
                    return new Usage(calls, cost, byModel, byDay);
                });
    }
}
