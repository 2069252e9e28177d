package io.cloudsentinel.crypto.store;

import java.util.ArrayList;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.Tuple;

/**
 * Claims the next key versions a root rotation has to rewrap: those not wrapped under the given master key and
 * iteration count, after a version, locked until the transaction ends.
 */
@ApplicationScoped
public class RootRotationClaims {

    /** A claimed version's wrapped data key and what it is wrapped under ({@code masterKeyId} null: not recorded). */
    public record Claimed(int version, byte[] wrappedKey, String masterKeyId, int kdfIterations) {
    }

    /**
     * FOR UPDATE waits rather than SKIP LOCKED: a run that skipped the newest version while an encryption reservation
     * held its row would leave it behind. Waiting is safe: a version that a concurrent run rewrapped meanwhile is
     * checked again once it commits and no longer matches, so it is never rewrapped twice, and runs lock in version
     * order, so they cannot deadlock (a reservation locks one row).
     */
    public Uni<List<Claimed>> claim(SqlClient connection, String masterKeyId, int iterations, int afterVersion,
            int limit) {
        return connection.preparedQuery("""
                SELECT version, wrapped_key, master_key_id, kdf_iterations FROM key_versions
                 WHERE version > $1 AND (master_key_id IS DISTINCT FROM $2 OR kdf_iterations <> $3)
                 ORDER BY version LIMIT $4
                   FOR UPDATE
                """)
                .execute(Tuple.of(afterVersion, masterKeyId, iterations, limit))
                .map(rows -> {
                    List<Claimed> claimed = new ArrayList<>();
                    for (Row row : rows) {
                        claimed.add(new Claimed(row.getInteger("version"), row.getBuffer("wrapped_key").getBytes(),
                                row.getString("master_key_id"), row.getInteger("kdf_iterations")));
                    }
                    return claimed;
                });
    }
}
