package io.cloudsentinel.budget;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;

import jakarta.inject.Inject;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import io.cloudsentinel.budget.service.HoldReaper;
import io.cloudsentinel.platform.tenant.TenantId;
import io.cloudsentinel.testing.CapturedLog;
import io.cloudsentinel.testing.KafkaTestResource;
import io.cloudsentinel.testing.PostgresServer;
import io.cloudsentinel.testing.PostgresTestResource;
import io.cloudsentinel.testing.Reactive;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;

/** One reaper run expires at most reaper-max-batches-per-run batches; the next run goes on with the rest. */
@QuarkusTest
@WithTestResource(PostgresTestResource.class)
@WithTestResource(KafkaTestResource.class)
@TestProfile(ReaperCapTest.SmallBatches.class)
class ReaperCapTest {

    private static final int BATCH = 4;
    private static final int BATCHES_PER_RUN = 3;
    private static final int HOLDS = 20;
    /** gpt-4o, 1,000 input and 500 output tokens. */
    private static final long ESTIMATE = 7_500;

    public static class SmallBatches implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("cs.budget.reaper-batch", Integer.toString(BATCH), "cs.budget.reaper-max-batches-per-run",
                    Integer.toString(BATCHES_PER_RUN));
        }
    }

    @Inject
    HoldReaper reaper;
    @ConfigProperty(name = PostgresTestResource.DATABASE_KEY)
    String database;

    @AfterEach
    void resetClock() {
        TestClock.reset();
    }

    @Test
    void oneRunExpiresAtMostItsBatchesAndTheNextRunTheRest() throws SQLException {
        while (Reactive.await(() -> reaper.expireDue()) > 0) {
            // holds other tests left due: out of the way, so the runs below count only this test's
        }
        TenantId tenant = TenantId.random();
        Api.budget(tenant, "{\"monthlyLimitMicros\": 1000000000}");
        // a day back: due long before any hold another test leaves behind, so the reaper takes these first
        TestClock.shiftBy(Duration.ofDays(-1));
        for (int i = 0; i < HOLDS; i++) {
            Api.as(tenant).body(Api.authorization("gpt-4o", 1000, 500, UUID.randomUUID().toString()))
                    .post("/api/v1/llm/authorizations").then().statusCode(201);
        }
        TestClock.reset();

        long first;
        try (CapturedLog log = CapturedLog.start()) {
            first = Reactive.await(() -> reaper.expireDue());
            assertThat(log.of(HoldReaper.class, "INFO"))
                    .containsExactly("system task hold-reaper expired " + BATCH * BATCHES_PER_RUN + " holds");
        }

        assertThat(first).isEqualTo(BATCH * BATCHES_PER_RUN);
        assertThat(holds(tenant)).containsExactlyInAnyOrderEntriesOf(
                Map.of("EXPIRED", (long) BATCH * BATCHES_PER_RUN, "HELD", (long) HOLDS - BATCH * BATCHES_PER_RUN));
        assertThat(reserved(tenant)).isEqualTo((HOLDS - BATCH * BATCHES_PER_RUN) * ESTIMATE);

        long second = Reactive.await(() -> reaper.expireDue());

        assertThat(second).isGreaterThanOrEqualTo(HOLDS - BATCH * BATCHES_PER_RUN);
        assertThat(holds(tenant)).containsExactlyInAnyOrderEntriesOf(Map.of("EXPIRED", (long) HOLDS));
        assertThat(reserved(tenant)).isZero();

        try (CapturedLog log = CapturedLog.start()) {
            assertThat(Reactive.await(() -> reaper.expireDue())).isZero();
            assertThat(log.of(HoldReaper.class, "INFO")).as("a run that changed nothing").isEmpty();
        }
    }

    private Map<String, Long> holds(TenantId tenant) throws SQLException {
        Map<String, Long> byStatus = new HashMap<>();
        try (Connection admin = PostgresServer.shared().adminConnection(database);
                PreparedStatement query = admin.prepareStatement(
                        "SELECT status, count(*) FROM budget_holds WHERE tenant_id = ? GROUP BY status")) {
            query.setObject(1, tenant.value());
            try (ResultSet rows = query.executeQuery()) {
                while (rows.next()) {
                    byStatus.put(rows.getString(1), rows.getLong(2));
                }
            }
        }
        return byStatus;
    }

    private long reserved(TenantId tenant) throws SQLException {
        try (Connection admin = PostgresServer.shared().adminConnection(database);
                PreparedStatement query = admin.prepareStatement(
                        "SELECT coalesce(sum(reserved_micros), 0) FROM budget_windows WHERE tenant_id = ?")) {
            query.setObject(1, tenant.value());
            try (ResultSet rows = query.executeQuery()) {
                rows.next();
                return rows.getLong(1);
            }
        }
    }
}
