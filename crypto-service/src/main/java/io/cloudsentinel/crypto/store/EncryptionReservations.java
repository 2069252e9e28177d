package io.cloudsentinel.crypto.store;

import jakarta.enterprise.context.ApplicationScoped;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.Tuple;

/** Hands out blocks of encryptions under a key version, atomically across replicas (the AES-GCM nonce budget). */
@ApplicationScoped
public class EncryptionReservations {

    /** Reserves {@code count} encryptions under the version; the total reserved after it. */
    public Uni<Long> reserve(SqlClient connection, int version, long count) {
        return connection.preparedQuery("""
                UPDATE key_versions SET encryptions_reserved = encryptions_reserved + $1
                 WHERE version = $2 RETURNING encryptions_reserved
                """)
                .execute(Tuple.of(count, version))
                .map(rows -> rows.iterator().next().getLong(0));
    }
}
