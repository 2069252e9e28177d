package io.cloudsentinel.crypto.store;

import jakarta.enterprise.context.ApplicationScoped;

import io.smallrye.mutiny.Uni;
import io.vertx.core.buffer.Buffer;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.Tuple;

/** Adds key versions; conditional inserts, so that replicas racing to rotate add one version, not one each. */
@ApplicationScoped
public class KeyVersionInserts {

    /**
     * Adds the version, recording the master key and iteration count its data key is wrapped under; false when another
     * replica took that number first.
     */
    public Uni<Boolean> insert(SqlClient connection, int version, byte[] wrappedKey, String masterKeyId,
            int iterations) {
        return connection.preparedQuery("""
                INSERT INTO key_versions (version, wrapped_key, master_key_id, kdf_iterations) VALUES ($1, $2, $3, $4)
                ON CONFLICT (version) DO NOTHING
                """)
                .execute(Tuple.of(version, Buffer.buffer(wrappedKey), masterKeyId, iterations))
                .map(rows -> rows.rowCount() == 1);
    }

    /** Adds {@code expectedNewest + 1} only if {@code expectedNewest} is still the newest version. */
    public Uni<Boolean> insertIfNewest(SqlClient connection, int expectedNewest, byte[] wrappedKey,
            String masterKeyId, int iterations) {
        return connection.preparedQuery("""
                INSERT INTO key_versions (version, wrapped_key, master_key_id, kdf_iterations)
                SELECT $1, $2, $3, $4
                 WHERE (SELECT coalesce(max(version), 0) FROM key_versions) = $5
                ON CONFLICT (version) DO NOTHING
                """)
                .execute(Tuple.of(expectedNewest + 1, Buffer.buffer(wrappedKey), masterKeyId, iterations,
                        expectedNewest))
                .map(rows -> rows.rowCount() == 1);
    }
}
