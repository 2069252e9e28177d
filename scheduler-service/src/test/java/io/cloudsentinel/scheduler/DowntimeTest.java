package io.cloudsentinel.scheduler;

import static io.cloudsentinel.testing.Reactive.await;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;

import jakarta.inject.Inject;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.cloudsentinel.scheduler.service.Sweeper;
import io.cloudsentinel.testing.CapturedLog;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.test.junit.QuarkusTest;

/** After downtime only the slot that contains now is emitted; the slots in between are counted, not replayed. */
@QuarkusTest
@SchedulerTestResources
class DowntimeTest {

    @Inject
    Sweeper sweeper;
    @Inject
    MeterRegistry registry;

    @BeforeEach
    void clean() {
        Db.truncateAll();
    }

    @AfterEach
    void resetClock() {
        TestClock.reset();
    }

    @Test
    void fiveSlotsLostToDowntimeAreCountedAndOnlyTheCurrentOneIsEmitted() throws Exception {
        Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        Instant fiveHoursAgo = now.minus(Duration.ofHours(5));
        Db.dueTenants(10, "cost_ingestion", Db.literal(now), 3600, Db.literal(fiveHoursAgo));
        double missedBefore = registry.counter("cs.scheduler.missed.slots").count();
        TestClock.freezeAt(now);

        Sweeper.SweepResult result;
        try (CapturedLog log = CapturedLog.start()) {
            result = await(sweeper::sweep);
            assertThat(log.of(Sweeper.class, "INFO")).containsExactly(
                    "system task schedule-sweep: 1 batches, 10 schedules claimed, 10 slots emitted, 50 missed");
        }

        assertThat(result.emitted()).isEqualTo(10);
        assertThat(result.missed()).isEqualTo(50);
        assertThat(registry.counter("cs.scheduler.missed.slots").count() - missedBefore).isEqualTo(50);
        assertThat(Db.count("SELECT count(*) FROM emissions")).isEqualTo(10);
        assertThat(Db.count("SELECT count(*) FROM emissions e JOIN schedules s USING (tenant_id, job_type)"
                + " WHERE e.slot_start = cs_slot_start(e.tenant_id, 3600, " + Db.literal(now) + ")"
                + " AND s.next_run_at = e.slot_start + interval '1 hour'"))
                .as("the current slot, and the next run one interval later").isEqualTo(10);
        try (CapturedLog log = CapturedLog.start()) {
            assertThat(await(sweeper::sweep).emitted()).as("nothing more is due").isZero();
            assertThat(log.of(Sweeper.class, "INFO")).as("a sweep that changed nothing").isEmpty();
        }
    }
}
