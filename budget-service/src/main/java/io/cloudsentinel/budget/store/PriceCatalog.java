package io.cloudsentinel.budget.store;

import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;

import io.cloudsentinel.budget.ModelPrice;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.Tuple;

/** The versioned, effective-dated model price catalog (global, not tenant-owned): the newest version in force. */
@ApplicationScoped
public class PriceCatalog {

    public Uni<List<ModelPrice>> allInForce(SqlClient connection, Instant at) {
        return connection.preparedQuery("""
                SELECT DISTINCT ON (model) model, version, provider, input_micros_per_mtok, output_micros_per_mtok,
                       effective_from
                  FROM model_prices
                 WHERE effective_from <= $1
                 ORDER BY model, version DESC
                """)
                .execute(Tuple.of(at.atOffset(ZoneOffset.UTC)))
                .map(rows -> {
                    List<ModelPrice> prices = new ArrayList<>();
                    for (Row row : rows) {
                        prices.add(new ModelPrice(row.getString("model"), row.getInteger("version"),
                                row.getString("provider"), row.getLong("input_micros_per_mtok"),
                                row.getLong("output_micros_per_mtok"),
                                row.getOffsetDateTime("effective_from").toInstant()));
                    }
                    return prices;
                });
    }
}
