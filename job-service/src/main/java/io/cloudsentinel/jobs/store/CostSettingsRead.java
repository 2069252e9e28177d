package io.cloudsentinel.jobs.store;

import java.util.Arrays;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;

import io.cloudsentinel.jobs.costs.CostSettings;
import io.cloudsentinel.platform.tenant.TenantId;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.Tuple;

/** Reads a tenant's cost settings in its transaction: the defaults when it stored none. */
@ApplicationScoped
public class CostSettingsRead {

    private static final String READ = """
            SELECT tag_keys, anomaly_min_impact, anomaly_threshold, max_rejected_rows, analysis_max_input_tokens
              FROM cost_settings
             WHERE tenant_id = $1
            """;

    public Uni<CostSettings> of(SqlClient connection, TenantId tenant) {
        return connection.preparedQuery(READ).execute(Tuple.of(tenant.value())).map(rows -> rows.iterator().hasNext()
                ? settings(rows.iterator().next())
                : CostSettings.DEFAULTS);
    }

    private static CostSettings settings(Row row) {
        return new CostSettings(Arrays.asList(row.getArrayOfStrings("tag_keys")),
                row.getBigDecimal("anomaly_min_impact"), row.getBigDecimal("anomaly_threshold"),
                row.getLong("max_rejected_rows"),
                Optional.ofNullable(row.getInteger("analysis_max_input_tokens")));
    }
}
