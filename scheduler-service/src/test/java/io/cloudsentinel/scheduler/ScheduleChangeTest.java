package io.cloudsentinel.scheduler;

import static io.cloudsentinel.testing.Reactive.await;
import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import jakarta.inject.Inject;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.cloudsentinel.platform.tenant.Roles;
import io.cloudsentinel.platform.tenant.TenantId;
import io.cloudsentinel.platform.tenant.TenantTransactions;
import io.cloudsentinel.scheduler.repository.ScheduleRepository;
import io.cloudsentinel.scheduler.service.Sweeper;
import io.quarkus.test.junit.QuarkusTest;

/** A schedule changed as an entity: two first changes make one row, and a change in flight keeps the sweep off. */
@QuarkusTest
@SchedulerTestResources
class ScheduleChangeTest {

    private final TenantId tenant = TenantId.random();

    @Inject
    TenantTransactions transactions;
    @Inject
    ScheduleRepository schedules;
    @Inject
    Sweeper sweeper;

    @BeforeEach
    void clean() {
        Db.truncateAll();
    }

    /**
     * Another transaction inserts the same new schedule and holds it uncommitted: the admin's insert waits on it, loses
     * with a unique violation once it commits, and runs again as a change of that row.
     */
    @Test
    void aFirstConfigurationThatLosesTheInsertChangesTheOtherRow() throws Exception {
        Db.execute("INSERT INTO tenants (tenant_id) VALUES ('" + tenant + "')");
        ExecutorService admin = Executors.newSingleThreadExecutor();
        try (Connection other = Db.system()) {
            other.setAutoCommit(false);
            try (Statement statement = other.createStatement()) {
                statement.execute("INSERT INTO schedules (tenant_id, job_type, next_run_at) VALUES ('" + tenant
                        + "', 'finops_analysis', now())");
            }
            Future<Integer> status = admin.submit(() -> Api.as(tenant, Roles.TENANT_ADMIN)
                    .body("{\"enabled\":true,\"interval\":\"PT2H\"}")
                    .put("/api/v1/schedules/me/finops_analysis").statusCode());
            Awaitility.await().atMost(Duration.ofSeconds(10))
                    .until(() -> Db.count("SELECT count(*) FROM pg_locks WHERE NOT granted") > 0);
            try (Statement q = other.createStatement();
                    var rs = q.executeQuery(
                            "SELECT string_agg(query, ' || ') FROM pg_stat_activity WHERE wait_event_type = 'Lock'")) {
                rs.next();
            }
            other.commit();

            assertThat(status.get(10, TimeUnit.SECONDS)).isEqualTo(200);
        } finally {
            admin.shutdownNow();
        }
        assertThat(Db.count("SELECT count(*) FROM schedules WHERE tenant_configured AND interval_override_secs = 7200"))
                .isEqualTo(1);
    }

    @Test
    void aScheduleBeingChangedIsPassedByTheSweepUntilTheChangeCommits() {
        Api.as(tenant, Roles.TENANT_ADMIN).body("{\"enabled\":true}").put("/api/v1/schedules/me/zombie_scan")
                .then().statusCode(200);

        Sweeper.BatchResult whileLocked = await(() -> transactions.inTenantSession(tenant,
                session -> schedules.forChange(tenant, "zombie_scan").chain(locked -> sweeper.batch())));
        Sweeper.BatchResult afterwards = await(sweeper::batch);

        assertThat(whileLocked.claimed()).as("claimed while the change held the row").isZero();
        assertThat(afterwards.emitted()).as("emitted once the change committed").isEqualTo(1);
    }
}
