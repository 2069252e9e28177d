package io.cloudsentinel.jobs.store;

import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import io.cloudsentinel.platform.tenant.TenantId;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.Tuple;

/**
 * Finds running attempts whose lease expired (a worker that died or stopped beating, or one past its deadline) and
 * locks them, so that the rescuer ends each once, through {@link AttemptEnd}, in the same transaction.
 */
@ApplicationScoped
public class ExpiredLeases {

    private static final String EXPIRED = """
            SELECT tenant_id, id, job_type, attempt, max_attempts, lease_token
              FROM jobs
             WHERE state = 'RUNNING' AND lease_expires_at < $1::timestamptz
             ORDER BY lease_expires_at
             LIMIT $2
               FOR UPDATE SKIP LOCKED
            """;

    public record Expired(TenantId tenant, UUID jobId, String type, int attempt, int maxAttempts, UUID leaseToken) {
    }

    public Uni<List<Expired>> lock(SqlClient connection, Instant now, int limit) {
        return connection.preparedQuery(EXPIRED).execute(Tuple.of(now.atOffset(ZoneOffset.UTC), limit)).map(rows -> {
            List<Expired> expired = new ArrayList<>(rows.size());
            for (Row row : rows) {
                expired.add(new Expired(new TenantId(row.getUUID("tenant_id")), row.getUUID("id"),
                        row.getString("job_type"), row.getInteger("attempt"), row.getInteger("max_attempts"),
                        row.getUUID("lease_token")));
            }
            return expired;
        });
    }
}
