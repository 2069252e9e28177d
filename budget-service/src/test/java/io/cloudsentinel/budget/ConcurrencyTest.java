package io.cloudsentinel.budget;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import jakarta.inject.Inject;

import org.eclipse.microprofile.config.ConfigProvider;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import io.cloudsentinel.bootstrap.DatabaseBootstrap;
import io.cloudsentinel.platform.tenant.TenantId;
import io.cloudsentinel.testing.KafkaTestResource;
import io.cloudsentinel.testing.PostgresServer;
import io.cloudsentinel.testing.PostgresTestResource;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;

/**
 * Zero overspend, one hold per idempotency key, one charge per hold and one lock order, under real concurrency
 * against real PostgreSQL.
 */
@QuarkusTest
@WithTestResource(PostgresTestResource.class)
@WithTestResource(KafkaTestResource.class)
class ConcurrencyTest {

    /** gpt-4o, 1,000 input and 500 output tokens: 7,500 micro-USD. */
    private static final long ESTIMATE = 7_500;

    @ConfigProperty(name = "quarkus.http.test-port")
    int port;
    @Inject
    MeterRegistry registry;

    @AfterEach
    void resetClock() {
        TestClock.reset();
    }

    @Test
    void twoHundredConcurrentAuthorizationsAgainstABudgetForFiftyGrantExactlyFifty() {
        for (int round = 0; round < 20; round++) {
            TenantId tenant = TenantId.random();
            Api.budget(tenant, "{\"monthlyLimitMicros\": " + 50 * ESTIMATE + "}");

            List<CompletableFuture<HttpResponse<String>>> inFlight = new ArrayList<>();
            for (int i = 0; i < 200; i++) {
                inFlight.add(Api.postAsync(port, "/api/v1/llm/authorizations", tenant,
                        Api.authorization("gpt-4o", 1000, 500, UUID.randomUUID().toString())));
            }
            Map<Integer, Long> statuses = inFlight.stream().map(CompletableFuture::join)
                    .collect(Collectors.groupingBy(HttpResponse::statusCode, Collectors.counting()));

            assertThat(statuses).as("round %d", round).containsExactlyInAnyOrderEntriesOf(Map.of(201, 50L, 402, 150L));
            JsonPath budget = Api.as(tenant).when().get("/api/v1/budgets/me").then().extract().jsonPath();
            assertThat(budget.getLong("reservedMicros")).as("round %d", round).isEqualTo(50 * ESTIMATE);
        }
    }

    @Test
    void fiftyConcurrentRequestsWithOneIdempotencyKeyMakeOneHold() {
        TenantId tenant = TenantId.random();
        Api.budget(tenant, "{\"monthlyLimitMicros\": 100000000}");
        String key = UUID.randomUUID().toString();

        List<CompletableFuture<HttpResponse<String>>> inFlight = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            inFlight.add(Api.postAsync(port, "/api/v1/llm/authorizations", tenant,
                    Api.authorization("gpt-4o", 1000, 500, key)));
        }
        List<HttpResponse<String>> responses = inFlight.stream().map(CompletableFuture::join).toList();

