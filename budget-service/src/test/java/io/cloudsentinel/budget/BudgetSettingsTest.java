package io.cloudsentinel.budget;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

import io.cloudsentinel.platform.tenant.Roles;
import io.cloudsentinel.platform.tenant.TenantId;
import io.cloudsentinel.testing.KafkaTestResource;
import io.cloudsentinel.testing.PostgresTestResource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;

/** The budget settings entity: first settings of a tenant at once, and reading without a row. */
@QuarkusTest
@WithTestResource(PostgresTestResource.class)
@WithTestResource(KafkaTestResource.class)
class BudgetSettingsTest {

    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    @ConfigProperty(name = "quarkus.http.test-port")
    int port;

    @Test
    void concurrentFirstSettingsOfATenantAllSucceedAndOneOfThemWins() {
        for (int round = 0; round < 10; round++) {
            TenantId tenant = TenantId.random();
            List<CompletableFuture<HttpResponse<String>>> inFlight = new ArrayList<>();
            for (int i = 1; i <= 8; i++) {
                String body = "{\"monthlyLimitMicros\": " + i * 1_000 + "}";
                HttpRequest.Builder put = HttpRequest.newBuilder(
                        URI.create("http://localhost:" + port + "/api/v1/budgets/me"))
                        .header("Content-Type", "application/json")
                        .PUT(HttpRequest.BodyPublishers.ofString(body));
                Api.headers(tenant, "PUT", "/api/v1/budgets/me", body, Roles.TENANT_ADMIN).forEach(put::header);
                inFlight.add(HTTP.sendAsync(put.build(), HttpResponse.BodyHandlers.ofString()));
            }

            List<Integer> statuses = inFlight.stream().map(CompletableFuture::join).map(HttpResponse::statusCode)
                    .toList();

            assertThat(statuses).as("round %d", round).containsOnly(200);
            long limit = Api.as(tenant).when().get("/api/v1/budgets/me").then().statusCode(200).extract()
                    .jsonPath().getLong("monthlyLimitMicros");
            assertThat(limit).isBetween(1_000L, 8_000L);
        }
    }

    @Test
    void aTenantWithoutSettingsReadsTheDefaultBudgetTheAuthorizationApplies() {
        TenantId tenant = TenantId.random();

        var budget = Api.as(tenant).when().get("/api/v1/budgets/me").then().statusCode(200).extract().jsonPath();

        assertThat(budget.getString("mode")).isEqualTo("HARD");
        assertThat(budget.getInt("softAlertPercent")).isEqualTo(80);
        assertThat(budget.getString("timeZone")).isEqualTo("UTC");
    }
}
