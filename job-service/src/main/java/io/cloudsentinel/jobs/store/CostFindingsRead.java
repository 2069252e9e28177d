package io.cloudsentinel.jobs.store;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import io.cloudsentinel.platform.tenant.TenantId;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.Tuple;

/** The tenant's cost findings as the API lists them, in its transaction. */
@ApplicationScoped
public class CostFindingsRead {

    /** Newest day first, then by id: the keyset of cost_anomalies_listing_idx. */
    private static final String ANOMALIES = """
            SELECT id, day, billing_currency, service_name, sub_account_id, region_id, effective_cost,
                   baseline_median, baseline_mad, impact, score, detected_at
              FROM cost_anomalies
             WHERE tenant_id = $1 AND day BETWEEN $2 AND $3
               AND ($4::date IS NULL OR day < $4 OR (day = $4 AND id > $5))
             ORDER BY day DESC, id
             LIMIT $6
            """;

    private static final String IDLE_RESOURCES = """
            SELECT resource_id, billing_currency, service_name, sub_account_id, region_id, days_billed,
                   effective_cost, first_day, last_day, detected_at
              FROM cost_idle_resources
             WHERE tenant_id = $1
             ORDER BY effective_cost DESC, resource_id, billing_currency
             LIMIT 1000
            """;

    public record Anomaly(UUID id, LocalDate day, String currency, String service, String subAccount, String region,
            BigDecimal effectiveCost, BigDecimal baselineMedian, BigDecimal baselineMad, BigDecimal impact,
            BigDecimal score, Instant detectedAt) {
    }

    public record IdleResource(String resourceId, String currency, String service, String subAccount, String region,
            int daysBilled, BigDecimal effectiveCost, LocalDate firstDay, LocalDate lastDay, Instant detectedAt) {
    }

    /** The anomaly a page ended on. */
    public record After(LocalDate day, UUID id) {
    }

    /** Anomalies of the days from {@code from} to {@code to}, both included, after {@code after} when present. */
    public Uni<List<Anomaly>> anomalies(SqlClient connection, TenantId tenant, LocalDate from, LocalDate to,
            Optional<After> after, int limit) {
        Tuple arguments = Tuple.tuple().addUUID(tenant.value()).addLocalDate(from).addLocalDate(to)
                .addLocalDate(after.map(After::day).orElse(null)).addUUID(after.map(After::id).orElse(null))
                .addInteger(limit);
        return connection.preparedQuery(ANOMALIES).execute(arguments).map(rows -> {
            List<Anomaly> page = new ArrayList<>();
            for (Row row : rows) {
                page.add(new Anomaly(row.getUUID("id"), row.getLocalDate("day"), row.getString("billing_currency"),
                        row.getString("service_name"), row.getString("sub_account_id"), row.getString("region_id"),
                        row.getBigDecimal("effective_cost"), row.getBigDecimal("baseline_median"),
                        row.getBigDecimal("baseline_mad"), row.getBigDecimal("impact"), row.getBigDecimal("score"),
                        row.getOffsetDateTime("detected_at").toInstant()));
            }
            return page;
        });
    }

    public Uni<List<IdleResource>> idleResources(SqlClient connection, TenantId tenant) {
        return connection.preparedQuery(IDLE_RESOURCES).execute(Tuple.of(tenant.value())).map(rows -> {
            List<IdleResource> all = new ArrayList<>();
            for (Row row : rows) {
                all.add(new IdleResource(row.getString("resource_id"), row.getString("billing_currency"),
                        row.getString("service_name"), row.getString("sub_account_id"), row.getString("region_id"),
                        row.getInteger("days_billed"), row.getBigDecimal("effective_cost"),
                        row.getLocalDate("first_day"), row.getLocalDate("last_day"),
                        row.getOffsetDateTime("detected_at").toInstant()));
            }
            return all;
        });
    }
}
