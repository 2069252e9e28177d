package io.cloudsentinel.budget;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Collectors;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

import io.cloudsentinel.platform.tenant.TenantId;
import io.cloudsentinel.testing.KafkaTestResource;
import io.cloudsentinel.testing.PostgresTestResource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;

/** Zero overspend and one hold per idempotency key, under real concurrency against real PostgreSQL. */
@QuarkusTest
@WithTestResource(PostgresTestResource.class)
@WithTestResource(KafkaTestResource.class)
class ConcurrencyTest {

    /** gpt-4o, 1,000 input and 500 output tokens: 7,500 micro-USD. */
    private static final long ESTIMATE = 7_500;

    @ConfigProperty(name = "quarkus.http.test-port")
    int port;

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
}
