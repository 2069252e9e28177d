package io.cloudsentinel.platform.crypto;

import jakarta.enterprise.context.ApplicationScoped;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.Tuple;

/**
 * Writes a rewrapped ciphertext in place of the one it was made from, in the tenant's transaction, only where the
 * column still holds that one: a secret the tenant set or rotated meanwhile is never overwritten by the rewrap of
 * the one before. Nothing else of the row changes: the secret is the same, only its wrapping is new.
 */
@ApplicationScoped
public class SealedValueSwap {

    /** @return how many rows held {@code expected} and now hold {@code rewrapped} (0: it changed meanwhile) */
    public Uni<Integer> swap(SqlClient tenantConnection, SealedColumn column, String expected, String rewrapped) {
        return tenantConnection.preparedQuery("UPDATE " + column.table() + " SET " + column.column() + " = $2"
                + " WHERE tenant_id = cs_current_tenant() AND " + column.column() + " = $1")
                .execute(Tuple.of(expected, rewrapped))
                .map(rows -> rows.rowCount());
    }
}
