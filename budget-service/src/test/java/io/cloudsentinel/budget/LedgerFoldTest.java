package io.cloudsentinel.budget;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;

import jakarta.inject.Inject;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import io.cloudsentinel.budget.service.HoldReaper;
import io.cloudsentinel.platform.tenant.Roles;
import io.cloudsentinel.platform.tenant.TenantId;
import io.cloudsentinel.testing.KafkaTestResource;
import io.cloudsentinel.testing.PostgresTestResource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;

/**
 * After a random mix of 10,000 authorizations, settlements, releases and expiries, run concurrently and racing the
 * reaper, every window's counters equal the fold of the ledger.
 */
@QuarkusTest
@WithTestResource(PostgresTestResource.class)
@WithTestResource(KafkaTestResource.class)
class LedgerFoldTest {

    private static final int OPERATIONS = 10_000;
    private static final int IN_FLIGHT = 24;
    private static final List<String> MODELS = List.of("gpt-4o", "gpt-4o-mini", "claude-sonnet", "mixtral-8x7b");
    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    @ConfigProperty(name = "quarkus.http.test-port")
    int port;
    @Inject
    HoldReaper reaper;

    @AfterEach
    void resetClock() {
        TestClock.reset();
    }

    @Test
    void countersEqualTheFoldOfTheLedgerAfterARandomMix() {
        Random random = new Random(42);
        List<TenantId> tenants = List.of(TenantId.random(), TenantId.random(), TenantId.random(), TenantId.random());
        Api.budget(tenants.get(0), "{\"monthlyLimitMicros\": 2000000}");
        Api.budget(tenants.get(1), "{\"monthlyLimitMicros\": 5000000, \"dailyLimitMicros\": 400000}");
        Api.budget(tenants.get(2), "{\"monthlyLimitMicros\": 300000, \"mode\": \"SOFT\"}");
        Api.budget(tenants.get(3), "{\"monthlyLimitMicros\": 900000, \"dailyLimitMicros\": 600000,"
                + " \"timeZone\": \"America/Los_Angeles\"}");
        Map<String, TenantId> holds = new ConcurrentHashMap<>();
        Map<Integer, Integer> statuses = new ConcurrentHashMap<>();

        int done = 0;
        while (done < OPERATIONS) {
            boolean expiringBatch = random.nextInt(10) == 0;
            if (expiringBatch) {
                TestClock.shiftBy(Duration.ofMinutes(-30)); // holds created now are already past their expiry
            }
            List<CompletableFuture<Void>> batch = new ArrayList<>();
            for (int i = 0; i < IN_FLIGHT; i++) {
                batch.add(operation(random, tenants, holds, expiringBatch).thenAccept(status -> statuses.merge(status, 1,
                        Integer::sum)));
            }
            if (random.nextInt(4) == 0) {
                // the reaper races the settlements and releases of this batch
                batch.add(CompletableFuture.runAsync(() -> io.cloudsentinel.testing.Reactive.await(() -> reaper.expireDue())));
            }
            batch.forEach(CompletableFuture::join);
            TestClock.reset();
            done += IN_FLIGHT;
        }
        io.cloudsentinel.testing.Reactive.await(() -> reaper.expireDue());

        assertThat(statuses.keySet()).as("statuses seen: %s", statuses).containsAnyOf(201).doesNotContain(500);
        JsonPath check = Api.as(tenants.get(0), Roles.PLATFORM_ADMIN).get("/api/v1/budgets/ledger-check")
                .then().statusCode(200).extract().jsonPath();
        assertThat(check.getList("mismatches")).isEmpty();
        assertThat(check.getBoolean("consistent")).isTrue();
    }

    private CompletableFuture<Integer> operation(Random random, List<TenantId> tenants, Map<String, TenantId> holds,
            boolean authorizeOnly) {
        int kind = authorizeOnly ? 0 : random.nextInt(10);
        List<String> known = new ArrayList<>(holds.keySet());
        if (kind < 5 || known.isEmpty()) {
            TenantId tenant = tenants.get(random.nextInt(tenants.size()));
            String key = random.nextInt(20) == 0 && !known.isEmpty() ? "replayed-" + random.nextInt(5)
                    : UUID.randomUUID().toString();
            String body = Api.authorization(MODELS.get(random.nextInt(MODELS.size())), 1 + random.nextInt(4000),
                    1 + random.nextInt(2000), key);
            return send(tenant, "POST", "/api/v1/llm/authorizations", body).thenApply(response -> {
                if (response.statusCode() == 201) {
                    holds.put(JsonPath.from(response.body()).getString("holdId"), tenant);
                }
                return response.statusCode();
            });
        }
        String holdId = known.get(random.nextInt(known.size()));
        TenantId owner = holds.get(holdId);
        if (kind < 8) {
            String body = "{\"inputTokens\":" + random.nextInt(5000) + ",\"outputTokens\":" + random.nextInt(3000) + "}";
            return send(owner, "POST", "/api/v1/llm/authorizations/" + holdId + "/settle", body)
                    .thenApply(HttpResponse::statusCode);
        }
        return send(owner, "DELETE", "/api/v1/llm/authorizations/" + holdId, null).thenApply(HttpResponse::statusCode);
    }

    private CompletableFuture<HttpResponse<String>> send(TenantId tenant, String method, String path, String body) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://localhost:" + port + path))
                .header("Content-Type", "application/json")
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(body));
        Api.headers(tenant, method, path, body).forEach(request::header);
        return HTTP.sendAsync(request.build(), HttpResponse.BodyHandlers.ofString());
    }
}
