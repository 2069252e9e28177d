package io.cloudsentinel.budget.store;

import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;

import io.cloudsentinel.budget.Hold;
import io.cloudsentinel.budget.HoldStatus;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.Tuple;

/** Finds the hold an idempotency key took; row-level security makes another tenant's hold simply absent. */
@ApplicationScoped
public class HoldLookup {

    static final String COLUMNS = "id, idempotency_key, model, price_version, input_tokens, max_output_tokens,"
            + " estimate_micros, month_start, day_start, status, expires_at, settled_input_tokens,"
            + " settled_output_tokens, settled_cost_micros, finished_at";

    public Uni<Optional<Hold>> byIdempotencyKey(SqlClient connection, String key) {
        return connection.preparedQuery("SELECT " + COLUMNS + " FROM budget_holds WHERE idempotency_key = $1")
                .execute(Tuple.of(key))
                .map(rows -> rows.size() == 0 ? Optional.empty() : Optional.of(hold(rows.iterator().next())));
    }

    static Hold hold(Row row) {
        HoldStatus status = HoldStatus.valueOf(row.getString("status"));
        Optional<Hold.Settlement> settlement = status == HoldStatus.SETTLED
                ? Optional.of(new Hold.Settlement(row.getLong("settled_input_tokens"),
                        row.getLong("settled_output_tokens"), row.getLong("settled_cost_micros"), 0,
                        row.getOffsetDateTime("finished_at").toInstant()))
                : Optional.empty();
        return new Hold(row.getUUID("id"), row.getString("idempotency_key"), row.getString("model"),
                row.getInteger("price_version"), row.getLong("input_tokens"), row.getLong("max_output_tokens"),
                row.getLong("estimate_micros"), row.getLocalDate("month_start"),
                Optional.ofNullable(row.getLocalDate("day_start")), status,
                row.getOffsetDateTime("expires_at").toInstant(), settlement);
    }
}
