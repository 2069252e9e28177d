package io.cloudsentinel.jobs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import jakarta.inject.Inject;
import jakarta.ws.rs.client.ClientRequestContext;
import jakarta.ws.rs.client.ClientRequestFilter;
import jakarta.ws.rs.core.UriBuilder;
import jakarta.ws.rs.ext.Provider;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.cloudsentinel.jobs.service.PendingSettlementRetry;
import io.cloudsentinel.jobs.service.Worker;
import io.cloudsentinel.platform.tenant.TenantId;
import io.cloudsentinel.testing.CapturedLog;
import io.cloudsentinel.testing.PostgresServer;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.test.junit.QuarkusTest;
import io.smallrye.faulttolerance.api.CircuitBreakerMaintenance;

/**
 * A settlement budget-service cannot take is kept, not dropped: the first attempt's hold has its settlements sent to
 * a closed port (budget-service unreachable for it) until the test lets them through; the model reported its usage,
 * so that usage must be charged, once, by the retry sweep (system task {@code settlement-retry}), as budget-service's
 * own ledger shows.
 */
@QuarkusTest
@AnalysisTestResources
class PendingSettlementTest {

    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final long TEN_USD = 10_000_000;
    private static final String JOBS_DATABASE = "cloudsentinel_jobs";

    private static ModelStub model;

    private final TenantId tenant = TenantId.random();
    private final String key = "sk-pending-" + UUID.randomUUID();
    private CapturedLog log;

    @Inject
    Worker worker;
    @Inject
    MeterRegistry registry;

    /**
     * Tests only: while armed, the settlements of the first hold settled after arming go to a closed port, so that
     * budget-service is unreachable for that hold alone (every try of the handler's and of the retry sweep); inert
     * unless armed. A REST client provider of this application, as any {@code @Provider} filter is.
     */
    @Provider
    public static class SettleUnreachable implements ClientRequestFilter {

        static final AtomicBoolean ARMED = new AtomicBoolean();
        static final AtomicReference<String> HOLD = new AtomicReference<>();
        static final AtomicInteger REFUSED = new AtomicInteger();
        static volatile int closedPort;

        static void firstHold() {
            try (ServerSocket socket = new ServerSocket(0)) {
                closedPort = socket.getLocalPort();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            HOLD.set(null);
            REFUSED.set(0);
            ARMED.set(true);
        }

        static void reachable() {
            ARMED.set(false);
        }

        static UUID hold() {
            return UUID.fromString(HOLD.get());
        }

        @Override
        public void filter(ClientRequestContext request) {
            String[] path = request.getUri().getPath().split("/");
            if (!ARMED.get() || path.length < 2 || !"settle".equals(path[path.length - 1])) {
                return;
            }
            String hold = path[path.length - 2];
            HOLD.compareAndSet(null, hold);
            if (hold.equals(HOLD.get())) {
                REFUSED.incrementAndGet();
                request.setUri(UriBuilder.fromUri(request.getUri()).port(closedPort).build());
            }
        }
    }

    @BeforeAll
    static void startStub() throws Exception {
        model = ModelStub.on(0);
    }

    @AfterAll
    static void stopStub() {
        model.close();
    }

    @BeforeEach
    void setUp() {
        Db.truncateAll();
        SettleUnreachable.reachable();
        log = CapturedLog.start();
        // budget calls' breakers are the application's: another test's failures must not open them for this one
        CircuitBreakerMaintenance.get().resetAll();
        worker.start();
    }

    @AfterEach
    void tearDown() {
        SettleUnreachable.reachable();
        worker.stop(Duration.ZERO);
        log.close();
        jobsCount("DELETE FROM pending_settlements WHERE tenant_id = '" + tenant + "' RETURNING 1");
    }

