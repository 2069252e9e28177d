package io.cloudsentinel.budget.store;

import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;

import io.cloudsentinel.budget.LedgerEntry;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.Tuple;

/** Pages through the tenant's append-only ledger, newest first. */
@ApplicationScoped
public class LedgerPages {

    /** {@code before} is the id of the last entry of the previous page. */
    public Uni<List<LedgerEntry>> page(SqlClient connection, Instant from, Instant to, long before, int limit) {
        return connection.preparedQuery("""
                SELECT id, entry_type, hold_id, month_start, day_start, reserved_delta, spent_delta, created_at
                  FROM budget_ledger
                 WHERE created_at >= $1 AND created_at < $2 AND id < $3
                 ORDER BY id DESC
                 LIMIT $4
                """)
                .execute(Tuple.of(from.atOffset(ZoneOffset.UTC), to.atOffset(ZoneOffset.UTC), before, limit))
                .map(rows -> {
                    List<LedgerEntry> entries = new ArrayList<>();
                    for (Row row : rows) {
                        entries.add(new LedgerEntry(row.getLong("id"), LedgerEntry.Type.valueOf(row.getString("entry_type")),
                                Optional.ofNullable(row.getUUID("hold_id")), row.getLocalDate("month_start"),
                                Optional.ofNullable(row.getLocalDate("day_start")), row.getLong("reserved_delta"),
                                row.getLong("spent_delta"), row.getOffsetDateTime("created_at").toInstant()));
                    }
                    return entries;
                });
    }
}
