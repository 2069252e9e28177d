package io.cloudsentinel.jobs;

import static io.cloudsentinel.testing.Reactive.await;
import static org.assertj.core.api.Assertions.assertThat;

import jakarta.inject.Inject;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.cloudsentinel.jobs.handler.NoopHandler;
import io.cloudsentinel.jobs.service.JobHousekeeping;
import io.cloudsentinel.platform.tenant.TenantId;
import io.cloudsentinel.testing.CapturedLog;
import io.quarkus.test.junit.QuarkusTest;

/** Finished jobs past the retention go, with their attempts; waiting, running and recent ones stay. */
@QuarkusTest
@JobsTestResources
class PruneTest {

    private final TenantId tenant = TenantId.random();

    @Inject
    JobHousekeeping housekeeping;

    @BeforeEach
    void clean() {
        Db.truncateAll();
    }

    @Test
    void finishedJobsOlderThanTheRetentionArePrunedWithTheirAttempts() {
        Jobs.flood(tenant, NoopHandler.TYPE, 4);
        Db.execute("""
                WITH numbered AS (SELECT id, row_number() OVER (ORDER BY id) AS n FROM jobs)
                UPDATE jobs SET state = CASE WHEN n <= 2 THEN 'COMPLETED' ELSE state END,
                                finished_at = CASE n WHEN 1 THEN now() - interval '8 days'
                                                     WHEN 2 THEN now() - interval '6 days' END,
                                attempt = 1
                  FROM numbered WHERE numbered.id = jobs.id
                """);
        Db.execute("INSERT INTO job_attempts (tenant_id, job_id, attempt, lease_token, worker, started_at)"
                + " SELECT tenant_id, id, 1, gen_random_uuid(), 'w', now() FROM jobs");

        try (CapturedLog log = CapturedLog.start()) {
            assertThat(await(housekeeping::prune)).isEqualTo(1);
            assertThat(log.of(JobHousekeeping.class, "INFO"))
                    .containsExactly("system task job-prune deleted 1 jobs finished before the retention");
        }

        assertThat(Db.count("SELECT count(*) FROM jobs")).isEqualTo(3);
        assertThat(Db.count("SELECT count(*) FROM jobs WHERE finished_at < now() - interval '7 days'")).isZero();
        assertThat(Db.count("SELECT count(*) FROM job_attempts")).isEqualTo(3);

        try (CapturedLog log = CapturedLog.start()) {
            assertThat(await(housekeeping::prune)).isZero();
            assertThat(log.of(JobHousekeeping.class, "INFO")).as("a pass that deleted nothing").isEmpty();
        }
    }
}
