package io.cloudsentinel.budget;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.util.Set;
import java.util.TreeSet;

import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.Test;

import io.cloudsentinel.bootstrap.DatabaseBootstrap;
import io.cloudsentinel.platform.problem.Problem;
import io.cloudsentinel.platform.tenant.TenantId;
import io.cloudsentinel.testing.KafkaTestResource;
import io.cloudsentinel.testing.PostgresServer;
import io.cloudsentinel.testing.PostgresTestResource;
import io.cloudsentinel.testing.SystemTaskNames;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;

/** Tenant B cannot see, settle or release tenant A's hold: 404, as if it did not exist. */
@QuarkusTest
@WithTestResource(PostgresTestResource.class)
@WithTestResource(KafkaTestResource.class)
class TenantIsolationTest {

    private final TenantId a = TenantId.random();
    private final TenantId b = TenantId.random();

    @Test
    void anotherTenantsHoldIsNotFound() {
        Api.budget(a, "{\"monthlyLimitMicros\": 1000000}");
        Api.budget(b, "{\"monthlyLimitMicros\": 1000000}");
        String holdId = Api.as(a).body(Api.authorization("gpt-4o", 1000, 500, "k")).post("/api/v1/llm/authorizations")
                .then().statusCode(201).extract().path("holdId");

        Api.as(b).body("{\"inputTokens\": 1, \"outputTokens\": 1}")
                .post("/api/v1/llm/authorizations/" + holdId + "/settle")
                .then().statusCode(404).contentType(Problem.MEDIA_TYPE);
        Api.as(b).delete("/api/v1/llm/authorizations/" + holdId).then().statusCode(404);
        Api.as(b).get("/api/v1/budgets/me/ledger").then().statusCode(200)
                .body("entries", org.hamcrest.Matchers.empty());

        assertThat(Api.as(a).get("/api/v1/budgets/me").then().extract().jsonPath().getLong("reservedMicros"))
                .isEqualTo(7_500);
    }

    @Test
    void theSameIdempotencyKeyInTwoTenantsMakesTwoHolds() {
        Api.budget(a, "{\"monthlyLimitMicros\": 1000000}");
        Api.budget(b, "{\"monthlyLimitMicros\": 1000000}");

        String holdA = Api.as(a).body(Api.authorization("gpt-4o", 10, 10, "shared")).post("/api/v1/llm/authorizations")
                .then().statusCode(201).extract().path("holdId");
        String holdB = Api.as(b).body(Api.authorization("gpt-4o", 10, 10, "shared")).post("/api/v1/llm/authorizations")
                .then().statusCode(201).extract().path("holdId");

        assertThat(holdA).isNotEqualTo(holdB);
    }

    @Test
    void everyTenantTableIsUnderForcedRowLevelSecurity() throws Exception {
        String url = ConfigProvider.getConfig().getValue(PostgresTestResource.JDBC_URL_KEY, String.class);
        try (Connection owner = DriverManager.getConnection(url, DatabaseBootstrap.OWNER_ROLE,
                PostgresServer.OWNER_PASSWORD);
                ResultSet rows = owner.createStatement().executeQuery(
                        "SELECT count(*) FROM cs_unprotected_tenant_tables")) {
            rows.next();
            assertThat(rows.getLong(1)).isZero();
        }
    }

    @Test
    void everySystemTaskTheServiceNamesHasAGrant() throws Exception {
        Set<String> named = SystemTaskNames.in(Path.of("src/main/java"));
        assertThat(named).as("read from the code").contains("hold-reaper", "ledger-check");
        String url = ConfigProvider.getConfig().getValue(PostgresTestResource.JDBC_URL_KEY, String.class);
        Set<String> granted = new TreeSet<>();
        try (Connection owner = DriverManager.getConnection(url, DatabaseBootstrap.OWNER_ROLE,
                PostgresServer.OWNER_PASSWORD);
                ResultSet rows = owner.createStatement().executeQuery(
                        "SELECT DISTINCT task FROM cs_system_task_grants")) {
            while (rows.next()) {
                granted.add(rows.getString(1));
            }
        }
        assertThat(granted).containsAll(named);
    }

    @Test
    void everyKeyOfATenantTableLeadsWithTheTenant() throws Exception {
        String url = ConfigProvider.getConfig().getValue(PostgresTestResource.JDBC_URL_KEY, String.class);
        try (Connection owner = DriverManager.getConnection(url, DatabaseBootstrap.OWNER_ROLE,
                PostgresServer.OWNER_PASSWORD);
                ResultSet rows = owner.createStatement().executeQuery(
                        "SELECT string_agg(key_name::text, ', ') FROM cs_tenant_keys_not_tenant_first")) {
            rows.next();
            assertThat(rows.getString(1)).as("keys that do not lead with tenant_id").isNull();
        }
    }
}
