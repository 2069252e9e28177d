package io.cloudsentinel.budget.store;

import jakarta.enterprise.context.ApplicationScoped;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.Tuple;

/**
 * The time zones PostgreSQL knows. The authorizing statement computes periods with {@code AT TIME ZONE} from the
 * budget's zone, and PostgreSQL's tz database need not be Java's: a zone only Java knows would fail every
 * authorization of the tenant.
 */
@ApplicationScoped
public class TimeZoneNames {

    public Uni<Boolean> known(SqlClient connection, String zone) {
        return connection.preparedQuery("SELECT EXISTS (SELECT FROM pg_timezone_names WHERE name = $1) AS known")
                .execute(Tuple.of(zone))
                .map(rows -> rows.iterator().next().getBoolean("known"));
    }
}
