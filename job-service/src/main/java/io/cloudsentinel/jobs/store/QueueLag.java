package io.cloudsentinel.jobs.store;

import java.time.Instant;
import java.time.ZoneOffset;

import jakarta.enterprise.context.ApplicationScoped;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.Tuple;

/** How long the oldest due job has waited, across tenants (0 when none waits). */
@ApplicationScoped
public class QueueLag {

    private static final String LAG = """
            SELECT coalesce(extract(epoch FROM $1::timestamptz - min(run_at)), 0)::float8
              FROM jobs
             WHERE state IN ('PENDING', 'RETRY_SCHEDULED') AND run_at <= $1::timestamptz
            """;

    public Uni<Double> seconds(SqlClient connection, Instant now) {
        return connection.preparedQuery(LAG).execute(Tuple.of(now.atOffset(ZoneOffset.UTC)))
                .map(rows -> rows.iterator().next().getDouble(0));
    }
}