        assertThat(responses).extracting(HttpResponse::statusCode).containsOnly(200, 201);
        assertThat(responses.stream().filter(r -> r.statusCode() == 201)).hasSize(1);
        assertThat(responses.stream().map(r -> JsonPath.from(r.body()).getString("holdId")).distinct()).hasSize(1);
        JsonPath budget = Api.as(tenant).when().get("/api/v1/budgets/me").then().extract().jsonPath();
        assertThat(budget.getLong("reservedMicros")).isEqualTo(ESTIMATE);
    }

    @Test
    void theSameKeyForADifferentRequestIsRefused() {
        TenantId tenant = TenantId.random();
        Api.budget(tenant, "{\"monthlyLimitMicros\": 100000000}");
        Api.as(tenant).body(Api.authorization("gpt-4o", 1000, 500, "same")).post("/api/v1/llm/authorizations")
                .then().statusCode(201);

        Api.as(tenant).body(Api.authorization("gpt-4o", 9999, 500, "same")).post("/api/v1/llm/authorizations")
                .then().statusCode(422)
                .body("type", org.hamcrest.Matchers.endsWith("/idempotency-key-reused"));
    }

    @Test
    void fiftyConcurrentSettlementsOfOneHoldChargeItOnce() {
        for (int round = 0; round < 10; round++) {
            TenantId tenant = TenantId.random();
            Api.budget(tenant, "{\"monthlyLimitMicros\": 100000000, \"dailyLimitMicros\": 100000000}");
            String holdId = Api.as(tenant).body(Api.authorization("gpt-4o", 1000, 500, UUID.randomUUID().toString()))
                    .post("/api/v1/llm/authorizations").then().statusCode(201).extract().path("holdId");

            // each request reports other token counts, so a second charge could not hide behind an equal cost
            List<HttpResponse<String>> responses = all(IntStream.range(0, 50).mapToObj(i -> Api.postAsync(port,
                    "/api/v1/llm/authorizations/" + holdId + "/settle", tenant,
                    "{\"inputTokens\":" + (100 + i) + ",\"outputTokens\":" + (100 + i) + "}")).toList());

            assertThat(responses).as("round %d", round).extracting(HttpResponse::statusCode).containsOnly(200);
            List<Long> costs = responses.stream().map(r -> JsonPath.from(r.body()).getLong("costMicros")).distinct()
                    .toList();
            assertThat(costs).as("round %d: every answer is the one settlement's", round).hasSize(1);
            long cost = costs.get(0);
            JsonPath budget = Api.as(tenant).when().get("/api/v1/budgets/me").then().extract().jsonPath();
            assertThat(budget.getList("windows.spentMicros", Long.class)).as("round %d: month and day", round)
                    .containsExactly(cost, cost);
            assertThat(budget.getList("windows.reservedMicros", Long.class)).containsExactly(0L, 0L);
            JsonPath ledger = Api.as(tenant).when().get("/api/v1/budgets/me/ledger").then().extract().jsonPath();
            assertThat(ledger.getList("entries.type", String.class)).as("round %d", round)
                    .containsExactly("SETTLE", "HOLD");
            assertThat(ledger.getLong("entries[0].spentDeltaMicros")).isEqualTo(cost);
        }
    }

    /**
     * Every statement that changes a tenant's window rows locks DAY before MONTH, so releases, settlements and
     * authorizations of one tenant at once never deadlock. The platform retries a deadlock PostgreSQL broke (after
     * its deadlock_timeout), so the answers alone cannot show one: its retry counter can.
     */
    @Test
    void releasesSettlementsAndAuthorizationsOfOneTenantAtOnceNeverDeadlock() throws SQLException {
        double deadlocksBefore = deadlockRetries();
        Instant today = LocalDate.now(ZoneOffset.UTC).plusMonths(1).withDayOfMonth(20).atTime(12, 0)
                .toInstant(ZoneOffset.UTC);
        for (int round = 0; round < 5; round++) {
            TenantId tenant = TenantId.random();
            Api.budget(tenant, "{\"monthlyLimitMicros\": 1000000000, \"dailyLimitMicros\": 1000000000}");
            // Sixty days of history: PostgreSQL then finds the tenant's rows through a bitmap of its key and visits
            // them in table order, where this month's row (written on its first day) lies before today's.
            for (int day = 60; day > 0; day--) {
                TestClock.shiftTo(today.minus(Duration.ofDays(day)));
                Api.as(tenant).body(Api.authorization("gpt-4o", 1000, 500, UUID.randomUUID().toString()))
                        .post("/api/v1/llm/authorizations").then().statusCode(201);
            }
            TestClock.shiftTo(today);
            analyzeWindows();
            List<String> holds = all(IntStream.range(0, 60).mapToObj(i -> authorizeAsync(tenant)).toList()).stream()
                    .map(response -> JsonPath.from(response.body()).getString("holdId")).toList();

            List<CompletableFuture<HttpResponse<String>>> inFlight = new ArrayList<>();
            for (int i = 0; i < holds.size(); i++) {
                String path = "/api/v1/llm/authorizations/" + holds.get(i);
                inFlight.add(i % 2 == 0 ? Api.sendAsync(port, "DELETE", path, tenant, null)
                        : Api.postAsync(port, path + "/settle", tenant, "{\"inputTokens\":900,\"outputTokens\":400}"));
                inFlight.add(authorizeAsync(tenant));
            }

            assertThat(all(inFlight)).as("round %d", round).extracting(HttpResponse::statusCode)
                    .containsOnly(200, 201, 204);
        }
        assertThat(deadlockRetries() - deadlocksBefore).as("deadlocks PostgreSQL broke (and the platform retried)")
                .isZero();
    }

    /** Statistics that show the tenant's many rows, as a table in use has them. */
    private static void analyzeWindows() throws SQLException {
        String url = ConfigProvider.getConfig().getValue(PostgresTestResource.JDBC_URL_KEY, String.class);
        try (Connection owner = DriverManager.getConnection(url, DatabaseBootstrap.OWNER_ROLE,
                PostgresServer.OWNER_PASSWORD)) {
            owner.createStatement().execute("ANALYZE budget_windows");
        }
    }

    private CompletableFuture<HttpResponse<String>> authorizeAsync(TenantId tenant) {
        return Api.postAsync(port, "/api/v1/llm/authorizations", tenant,
                Api.authorization("gpt-4o", 1000, 500, UUID.randomUUID().toString()));
    }

    private static List<HttpResponse<String>> all(List<CompletableFuture<HttpResponse<String>>> inFlight) {
        return inFlight.stream().map(CompletableFuture::join).toList();
    }

    private double deadlockRetries() {
        Counter retries = registry.find("cs.transaction.retries").tag("sqlstate", "40P01").counter();
        return retries == null ? 0 : retries.count();
    }
}
