package io.cloudsentinel.jobs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import jakarta.inject.Inject;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.cloudsentinel.jobs.handler.LeaseLostException;
import io.cloudsentinel.jobs.handlers.GatedHandler;
import io.cloudsentinel.jobs.handlers.Gates;
import io.cloudsentinel.jobs.service.Worker;
import io.cloudsentinel.jobs.store.JobClaim;
import io.cloudsentinel.jobs.store.JobIntake;
import io.cloudsentinel.jobs.store.LeaseFence;
import io.cloudsentinel.platform.tenant.TenantId;
import io.cloudsentinel.platform.tenant.TenantTransactions;
import io.cloudsentinel.testing.Reactive;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.mutiny.sqlclient.Pool;

/**
 * Fenced leases: an attempt whose lease was taken over changes nothing, a dead worker's job is rescued and runs once,
 * and a cancellation reaches the replica that runs the job.
 */
@QuarkusTest
@JobsTestResources
class LeasesTest {

    private final TenantId tenant = TenantId.random();
    private final List<Pool> pools = new ArrayList<>();

    @Inject
    Worker worker;
    @Inject
    JobIntake intake;
    @Inject
    LeaseFence fence;
    @Inject
    TenantTransactions transactions;

    @BeforeEach
    void setUp() {
        Db.truncateAll();
        Db.createMarks();
    }

    @AfterEach
    void tearDown() {
        Gates.openAll();
        worker.stop(Duration.ZERO);
        pools.forEach(pool -> Reactive.await(pool::close));
    }

    @Test
    void aWorkerThatLostItsLeaseCannotCompleteTheJobOrPublishTwice() {
        UUID job = Jobs.submit(tenant, GatedHandler.TYPE, "{}");
        Claimers paused = claimer();
        JobClaim.Claimed first = paused.claim(1, "paused-replica").get(0);
        expireLease(job);

        // this replica's rescuer ends the paused attempt, then its worker runs the job again and completes it
        worker.start();
        await().atMost(Duration.ofSeconds(10)).until(() -> AttemptsTest.attempts(job) == 2);
        Gates.open(job, 2);
        await().atMost(Duration.ofSeconds(10)).until(() -> "COMPLETED".equals(AttemptsTest.state(job)));

        // the paused replica wakes up: its end and its handler's write are both refused
        assertThat(paused.complete(List.of(first))).isEmpty();
        assertThatThrownBy(() -> Reactive.await(() -> transactions.inTenant(tenant, connection -> fence
                .require(connection, tenant, job, first.leaseToken(), 1))))
                .isInstanceOf(LeaseLostException.class);

        assertThat(AttemptsTest.events(job, "COMPLETED")).isEqualTo(1);
        assertThat(Db.count("SELECT count(*) FROM job_attempts WHERE job_id = '" + job
                + "' AND attempt = 1 AND outcome = 'LEASE_EXPIRED'")).isEqualTo(1);
        assertThat(Db.count("SELECT coalesce(sum(running), 0) FROM job_slots")).as("slots freed once").isZero();
    }

    @Test
    void aJobWhoseWorkerDiedIsRescuedAndCompletesOnce() {
        UUID job = Jobs.submit(tenant, GatedHandler.TYPE, "{}");
        // a replica claims it and dies: no heartbeat, no end; its lease runs out on its own
        claimer().claim(1, "dead-replica");
        expireLease(job);
        Gates.open(job, 2);

        worker.start();

        await().atMost(Duration.ofSeconds(10)).until(() -> "COMPLETED".equals(AttemptsTest.state(job)));
        assertThat(AttemptsTest.events(job, "COMPLETED")).isEqualTo(1);
        assertThat(Db.count("SELECT count(*) FROM handler_marks WHERE job_id = '" + job + "'")).isEqualTo(1);
    }

    @Test
    void aCancellationStopsTheJobOnTheReplicaThatRunsIt() {
        UUID job = Jobs.submit(tenant, GatedHandler.TYPE, "{}");
        worker.start();
        await().atMost(Duration.ofSeconds(10)).until(() -> "RUNNING".equals(AttemptsTest.state(job)));

        // asked for on any replica: only the row says so
        Db.execute("UPDATE jobs SET cancel_requested = true WHERE id = '" + job + "'");

        await().atMost(Duration.ofSeconds(10)).until(() -> "CANCELLED".equals(AttemptsTest.state(job)));
        Gates.open(job, 1);
        assertThat(Db.count("SELECT count(*) FROM handler_marks WHERE job_id = '" + job + "'"))
                .as("the cancelled handler's write").isZero();
        assertThat(Db.count("SELECT count(*) FROM job_attempts WHERE job_id = '" + job
                + "' AND outcome = 'CANCELLED'")).isEqualTo(1);
    }

    @Test
    void shutdownGivesRunningJobsBackForAnotherReplicaToTakeAtOnce() {
        UUID job = Jobs.submit(tenant, GatedHandler.TYPE, "{}");
        worker.start();
        await().atMost(Duration.ofSeconds(10)).until(() -> "RUNNING".equals(AttemptsTest.state(job)));

        worker.stop(Duration.ofMillis(200));

        assertThat(AttemptsTest.state(job)).isEqualTo("RETRY_SCHEDULED");
        assertThat(Db.count("SELECT count(*) FROM jobs WHERE id = '" + job + "' AND run_at <= now()"))
                .as("due at once").isEqualTo(1);
        assertThat(Db.count("SELECT count(*) FROM job_attempts WHERE job_id = '" + job
                + "' AND outcome = 'RELEASED'")).isEqualTo(1);
        assertThat(Db.count("SELECT coalesce(sum(running), 0) FROM job_slots")).isZero();
    }

    private static void expireLease(UUID job) {
        Db.execute("UPDATE jobs SET lease_expires_at = now() - interval '1 second',"
                + " deadline_at = now() - interval '1 second' WHERE id = '" + job + "'");
    }

    private Claimers claimer() {
        Pool pool = Claimers.newPool(1);
        pools.add(pool);
        return Claimers.onOwnPool(pool, GatedHandler.TYPE);
    }
}
