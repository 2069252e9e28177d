package io.cloudsentinel.jobs.store;

import java.util.ArrayList;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;

import io.cloudsentinel.jobs.JobState;
import io.cloudsentinel.platform.tenant.TenantId;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.Tuple;

/**
 * Counts jobs by state and type: one tenant's in its transaction, or every tenant's on the system path. Counted in
 * the database, so the figures are those of one snapshot.
 */
@ApplicationScoped
public class JobStats {

    private static final String OF_TENANT = """
            SELECT state, job_type, count(*) AS jobs FROM jobs WHERE tenant_id = $1 GROUP BY state, job_type
            """;
    private static final String OF_PLATFORM = """
            SELECT state, job_type, count(*) AS jobs FROM jobs GROUP BY state, job_type
            """;

    /** How many jobs of a type are in a state. */
    public record Count(JobState state, String type, long jobs) {
    }

    public Uni<List<Count>> ofTenant(SqlClient connection, TenantId tenant) {
        return connection.preparedQuery(OF_TENANT).execute(Tuple.of(tenant.value())).map(JobStats::counts);
    }

    /** Across tenants: only on the system path, where row-level security lets the named task see every row. */
    public Uni<List<Count>> ofPlatform(SqlClient connection) {
        return connection.preparedQuery(OF_PLATFORM).execute().map(JobStats::counts);
    }

    private static List<Count> counts(Iterable<Row> rows) {
        List<Count> counts = new ArrayList<>();
        for (Row row : rows) {
            counts.add(new Count(JobState.valueOf(row.getString("state")), row.getString("job_type"),
                    row.getLong("jobs")));
        }
        return counts;
    }
}
