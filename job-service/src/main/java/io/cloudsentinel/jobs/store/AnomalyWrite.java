package io.cloudsentinel.jobs.store;

import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import io.cloudsentinel.jobs.costs.DetectedAnomaly;
import io.cloudsentinel.platform.tenant.TenantId;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.Tuple;

/**
 * Stores the anomalies a run found, in one statement, and answers those that were new: a series' day found before
 * (a repeated run, an evaluated day evaluated again) is left as it was, so it is stored and notified once.
 */
@ApplicationScoped
public class AnomalyWrite {

    // days and amounts travel as text and are cast here: exact decimals, whatever the client's numeric types
    private static final String INSERT = """
            INSERT INTO cost_anomalies (tenant_id, id, series_key, day, billing_currency, service_name, sub_account_id,
                                        region_id, effective_cost, baseline_median, baseline_mad, impact, score,
                                        detected_at)
            SELECT $1, a.id, a.series_key, a.day::date, a.currency, a.service, a.sub_account, a.region,
                   a.effective_cost::numeric, a.median::numeric, a.mad::numeric, a.impact::numeric, a.score::numeric,
                   $14
              FROM unnest($2::uuid[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[], $8::text[],
                          $9::text[], $10::text[], $11::text[], $12::text[], $13::text[])
                   AS a(id, series_key, day, currency, service, sub_account, region, effective_cost, median, mad,
                        impact, score)
            ON CONFLICT (tenant_id, series_key, day) DO NOTHING
            RETURNING id
            """;

    /** An anomaly as stored, with its id. */
    public record StoredAnomaly(UUID id, DetectedAnomaly anomaly) {
    }

    /** The anomalies that were not stored before, with the ids they were stored under. */
    public Uni<List<StoredAnomaly>> insertNew(SqlClient connection, TenantId tenant, List<DetectedAnomaly> found,
            Instant now) {
        if (found.isEmpty()) {
            return Uni.createFrom().item(List.of());
        }
        int n = found.size();
        UUID[] ids = new UUID[n];
        String[][] columns = new String[11][n];
        Map<UUID, DetectedAnomaly> byId = new HashMap<>();
        for (int i = 0; i < n; i++) {
            DetectedAnomaly anomaly = found.get(i);
            ids[i] = UUID.randomUUID();
            byId.put(ids[i], anomaly);
            columns[0][i] = anomaly.series().key();
            columns[1][i] = anomaly.day().toString();
            columns[2][i] = anomaly.series().currency();
            columns[3][i] = anomaly.series().service();
            columns[4][i] = anomaly.series().subAccount();
            columns[5][i] = anomaly.series().region();
            columns[6][i] = anomaly.effectiveCost().toPlainString();
            columns[7][i] = anomaly.baselineMedian().toPlainString();
            columns[8][i] = anomaly.baselineMad().toPlainString();
            columns[9][i] = anomaly.impact().toPlainString();
            columns[10][i] = anomaly.score().toPlainString();
        }
        Tuple arguments = Tuple.tuple().addUUID(tenant.value()).addArrayOfUUID(ids);
        for (String[] column : columns) {
            arguments.addArrayOfString(column);
        }
        arguments.addOffsetDateTime(now.atOffset(ZoneOffset.UTC));
        return connection.preparedQuery(INSERT).execute(arguments).map(rows -> {
            List<StoredAnomaly> stored = new ArrayList<>();
            for (Row row : rows) {
                UUID id = row.getUUID("id");
                stored.add(new StoredAnomaly(id, byId.get(id)));
            }
            return stored;
        });
    }
}
