package io.cloudsentinel.budget;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Collectors;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import io.cloudsentinel.platform.context.ContextKeys;
import io.cloudsentinel.platform.tenant.Roles;
import io.cloudsentinel.platform.tenant.TenantContext;
import io.cloudsentinel.platform.tenant.TenantId;
import io.cloudsentinel.testing.PackagedService;
import io.cloudsentinel.testing.SignedCalls;
import io.restassured.path.json.JsonPath;

/**
 * Zero overspend with two service instances (two processes, two connection pools) serving one tenant at once: the
 * guarantee lives in PostgreSQL, not in a JVM.
 */
class TwoInstancesIT {

    private static final String DATABASE = "cloudsentinel_budget_it";
    private static final long ESTIMATE = 7_500;
    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private static final List<PackagedService> instances = new ArrayList<>();
    private static final List<Integer> ports = new ArrayList<>();
    private static SignedCalls calls;

    @BeforeAll
    static void startTwoInstances() throws Exception {
        ContextKeys.Generated gateway = ServiceInstance.gatewayKeys();
        calls = ServiceInstance.calls(gateway);
        for (int i = 0; i < 2; i++) {
            PackagedService instance = ServiceInstance.start(DATABASE, gateway,
                    "quarkus.datasource.reactive.max-size=8");
            instances.add(instance);
            ports.add(instance.port);
        }
    }

    @AfterAll
    static void stopInstances() throws InterruptedException {
        for (PackagedService instance : instances) {
            instance.close();
        }
    }

    @Test
    void twoHundredConcurrentAuthorizationsOverTwoInstancesGrantExactlyFifty() {
        for (int round = 0; round < 20; round++) {
            TenantId tenant = TenantId.random();
            send(ports.get(0), "PUT", "/api/v1/budgets/me", tenant, "{\"monthlyLimitMicros\": " + 50 * ESTIMATE + "}",
                    Roles.TENANT_ADMIN).join();

            List<CompletableFuture<HttpResponse<String>>> inFlight = new ArrayList<>();
            for (int i = 0; i < 200; i++) {
                inFlight.add(send(ports.get(i % 2), "POST", "/api/v1/llm/authorizations", tenant,
                        "{\"model\":\"gpt-4o\",\"inputTokens\":1000,\"maxOutputTokens\":500,\"idempotencyKey\":\""
                                + UUID.randomUUID() + "\"}",
                        Roles.TENANT_USER));
            }
            Map<Integer, Long> statuses = inFlight.stream().map(CompletableFuture::join)
                    .collect(Collectors.groupingBy(HttpResponse::statusCode, Collectors.counting()));

            assertThat(statuses).as("round %d", round).containsExactlyInAnyOrderEntriesOf(Map.of(201, 50L, 402, 150L));
            String budget = send(ports.get(1), "GET", "/api/v1/budgets/me", tenant, null, Roles.TENANT_USER).join()
                    .body();
            assertThat(JsonPath.from(budget).getLong("reservedMicros")).as("round %d", round)
                    .isEqualTo(50 * ESTIMATE);
        }
    }

    private static CompletableFuture<HttpResponse<String>> send(int port, String method, String path,
            TenantId tenant, String body, String role) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .header("Content-Type", "application/json")
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(body));
        calls.headers(new TenantContext(tenant, "it-user", Set.of(role)), method, path, body)
                .forEach(request::header);
        return HTTP.sendAsync(request.build(), HttpResponse.BodyHandlers.ofString());
    }
}
