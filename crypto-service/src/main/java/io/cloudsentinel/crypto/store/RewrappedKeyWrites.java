package io.cloudsentinel.crypto.store;

import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;

import io.smallrye.mutiny.Uni;
import io.vertx.core.buffer.Buffer;
import io.vertx.mutiny.sqlclient.RowSet;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.Tuple;

/** Stores data keys that a root rotation rewrapped, with the master key and iteration count they are now under. */
@ApplicationScoped
public class RewrappedKeyWrites {

    /** A claimed version's data key: the wrapping it was claimed with, and the new one. */
    public record Rewrapped(int version, byte[] claimedWrappedKey, byte[] wrappedKey, String masterKeyId,
            int iterations) {
    }

    /**
     * Replaces each wrapped key only if it is still the one that was claimed and unwrapped (the claim's lock keeps
     * it so; the condition makes "never rewrapped from anything else" hold by itself); the number of versions written.
     */
    public Uni<Integer> write(SqlClient connection, List<Rewrapped> rewrapped) {
        if (rewrapped.isEmpty()) {
            return Uni.createFrom().item(0);
        }
        return connection.preparedQuery("""
                UPDATE key_versions SET wrapped_key = $1, master_key_id = $2, kdf_iterations = $3
                 WHERE version = $4 AND wrapped_key = $5
                """)
                .executeBatch(rewrapped.stream().map(r -> Tuple.of(Buffer.buffer(r.wrappedKey()), r.masterKeyId(),
                        r.iterations(), r.version(), Buffer.buffer(r.claimedWrappedKey()))).toList())
                .map(RewrappedKeyWrites::rowsWritten);
    }

    private static int rowsWritten(RowSet<?> first) {
        int written = 0;
        for (RowSet<?> result = first; result != null; result = result.next()) {
            written += result.rowCount();
        }
        return written;
    }
}
