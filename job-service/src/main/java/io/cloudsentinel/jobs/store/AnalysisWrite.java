package io.cloudsentinel.jobs.store;

import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import io.cloudsentinel.platform.tenant.TenantId;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.Tuple;

/**
 * Writes a job's analysis in the handler's fenced tenant transaction. A later attempt of the same job (its first one
 * committed, then lost its lease before its end was written) replaces the row: the latest analysis is the job's.
 */
@ApplicationScoped
public class AnalysisWrite {

    private static final String WRITE = """
            INSERT INTO analyses (tenant_id, job_id, status, reason, provider, model, input_tokens, output_tokens,
                                  cost_micros, hold_id, usage_estimated, result, created_at)
            VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, CAST($12::text AS jsonb), $13)
            ON CONFLICT (tenant_id, job_id) DO UPDATE
               SET status = excluded.status, reason = excluded.reason, provider = excluded.provider,
                   model = excluded.model, input_tokens = excluded.input_tokens,
                   output_tokens = excluded.output_tokens, cost_micros = excluded.cost_micros,
                   hold_id = excluded.hold_id, usage_estimated = excluded.usage_estimated,
                   result = excluded.result, created_at = excluded.created_at
            """;

    /** What a completed analysis records. */
    public record Completed(String provider, String model, long inputTokens, long outputTokens, long costMicros,
            UUID holdId, boolean usageEstimated, String resultJson) {
    }

    public Uni<Void> completed(SqlClient connection, TenantId tenant, UUID jobId, Completed analysis, Instant now) {
        return connection.preparedQuery(WRITE).execute(Tuple.from(Arrays.<Object> asList(tenant.value(), jobId, "completed",
                null, analysis.provider(), analysis.model(), analysis.inputTokens(), analysis.outputTokens(),
                analysis.costMicros(), analysis.holdId(), analysis.usageEstimated(), analysis.resultJson(),
                now.atOffset(ZoneOffset.UTC)))).replaceWithVoid();
    }

    public Uni<Void> skipped(SqlClient connection, TenantId tenant, UUID jobId, String reason, Instant now) {
        return connection.preparedQuery(WRITE).execute(Tuple.from(Arrays.<Object> asList(tenant.value(), jobId, "skipped",
                reason, null, null, null, null, null, null, false, null, now.atOffset(ZoneOffset.UTC))))
                .replaceWithVoid();
    }
}
