package io.cloudsentinel.jobs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.UUID;

import jakarta.inject.Inject;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.cloudsentinel.jobs.handlers.FlakyHandler;
import io.cloudsentinel.jobs.handlers.SleepingHandler;
import io.cloudsentinel.jobs.handlers.StubbornHandler;
import io.cloudsentinel.jobs.service.JobMetrics;
import io.cloudsentinel.jobs.service.Worker;
import io.cloudsentinel.jobs.store.JobIntake;
import io.cloudsentinel.platform.tenant.TenantId;
import io.quarkus.test.junit.QuarkusTest;

/** What becomes of an attempt: a timeout stops the work, failures retry with backoff, then the dead letters. */
@QuarkusTest
@JobsTestResources
class AttemptsTest {

    private final TenantId tenant = TenantId.random();

    @Inject
    Worker worker;
    @Inject
    JobMetrics metrics;
    /** Jobs.submit looks it up; injected here so that the container keeps it. */
    @Inject
    JobIntake intake;

    @BeforeEach
    void setUp() {
        Db.truncateAll();
        Db.createMarks();
        worker.start();
    }

    @AfterEach
    void tearDown() {
        worker.stop(Duration.ZERO);
    }

    @Test
    void aTimeoutStopsTheWorkAndItsRetryStartsLongBeforeTheSleepWouldEnd() {
        UUID job = Jobs.submit(tenant, SleepingHandler.TYPE, "{\"millis\":60000}");

        // timeout 1 s, backoff 100–200 ms: the second attempt starts within seconds, not after 60
        await().atMost(Duration.ofSeconds(15)).until(() -> attempts(job) >= 2);

        assertThat(Db.count("SELECT count(*) FROM job_attempts WHERE job_id = '" + job
                + "' AND attempt = 1 AND outcome = 'TIMED_OUT'")).isEqualTo(1);
        assertThat(Db.count("SELECT count(*) FROM handler_marks WHERE job_id = '" + job + "'"))
                .as("the row the handler writes after its sleep").isZero();
    }

    @Test
    void aHandlerThatIgnoresItsInterruptIsReportedStuckAndItsSlotIsFreed() throws Exception {
        StubbornHandler.finished = new java.util.concurrent.CountDownLatch(1);
        int stuckBefore = metrics.stuckNow();
        UUID job = Jobs.submit(tenant, StubbornHandler.TYPE, "{\"millis\":4000}");

        await().atMost(Duration.ofSeconds(10)).until(() -> metrics.stuckNow() > stuckBefore);
        await().atMost(Duration.ofSeconds(5)).until(() -> state(job).equals("DEAD_LETTER"));
        assertThat(Db.count("SELECT coalesce(sum(running), 0) FROM job_slots WHERE tenant_id = '" + tenant + "'"))
                .as("slots held by the tenant while its handler is stuck").isZero();

        StubbornHandler.finished.await();
        await().atMost(Duration.ofSeconds(5)).until(() -> metrics.stuckNow() == stuckBefore);
    }

    @Test
    void aFailingJobIsRetriedWithBackoffUntilItSucceeds() {
        UUID job = Jobs.submit(tenant, FlakyHandler.TYPE, "{\"failures\":2}");

        await().atMost(Duration.ofSeconds(15)).until(() -> state(job).equals("COMPLETED"));

        assertThat(Db.count("SELECT count(*) FROM job_attempts WHERE job_id = '" + job + "' AND outcome = 'FAILED'"))
                .isEqualTo(2);
        assertThat(Db.count("SELECT count(*) FROM handler_marks WHERE job_id = '" + job + "' AND attempt = 3"))
                .isEqualTo(1);
        assertThat(events(job, "COMPLETED")).isEqualTo(1);
    }

    @Test
    void aFailureWhoseMessageTheDatabaseCouldNotHoldIsRecordedCleanedAndTheJobGoesOn() {
        UUID job = Jobs.submit(tenant, FlakyHandler.TYPE, "{\"failures\":1,\"unwieldyMessage\":true}");

        await().atMost(Duration.ofSeconds(15)).until(() -> state(job).equals("COMPLETED"));

        assertThat(Db.count("SELECT count(*) FROM job_attempts WHERE job_id = '" + job + "' AND attempt = 1"
                + " AND outcome = 'FAILED' AND error LIKE 'attempt 1 failed  xxx%' AND length(error) <= "
                + AttemptOutcome.MAX_ERROR_LENGTH)).isEqualTo(1);
    }

    @Test
    void anExhaustedJobIsDeadWithExactlyOneDeadLetterRecord() {
        UUID job = Jobs.submit(tenant, FlakyHandler.TYPE, "{\"failures\":99}");

        await().atMost(Duration.ofSeconds(15)).until(() -> state(job).equals("DEAD_LETTER"));

        assertThat(attempts(job)).isEqualTo(3);
        assertThat(Db.count("SELECT count(*) FROM cs_outbox WHERE topic = 'jobs.dlq' AND payload::jsonb ->> 'jobId' = '"
                + job + "' AND headers ->> 'cs-dlq-reason' = 'exhausted' AND headers ->> 'job-id' = '" + job
                + "' AND headers ->> 'job-type' = 'test_flaky' AND headers ->> 'attempt' = '3'"
                + " AND headers ->> 'tenant-id' = '" + tenant + "'"
                + " AND headers ->> 'dead-letter-exception-class-name' = 'java.lang.IllegalStateException'"
                + " AND headers ->> 'dead-letter-reason' = 'attempt 3 failed'")).isEqualTo(1);
        assertThat(Db.count("SELECT count(*) FROM cs_outbox WHERE topic = 'jobs.dlq'")).isEqualTo(1);
    }

    @Test
    void aFatalFailureIsDeadAtOnce() {
        UUID job = Jobs.submit(tenant, FlakyHandler.TYPE, "{\"failures\":1,\"fatal\":true}");

        await().atMost(Duration.ofSeconds(10)).until(() -> state(job).equals("DEAD_LETTER"));

        assertThat(attempts(job)).isEqualTo(1);
        assertThat(Db.count("SELECT count(*) FROM jobs WHERE id = '" + job + "' AND dead_reason = 'fatal'"))
                .isEqualTo(1);
    }

    @Test
    void everyStateChangeIsAnEventInTheOutbox() {
        UUID job = Jobs.submit(tenant, FlakyHandler.TYPE, "{\"failures\":1}");

        await().atMost(Duration.ofSeconds(10)).until(() -> state(job).equals("COMPLETED"));

        assertThat(Db.count("SELECT count(*) FROM cs_outbox WHERE topic = 'jobs.events' AND payload::jsonb ->> 'jobId' = '"
                + job + "'")).as("PENDING, RUNNING, RETRY_SCHEDULED, RUNNING, COMPLETED").isEqualTo(5);
    }

    static String state(UUID job) {
        return Db.text("SELECT state FROM jobs WHERE id = '" + job + "'");
    }

    static long attempts(UUID job) {
        return Db.count("SELECT count(*) FROM job_attempts WHERE job_id = '" + job + "'");
    }

    static long events(UUID job, String state) {
        return Db.count("SELECT count(*) FROM cs_outbox WHERE topic = 'jobs.events' AND payload::jsonb ->> 'jobId' = '"
                + job + "' AND payload::jsonb ->> 'state' = '" + state + "'");
    }
}
