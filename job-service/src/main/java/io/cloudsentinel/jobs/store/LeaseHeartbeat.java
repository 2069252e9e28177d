package io.cloudsentinel.jobs.store;

import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.Tuple;

/**
 * Extends the leases of a worker's running attempts, all in one statement, never past each attempt's deadline, and
 * tells which of them a user asked to cancel. An attempt missing from the answer has lost its lease.
 */
@ApplicationScoped
public class LeaseHeartbeat {

    /** $1 tenants, $2 job ids, $3 lease tokens, $4 now, $5 lease span in seconds. */
    private static final String BEAT = """
            UPDATE jobs j
               SET lease_expires_at = least(j.deadline_at, $4::timestamptz + make_interval(secs => $5::float8))
              FROM unnest($1::uuid[], $2::uuid[], $3::uuid[]) AS h (tenant_id, id, lease_token)
             WHERE j.tenant_id = h.tenant_id AND j.id = h.id AND j.state = 'RUNNING' AND j.lease_token = h.lease_token
            RETURNING j.lease_token, j.cancel_requested
            """;

    /** A running attempt of this worker. */
    public record Held(UUID tenant, UUID jobId, UUID leaseToken) {
    }

    /** For each attempt that still holds its lease: whether its cancellation was asked for. */
    public Uni<Map<UUID, Boolean>> beat(SqlClient connection, List<Held> held, Instant now, double leaseSpanSeconds) {
        if (held.isEmpty()) {
            return Uni.createFrom().item(Map.of());
        }
        // in key order, as ends lock the same rows, so that a beat and an end of one worker do not deadlock
        held = held.stream().sorted(Comparator.comparing(Held::tenant).thenComparing(Held::jobId)).toList();
        Tuple arguments = Tuple.tuple()
                .addArrayOfUUID(held.stream().map(Held::tenant).toArray(UUID[]::new))
                .addArrayOfUUID(held.stream().map(Held::jobId).toArray(UUID[]::new))
                .addArrayOfUUID(held.stream().map(Held::leaseToken).toArray(UUID[]::new))
                .addOffsetDateTime(now.atOffset(ZoneOffset.UTC)).addDouble(leaseSpanSeconds);
        return connection.preparedQuery(BEAT).execute(arguments).map(rows -> {
            Map<UUID, Boolean> kept = new HashMap<>();
            for (Row row : rows) {
                kept.put(row.getUUID("lease_token"), row.getBoolean("cancel_requested"));
            }
            return kept;
        });
    }
}
