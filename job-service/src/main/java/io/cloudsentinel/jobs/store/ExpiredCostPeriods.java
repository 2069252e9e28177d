package io.cloudsentinel.jobs.store;

import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;

import io.cloudsentinel.platform.tenant.TenantId;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.Tuple;

/**
 * The billing periods, of every tenant, that started before the retention's cutoff: read on the system path
 * ({@code cost-retention}, which may read {@code cost_daily} and nothing else), oldest first. cost_daily is where a
 * period shows: an import writes its rows and their daily sums in one transaction, and every row falls in one daily
 * group, so no committed period has rows without daily sums (a file of 0 rows has no period at all).
 */
@ApplicationScoped
public class ExpiredCostPeriods {

    // In the column order of cost_daily_period_idx (billing_period_start, tenant_id, source), when there is one: then
    // an index-only range scan that stops at the limit; without it, a scan of cost_daily each pass.
    private static final String FIND = """
            SELECT DISTINCT billing_period_start, tenant_id, source
              FROM cost_daily
             WHERE billing_period_start < $1::timestamptz
             ORDER BY billing_period_start, tenant_id, source
             LIMIT $2::integer
            """;

    /** One (source, billing period) of one tenant. */
    public record ExpiredPeriod(TenantId tenant, String source, Instant billingPeriodStart) {
    }

    public Uni<List<ExpiredPeriod>> find(SqlClient connection, Instant cutoff, int limit) {
        return connection.preparedQuery(FIND).execute(Tuple.of(cutoff.atOffset(ZoneOffset.UTC), limit))
                .map(rows -> {
                    List<ExpiredPeriod> periods = new ArrayList<>();
                    for (Row row : rows) {
                        periods.add(new ExpiredPeriod(new TenantId(row.getUUID("tenant_id")), row.getString("source"),
                                row.getOffsetDateTime("billing_period_start").toInstant()));
                    }
                    return periods;
                });
    }
}
