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
 * Cost sums over days from the daily aggregates kept at ingestion (never the raw rows), by currency and one dimension:
 * amounts of different currencies are never added.
 */
@ApplicationScoped
public class CostSummaryRead {

    /** A dimension of {@code cost_daily}: the column the summary groups by. */
    public enum Dimension {
        NONE("''"),
        SERVICE("service_name"),
        SUB_ACCOUNT("sub_account_id"),
        REGION("region_id"),
        CHARGE_CATEGORY("charge_category"),
        DAY("day::text");

        private final String column;

        Dimension(String column) {
            this.column = column;
        }
    }

    private static final String BY_DIMENSION = """
            SELECT billing_currency, %s AS key, sum(billed_cost) AS billed, sum(effective_cost) AS effective
              FROM cost_daily
             WHERE tenant_id = $1 AND day >= $2 AND day < $3
             GROUP BY billing_currency, key
             ORDER BY billing_currency, key
            """;

    private static final String BY_TAG = """
            SELECT billing_currency, tag_value AS key, sum(billed_cost) AS billed, sum(effective_cost) AS effective
              FROM cost_daily_tags
             WHERE tenant_id = $1 AND day >= $2 AND day < $3 AND tag_key = $4
             GROUP BY billing_currency, tag_value
             ORDER BY billing_currency, tag_value
            """;

    /** One group's sums in one currency. */
    public record Sum(String currency, String key, BigDecimal billedCost, BigDecimal effectiveCost) {
    }

    public Uni<List<Sum>> by(SqlClient connection, TenantId tenant, LocalDate from, LocalDate to,
            Dimension dimension) {
        return connection.preparedQuery(BY_DIMENSION.formatted(dimension.column))
                .execute(Tuple.of(tenant.value(), from, to)).map(CostSummaryRead::sums);
    }

    public Uni<List<Sum>> byTag(SqlClient connection, TenantId tenant, LocalDate from, LocalDate to, String tagKey) {
        return connection.preparedQuery(BY_TAG).execute(Tuple.of(tenant.value(), from, to, tagKey))
                .map(CostSummaryRead::sums);
    }

    private static List<Sum> sums(io.vertx.mutiny.sqlclient.RowSet<io.vertx.mutiny.sqlclient.Row> rows) {
        List<Sum> sums = new ArrayList<>();
        rows.forEach(row -> sums.add(new Sum(row.getString("billing_currency"), row.getString("key"),
                row.getBigDecimal("billed"), row.getBigDecimal("effective"))));
        return sums;
    }
}
