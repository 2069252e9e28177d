package io.cloudsentinel.scheduler;

import static io.cloudsentinel.testing.Reactive.await;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.waitAtMost;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import jakarta.inject.Inject;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.cloudsentinel.platform.tenant.PgErrors;
import io.cloudsentinel.scheduler.service.Sweeper;
import io.cloudsentinel.testing.PostgresServer;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.mutiny.sqlclient.Pool;

/**
 * A sweep that runs into trouble halfway through its batch: its connection is killed, or it loses a deadlock. An
 * uncommitted emission row of another transaction holds the sweep inside its statement, so the trouble hits it
 * mid-transaction, deterministically.
 */
@QuarkusTest
@SchedulerTestResources
class BlockedSweepTest {

    private static final String JOB_TYPE = "cost_ingestion";

    @Inject
    MeterRegistry registry;

    private Pool pool;
    private Sweeper sweeper;
    private final Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);

    @BeforeEach
    void setUp() {
        Db.truncateAll();
        TestClock.freezeAt(now);
        pool = Sweepers.newPool(2);
        sweeper = Sweepers.onOwnPool(pool, 500, "jobs.requested.test-" + UUID.randomUUID());
    }

    @AfterEach
    void tearDown() {
        await(pool::close);
        TestClock.reset();
    }

    @Test
    void aSweeperKilledMidTransactionLosesNothingAndDuplicatesNothing() throws Exception {
        Db.dueTenants(100, JOB_TYPE, Db.literal(now), 3600, Db.literal(now));
        try (Connection other = Db.system()) {
            other.setAutoCommit(false);
            holdEmissionOf(other, lastDueTenant());
            CompletableFuture<Sweeper.SweepResult> blocked = CompletableFuture.supplyAsync(() -> await(sweeper::sweep));
            int sweepPid = waitUntilSweepWaits();

            try (Connection admin = PostgresServer.shared().adminConnection("cloudsentinel_scheduler");
                    Statement statement = admin.createStatement()) {
                statement.execute("SELECT pg_terminate_backend(" + sweepPid + ")");
            }
            assertThat(blocked).failsWithin(Duration.ofSeconds(30));
            other.rollback();
        }

        assertThat(Db.count("SELECT count(*) FROM emissions")).as("the killed batch left nothing").isZero();
        assertThat(Db.count("SELECT count(*) FROM cs_outbox")).isZero();
        assertThat(Db.count("SELECT count(*) FROM schedules WHERE next_run_at <= " + Db.literal(now)))
                .as("every schedule is still due").isEqualTo(100);

        Sweeper.SweepResult again = await(sweeper::sweep);

        assertThat(again.emitted()).isEqualTo(100);
        assertThat(Db.count("SELECT count(*) FROM emissions")).isEqualTo(100);
        assertThat(Db.count("SELECT count(DISTINCT tenant_id) FROM cs_outbox")).isEqualTo(100);
        assertThat(Db.count("SELECT count(*) FROM cs_outbox")).isEqualTo(100);
    }

    @Test
    void aDeadlockedBatchIsRetriedByItsSqlstateAndCounted() throws Exception {
        Db.dueTenants(2, JOB_TYPE, Db.literal(now), 3600, Db.literal(now));
        double deadlocksBefore = deadlocks();
        CompletableFuture<Sweeper.SweepResult> sweep;
        try (Connection other = Db.system()) {
            other.setAutoCommit(false);
            // the sweep inserts the first due tenant's emission, then waits for ours of the second; we then wait
            // for its first: a cycle, which PostgreSQL breaks by failing the sweep, which waited first
            holdEmissionOf(other, lastDueTenant());
            sweep = CompletableFuture.supplyAsync(() -> await(sweeper::sweep));
            waitUntilSweepWaits();
            try {
                holdEmissionOf(other, firstDueTenant());
            } catch (SQLException e) {
                throw new AssertionError("PostgreSQL chose this transaction as the deadlock victim: " + e, e);
            }
            other.rollback();
        }

        Sweeper.SweepResult result = sweep.get(30, TimeUnit.SECONDS);

        assertThat(result.emitted()).isEqualTo(2);
        assertThat(deadlocks() - deadlocksBefore).isGreaterThanOrEqualTo(1);
        assertThat(Db.count("SELECT count(*) FROM cs_outbox")).isEqualTo(2);
    }

    @Test
    void withoutRetriesTheDeadlockIsWhatTheSweepWouldReport() throws Exception {
        // the same cycle against a sweeper that may not retry: proves the test above really produced a deadlock
        Db.dueTenants(2, JOB_TYPE, Db.literal(now), 3600, Db.literal(now));
        Sweeper impatient = Sweepers.onOwnPool(pool, 500, 1, 0, "jobs.requested.test-" + UUID.randomUUID());
        CompletableFuture<Sweeper.SweepResult> sweep;
        try (Connection other = Db.system()) {
            other.setAutoCommit(false);
            holdEmissionOf(other, lastDueTenant());
            sweep = CompletableFuture.supplyAsync(() -> await(impatient::sweep));
            waitUntilSweepWaits();
            holdEmissionOf(other, firstDueTenant());
            other.rollback();
        }

        assertThat(sweep).failsWithin(Duration.ofSeconds(30)).withThrowableThat()
                .satisfies(failure -> assertThat(PgErrors.sqlState(failure)).contains("40P01"));
    }

    /** Inserts, uncommitted, the emission the sweep is about to insert for the tenant. */
    private void holdEmissionOf(Connection connection, UUID tenant) throws SQLException {
        try (PreparedStatement insert = connection.prepareStatement("""
                INSERT INTO emissions (tenant_id, job_type, slot_start, job_id, emitted_at)
                SELECT tenant_id, job_type, next_run_at, gen_random_uuid(), now() FROM schedules
                 WHERE tenant_id = ?
                """)) {
            insert.setObject(1, tenant);
            assertThat(insert.executeUpdate()).isEqualTo(1);
        }
    }

    private static UUID firstDueTenant() throws SQLException {
        return dueTenant("ORDER BY next_run_at, tenant_id LIMIT 1");
    }

    private static UUID lastDueTenant() throws SQLException {
        return dueTenant("ORDER BY next_run_at DESC, tenant_id DESC LIMIT 1");
    }

    private static UUID dueTenant(String order) throws SQLException {
        try (Connection connection = Db.system();
                Statement statement = connection.createStatement();
                ResultSet rows = statement.executeQuery("SELECT tenant_id FROM schedules " + order)) {
            rows.next();
            return (UUID) rows.getObject(1);
        }
    }

    /** The pid of the sweep's backend once it waits for a lock inside its batch statement. */
    private static int waitUntilSweepWaits() throws SQLException {
        try (Connection admin = PostgresServer.shared().adminConnection("cloudsentinel_scheduler");
                Statement statement = admin.createStatement()) {
            return waitAtMost(Duration.ofSeconds(20)).pollInSameThread().pollInterval(Duration.ofMillis(10))
                    .alias("the sweep waits for the held emission")
                    .until(() -> sweepWaitingForALock(statement), Optional::isPresent).orElseThrow();
        }
    }

    private static Optional<Integer> sweepWaitingForALock(Statement statement) throws SQLException {
        try (ResultSet rows = statement.executeQuery("SELECT pid FROM pg_stat_activity"
                + " WHERE wait_event_type = 'Lock' AND query LIKE '%WITH due AS%'")) {
            return rows.next() ? Optional.of(rows.getInt(1)) : Optional.empty();
        }
    }

    private double deadlocks() {
        var counter = registry.find("cs.scheduler.deadlocks").tag("sqlstate", "40P01").counter();
        return counter == null ? 0 : counter.count();
    }
}
