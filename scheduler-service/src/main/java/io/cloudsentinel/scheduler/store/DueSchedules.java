package io.cloudsentinel.scheduler.store;

import java.time.Instant;
import java.time.ZoneOffset;

import jakarta.enterprise.context.ApplicationScoped;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.Tuple;

/** How far the sweeps are behind, across tenants: the due schedules and how long the oldest has waited. */
@ApplicationScoped
public class DueSchedules {

    private static final String BACKLOG = """
            SELECT count(*) AS due, coalesce(extract(epoch FROM $1::timestamptz - min(next_run_at)), 0)::float8 AS lag
              FROM schedules
             WHERE enabled AND next_run_at <= $1::timestamptz
            """;

    public record Backlog(long due, double lagSeconds) {
    }

    public Uni<Backlog> backlog(SqlClient connection, Instant now) {
        return connection.preparedQuery(BACKLOG).execute(Tuple.of(now.atOffset(ZoneOffset.UTC))).map(rows -> {
            Row row = rows.iterator().next();
            return new Backlog(row.getLong("due"), row.getDouble("lag"));
        });
    }
}
