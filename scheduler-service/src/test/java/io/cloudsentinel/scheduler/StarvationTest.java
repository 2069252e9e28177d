package io.cloudsentinel.scheduler;

import static io.cloudsentinel.testing.Reactive.await;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.time.temporal.ChronoUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.cloudsentinel.scheduler.service.Sweeper;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.mutiny.sqlclient.Pool;

/** The oldest due schedules go first: a tenant due now is emitted within two sweeps however many others come due. */
@QuarkusTest
@SchedulerTestResources
class StarvationTest {

    private Pool pool;

    @BeforeEach
    void setUp() {
        Db.truncateAll();
        pool = Sweepers.newPool(2);
    }

    @AfterEach
    void tearDown() {
        await(pool::close);
        TestClock.reset();
    }

    @Test
    void everyDueTenantIsEmittedWithinTwoSweepsWhileOthersKeepComingDue() {
        Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        TestClock.freezeAt(now);
        // capacity 300 per sweep: 3 batches of 100
        Sweeper sweeper = Sweepers.onOwnPool(pool, 100, 3, 8, "jobs.requested.test-starvation");
        // newcomers first in the table, so that only the order of the claim can put the waiting tenants first
        Db.dueTenants(1_000, "zombie_scan", Db.literal(now), 3600, Db.literal(now.minusSeconds(60)));
        Db.execute("UPDATE schedules SET next_run_at = " + Db.literal(now.minusSeconds(1)));
        Db.dueTenants(600, "cost_ingestion", Db.literal(now), 3600, Db.literal(now.minusSeconds(3_600)));
        Db.execute("UPDATE schedules SET next_run_at = " + Db.literal(now.minusSeconds(600))
                + " WHERE job_type = 'cost_ingestion'");

        await(sweeper::sweep);
        Db.dueTenants(1_000, "finops_analysis", Db.literal(now), 3600, Db.literal(now));
        Db.execute("UPDATE schedules SET next_run_at = " + Db.literal(now.minusSeconds(5))
                + " WHERE job_type = 'finops_analysis'");
        await(sweeper::sweep);

        assertThat(Db.count("SELECT count(*) FROM emissions WHERE job_type = 'cost_ingestion'"))
                .as("every tenant that was waiting when the first sweep began").isEqualTo(600);
    }
}
