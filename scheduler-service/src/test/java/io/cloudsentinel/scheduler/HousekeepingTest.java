package io.cloudsentinel.scheduler;

import static io.cloudsentinel.testing.Reactive.await;
import static org.assertj.core.api.Assertions.assertThat;

import jakarta.inject.Inject;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.cloudsentinel.scheduler.service.Housekeeping;
import io.cloudsentinel.testing.CapturedLog;
import io.quarkus.test.junit.QuarkusTest;

/**
 * Housekeeping, on its own system task, prunes emissions and manual runs past the retention (14 days) and keeps the
 * rest; a pass logs at INFO only when it deleted something.
 */
@QuarkusTest
@SchedulerTestResources
class HousekeepingTest {

    @Inject
    Housekeeping housekeeping;

    @BeforeEach
    void clean() {
        Db.truncateAll();
    }

    @Test
    void emissionsAndManualRunsPastTheRetentionArePrunedAndOnlyThatIsLogged() {
        Db.execute("""
                INSERT INTO emissions (tenant_id, job_type, slot_start, job_id, emitted_at)
                SELECT gen_random_uuid(), 'cost_ingestion', now(), gen_random_uuid(), now() - make_interval(days => d)
                  FROM unnest(ARRAY[1, 13, 15, 30]) AS d
                """);
        Db.execute("""
                INSERT INTO manual_runs (tenant_id, job_type, idempotency_key, job_id, requested_at)
                SELECT gen_random_uuid(), 'cost_ingestion', 'key', gen_random_uuid(), now() - make_interval(days => d)
                  FROM unnest(ARRAY[2, 20]) AS d
                """);

        try (CapturedLog log = CapturedLog.start()) {
            Housekeeping.Outcome outcome = await(housekeeping::run);

            assertThat(outcome).isEqualTo(new Housekeeping.Outcome(true, 2, 1));
            assertThat(log.of(Housekeeping.class, "INFO")).containsExactly(
                    "system task schedule-housekeeping pruned 2 emissions and 1 manual runs older than PT336H");
        }
        assertThat(Db.count("SELECT count(*) FROM emissions")).isEqualTo(2);
        assertThat(Db.count("SELECT count(*) FROM manual_runs")).isEqualTo(1);

        try (CapturedLog log = CapturedLog.start()) {
            assertThat(await(housekeeping::run)).isEqualTo(new Housekeeping.Outcome(true, 0, 0));
            assertThat(log.of(Housekeeping.class, "INFO")).as("a pass that deleted nothing").isEmpty();
        }
    }
}
