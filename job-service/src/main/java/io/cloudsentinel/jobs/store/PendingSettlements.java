package io.cloudsentinel.jobs.store;

import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import io.cloudsentinel.platform.tenant.TenantId;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.Tuple;

/**
 * Settlements of finops_analysis holds that budget-service could not take, kept until it does. Written in the
 * tenant's transaction; claimed across tenants by system task {@code settlement-retry}, in one statement that also
 * leases the rows (their {@code next_attempt_at} moves past the lease), so that two replicas never send the same
 * row at once; then deleted, or rescheduled, in the tenant's transaction again.
 */
@ApplicationScoped
public class PendingSettlements {

    private static final String KEEP = """
            INSERT INTO pending_settlements (tenant_id, hold_id, job_id, input_tokens, output_tokens, estimated,
                                             attempts, next_attempt_at, last_error, created_at)
            VALUES ($1, $2, $3, $4, $5, $6, 0, $7, $8, $7)
            ON CONFLICT (tenant_id, hold_id) DO NOTHING
            """;
    private static final String CLAIM = """
            UPDATE pending_settlements p
               SET next_attempt_at = $2::timestamptz
              FROM (SELECT tenant_id, hold_id FROM pending_settlements
                     WHERE next_attempt_at <= $1::timestamptz
                     ORDER BY next_attempt_at
                     LIMIT $3
                       FOR UPDATE SKIP LOCKED) due
             WHERE p.tenant_id = due.tenant_id AND p.hold_id = due.hold_id
            RETURNING p.tenant_id, p.hold_id, p.job_id, p.input_tokens, p.output_tokens, p.estimated, p.attempts
            """;
    private static final String COUNT = "SELECT count(*) FROM pending_settlements";
    private static final String SETTLED = "DELETE FROM pending_settlements WHERE tenant_id = $1 AND hold_id = $2";
    private static final String RESCHEDULE = """
            UPDATE pending_settlements
               SET attempts = attempts + 1, next_attempt_at = $3::timestamptz, last_error = $4
             WHERE tenant_id = $1 AND hold_id = $2
            """;

    /** A settlement to send again; {@code attempts} is how many retries failed before. */
    public record Pending(TenantId tenant, UUID holdId, UUID jobId, long inputTokens, long outputTokens,
            boolean estimated, int attempts) {
    }

    /** Keeps the hold's settlement, due at once; a hold already kept keeps its first row (true when written). */
    public Uni<Boolean> keep(SqlClient connection, TenantId tenant, UUID holdId, UUID jobId, long inputTokens,
            long outputTokens, boolean estimated, String error, Instant now) {
        return connection.preparedQuery(KEEP).execute(Tuple.from(Arrays.<Object> asList(tenant.value(), holdId, jobId,
                inputTokens, outputTokens, estimated, now.atOffset(ZoneOffset.UTC), error)))
                .map(rows -> rows.rowCount() == 1);
    }

    /** Locks and leases up to {@code limit} rows of any tenant due at {@code now}, until {@code leasedUntil}. */
    public Uni<List<Pending>> claim(SqlClient connection, Instant now, Instant leasedUntil, int limit) {
        return connection.preparedQuery(CLAIM).execute(Tuple.of(now.atOffset(ZoneOffset.UTC),
                leasedUntil.atOffset(ZoneOffset.UTC), limit)).map(rows -> {
                    List<Pending> claimed = new ArrayList<>(rows.size());
                    for (Row row : rows) {
                        claimed.add(new Pending(new TenantId(row.getUUID("tenant_id")), row.getUUID("hold_id"),
                                row.getUUID("job_id"), row.getLong("input_tokens"), row.getLong("output_tokens"),
                                row.getBoolean("estimated"), row.getInteger("attempts")));
                    }
                    return claimed;
                });
    }

    /** Every tenant's rows, due or not. */
    public Uni<Long> count(SqlClient connection) {
        return connection.preparedQuery(COUNT).execute().map(rows -> rows.iterator().next().getLong(0));
    }

    /** The row is done: settled, or its hold is unknown. */
    public Uni<Void> settled(SqlClient connection, TenantId tenant, UUID holdId) {
        return connection.preparedQuery(SETTLED).execute(Tuple.of(tenant.value(), holdId)).replaceWithVoid();
    }

    /** Another retry failed: counted, and due again at {@code nextAttemptAt}. */
    public Uni<Void> reschedule(SqlClient connection, TenantId tenant, UUID holdId, Instant nextAttemptAt,
            String error) {
        return connection.preparedQuery(RESCHEDULE).execute(Tuple.of(tenant.value(), holdId,
                nextAttemptAt.atOffset(ZoneOffset.UTC), error)).replaceWithVoid();
    }
}
