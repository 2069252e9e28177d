package io.cloudsentinel.jobs;

import java.time.Instant;
import java.util.UUID;

import io.cloudsentinel.jobs.store.JobIntake;
import io.cloudsentinel.platform.tenant.TenantId;
import io.cloudsentinel.platform.tenant.TenantTransactions;
import io.cloudsentinel.testing.Reactive;
import io.quarkus.arc.Arc;

/** Jobs put in the queue the way ingestion does, for tests of the workers. */
public final class Jobs {

    private Jobs() {
    }

    public static UUID submit(TenantId tenant, String type, String payloadJson) {
        return submit(tenant, type, payloadJson, 0);
    }

    public static UUID submit(TenantId tenant, String type, String payloadJson, int priority) {
        var container = Arc.container();
        JobIntake intake = container.instance(JobIntake.class).get();
        JobTypes types = container.instance(JobTypes.class).get();
        UUID id = UUID.randomUUID();
        Instant now = Instant.now();
        JobIntake.NewJob job = new JobIntake.NewJob(tenant, id, type, "test:" + id, "hash", "api", payloadJson,
                priority, now, types.of(type).maxAttempts(), null);
        return Reactive.await(() -> container.instance(TenantTransactions.class).get()
                .inTenant(tenant, connection -> intake.submit(connection, job, now))).id();
    }

    /** Many jobs of one tenant in one statement, as a flood would arrive: all due now. */
    public static void flood(TenantId tenant, String type, int count) {
        Db.execute("""
                INSERT INTO jobs (tenant_id, id, job_type, dedup_key, request_hash, source, payload, state, run_at,
                                  max_attempts, created_at, updated_at)
                SELECT '%s', gen_random_uuid(), '%s', 'flood:' || n, 'hash', 'api', '{}', 'PENDING',
                       now() - interval '1 second', 5, now(), now()
                  FROM generate_series(1, %d) AS n
                """.formatted(tenant, type, count));
    }
}
