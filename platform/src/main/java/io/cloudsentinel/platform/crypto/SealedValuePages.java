package io.cloudsentinel.platform.crypto;

import java.util.ArrayList;
import java.util.List;
import java.util.OptionalInt;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.Tuple;

/**
 * The ciphertexts a {@link SealedColumn} holds for every tenant the transaction may see (the system path), a page at
 * a time in (tenant, ciphertext) order, and the oldest key version among them.
 */
@ApplicationScoped
public class SealedValuePages {

    /** A stored ciphertext as it was read: the rewrap writes its successor only where it is still this. */
    public record SealedValue(UUID tenant, String ciphertext) {
    }

    /** Up to {@code limit} values after {@code after} (null for the first page). */
    public Uni<List<SealedValue>> after(SqlClient connection, SealedColumn column, SealedValue after, int limit) {
        SealedValue from = after != null ? after : new SealedValue(new UUID(0, 0), "");
        return connection.preparedQuery("SELECT tenant_id, " + column.column() + " AS sealed FROM " + column.table()
                + " WHERE " + column.column() + " IS NOT NULL AND (tenant_id, " + column.column() + ") > ($1, $2)"
                + " ORDER BY tenant_id, " + column.column() + " LIMIT $3")
                .execute(Tuple.of(from.tenant(), from.ciphertext(), limit))
                .map(rows -> {
                    List<SealedValue> values = new ArrayList<>();
                    for (Row row : rows) {
                        values.add(new SealedValue(row.getUUID("tenant_id"), row.getString("sealed")));
                    }
                    return values;
                });
    }

    /** The oldest key version the column holds now; empty when it holds none. */
    public Uni<OptionalInt> oldestVersion(SqlClient connection, SealedColumn column) {
        return connection.query("SELECT min(substring(" + column.column() + " FROM '^cs:v([0-9]+):')::int) AS oldest"
                + " FROM " + column.table() + " WHERE " + column.column() + " IS NOT NULL")
                .execute()
                .map(rows -> {
                    Integer oldest = rows.iterator().next().getInteger("oldest");
                    return oldest == null ? OptionalInt.empty() : OptionalInt.of(oldest);
                });
    }
}