    @Test
    void aSettlementBudgetServiceCannotTakeIsKeptAndChargedOnceWithTheReportedUsageWhenItIsBack() {
        BudgetSibling.budget(tenant, TEN_USD);
        BudgetSibling.llmSettings(tenant, "openai-compatible", "gpt-4o-mini", model.baseUrl(tenant), key);
        model.plan(tenant, ModelStub.Reply.valid(1_111, 222), ModelStub.Reply.valid(900, 150));
        SettleUnreachable.firstHold();

        UUID job = submit();
        // the first attempt's settlement failed past BudgetCalls' retries: kept with the usage the model reported
        await().atMost(WAIT).until(() -> pending() == 1);
        UUID held = SettleUnreachable.hold();
        assertThat(jobsText("SELECT concat_ws(',', job_id, input_tokens, output_tokens, estimated) FROM"
                + " pending_settlements WHERE tenant_id = '" + tenant + "' AND hold_id = '" + held + "'"))
                .isEqualTo(job + ",1111,222,f");
        assertThat(log.of(PendingSettlementRetry.class, "WARN"))
                .anyMatch(line -> line.contains(held.toString()) && line.contains("kept"));
        // while budget-service stays unreachable the sweep tries again, keeps the row and backs off; nothing charged
        await().atMost(WAIT).until(() -> attempts(held) >= 2);
        assertThat(jobsText("SELECT last_error FROM pending_settlements WHERE hold_id = '" + held + "'"))
                .contains("budget-service settle failed");
        assertThat(BudgetSibling.entries(held, "SETTLE")).isZero();
        assertThat(registry.find("cs_jobs_pending_settlements").gauge().value()).isGreaterThanOrEqualTo(1);
        // the job goes on as before: its first attempt failed, the retry took a hold of its own, settled at once
        await().atMost(WAIT).until(() -> "COMPLETED".equals(jobsText("SELECT state FROM jobs WHERE id = '" + job
                + "'")));
        assertThat(jobsText("SELECT error FROM job_attempts WHERE job_id = '" + job + "' AND attempt = 1"))
                .contains("budget-service settle failed");

        SettleUnreachable.reachable();
        await().atMost(WAIT).until(() -> pending() == 0);

        List<BudgetSibling.HoldRow> holds = BudgetSibling.holds(tenant);
        assertThat(holds).extracting(BudgetSibling.HoldRow::idempotencyKey)
                .containsExactly("finops_analysis:" + job + ":1", "finops_analysis:" + job + ":2");
        BudgetSibling.HoldRow first = holds.get(0);
        assertThat(first.id()).isEqualTo(held);
        assertThat(first.status()).isEqualTo("SETTLED");
        assertThat(first.settledInputTokens()).isEqualTo(1_111);
        assertThat(first.settledOutputTokens()).isEqualTo(222);
        assertThat(holds.get(1).settledInputTokens()).isEqualTo(900);
        // a sweep later it is still one charge: the row is gone, nothing sends it again
        await().during(Duration.ofSeconds(1)).atMost(Duration.ofSeconds(3))
                .until(() -> BudgetSibling.entries(held, "SETTLE") == 1);
        assertThat(BudgetSibling.entries(holds.get(1).id(), "SETTLE")).isEqualTo(1);
        assertThat(BudgetSibling.spent(tenant))
                .isEqualTo(first.settledCostMicros() + holds.get(1).settledCostMicros());
        assertThat(SettleUnreachable.REFUSED.get()).as("the handler's 7 tries and the sweep's").isGreaterThan(7);
        await().atMost(WAIT).until(() -> registry.find("cs_jobs_pending_settlements").gauge().value() == 0);
        assertThat(log.lines()).noneMatch(line -> line.contains(key));
    }

    @Test
    void aPendingSettlementOfAHoldBudgetServiceDoesNotKnowIsDroppedWithNothingCharged() {
        UUID unknown = UUID.randomUUID();
        jobsCount("INSERT INTO pending_settlements (tenant_id, hold_id, job_id, input_tokens, output_tokens, estimated,"
                + " next_attempt_at, created_at) VALUES ('" + tenant + "', '" + unknown + "', '" + UUID.randomUUID()
                + "', 100, 10, false, now(), now()) RETURNING 1");

        await().atMost(WAIT).until(() -> pending() == 0);

        assertThat(BudgetSibling.spent(tenant)).isZero();
        assertThat(log.of(PendingSettlementRetry.class, "WARN"))
                .anyMatch(line -> line.contains(unknown.toString()) && line.contains("knows no hold"));
    }

    // --- helpers ---

    private UUID submit() {
        String payload = """
                {"costs": [{"service": "EC2", "amount": "1234.56", "currency": "USD", "periodStart": "2026-11-01",
                            "periodEnd": "2026-11-30"}]}
                """;
        return UUID.fromString(Api.as(tenant).header("Idempotency-Key", UUID.randomUUID().toString())
                .body("{\"type\": \"finops_analysis\", \"payload\": " + payload + "}").post("/api/v1/jobs").then()
                .statusCode(201).extract().path("id"));
    }

    private long pending() {
        return jobsCount("SELECT count(*) FROM pending_settlements WHERE tenant_id = '" + tenant + "'");
    }

    private long attempts(UUID hold) {
        return jobsCount("SELECT attempts FROM pending_settlements WHERE hold_id = '" + hold + "'");
    }

    private static long jobsCount(String sql) {
        String value = jobsText(sql);
        return value == null ? 0 : Long.parseLong(value);
    }

    /** The first column of the first row, read past row-level security; null when there is no row. */
    private static String jobsText(String sql) {
        try (Connection admin = PostgresServer.shared().adminConnection(JOBS_DATABASE);
                Statement statement = admin.createStatement();
                ResultSet rows = statement.executeQuery(sql)) {
            return rows.next() ? rows.getString(1) : null;
        } catch (SQLException e) {
            throw new IllegalStateException(sql, e);
        }
    }
}
