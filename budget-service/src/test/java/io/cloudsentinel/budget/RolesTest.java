package io.cloudsentinel.budget;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

import org.junit.jupiter.api.Test;

import io.cloudsentinel.platform.tenant.Roles;
import io.cloudsentinel.platform.tenant.TenantId;
import io.cloudsentinel.testing.KafkaTestResource;
import io.cloudsentinel.testing.PostgresTestResource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;

/**
 * The budget is spent and read by its tenant's users and admins and by services acting for it: a context with any
 * other role (a platform admin's alone, or none the service knows) is 403 on every call, and spends nothing.
 */
@QuarkusTest
@WithTestResource(PostgresTestResource.class)
@WithTestResource(KafkaTestResource.class)
class RolesTest {

    private final TenantId tenant = TenantId.random();

    @Test
    void onlyTheTenantsUsersAdminsAndServicesSpendOrReadTheBudget() {
        Api.budget(tenant, "{\"monthlyLimitMicros\": 1000000}");
        String hold = Api.as(tenant, Roles.SERVICE).body(Api.authorization("gpt-4o", 1000, 500, "as-service"))
                .post("/api/v1/llm/authorizations").then().statusCode(201).extract().path("holdId");

        for (String role : new String[] { Roles.PLATFORM_ADMIN, "auditor" }) {
            forbidden(Api.as(tenant, role).body(Api.authorization("gpt-4o", 1000, 500, "k-" + role))
                    .post("/api/v1/llm/authorizations"));
            forbidden(Api.as(tenant, role).body("{\"inputTokens\": 1, \"outputTokens\": 1}")
                    .post("/api/v1/llm/authorizations/" + hold + "/settle"));
            forbidden(Api.as(tenant, role).delete("/api/v1/llm/authorizations/" + hold));
            forbidden(Api.as(tenant, role).get("/api/v1/llm/models"));
            forbidden(Api.as(tenant, role).get("/api/v1/budgets/me"));
            forbidden(Api.as(tenant, role).get("/api/v1/budgets/me/ledger"));
        }

        assertThat(Api.as(tenant, Roles.TENANT_USER).get("/api/v1/budgets/me").then().statusCode(200).extract()
                .jsonPath().getLong("reservedMicros")).as("only the service's hold").isPositive();
        Api.as(tenant, Roles.SERVICE).delete("/api/v1/llm/authorizations/" + hold).then().statusCode(204);
        assertThat(Api.as(tenant, Roles.TENANT_ADMIN).get("/api/v1/budgets/me").then().statusCode(200).extract()
                .jsonPath().getLong("reservedMicros")).isZero();
    }

    private static void forbidden(Response response) {
        response.then().statusCode(403).body("type", equalTo("https://cloudsentinel.dev/problems/forbidden"));
    }
}
