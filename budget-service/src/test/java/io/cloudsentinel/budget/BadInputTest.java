package io.cloudsentinel.budget;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.ZoneId;
import java.util.HashSet;
import java.util.Set;

import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import io.cloudsentinel.bootstrap.DatabaseBootstrap;
import io.cloudsentinel.platform.problem.Problem;
import io.cloudsentinel.platform.tenant.TenantId;
import io.cloudsentinel.testing.KafkaTestResource;
import io.cloudsentinel.testing.PostgresServer;
import io.cloudsentinel.testing.PostgresTestResource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;

/** Bad input gets a 4xx problem+json that says what is wrong, and nothing is written. */
@QuarkusTest
@WithTestResource(PostgresTestResource.class)
@WithTestResource(KafkaTestResource.class)
class BadInputTest {

    private final TenantId tenant = TenantId.random();

    @BeforeEach
    void budget() {
        Api.budget(tenant, "{\"monthlyLimitMicros\": 1000000}");
    }

    @AfterEach
    void nothingWasWritten() {
        Api.as(tenant).get("/api/v1/budgets/me").then().statusCode(200).body("reservedMicros", equalTo(0));
        Api.as(tenant).get("/api/v1/budgets/me/ledger").then().statusCode(200).body("entries", empty());
    }

    @ParameterizedTest
    @ValueSource(longs = { -1, 0, 2_000_001, Long.MAX_VALUE })
    void anInputTokenCountOutOfRangeIs400(long tokens) {
        Api.as(tenant).body(Api.authorization("gpt-4o", tokens, 10, "k")).post("/api/v1/llm/authorizations")
                .then().statusCode(400).contentType(Problem.MEDIA_TYPE)
                .body("violations.field", hasItem("inputTokens"));
    }

    @ParameterizedTest
    @ValueSource(longs = { -5, 0, 1_000_001 })
    void aMaxOutputTokenCountOutOfRangeIs400(long tokens) {
        Api.as(tenant).body(Api.authorization("gpt-4o", 10, tokens, "k")).post("/api/v1/llm/authorizations")
                .then().statusCode(400).contentType(Problem.MEDIA_TYPE)
                .body("violations.field", hasItem("maxOutputTokens"));
    }

    @Test
    void missingFieldsAre400NamingThem() {
        Api.as(tenant).body("{\"model\": \"gpt-4o\"}").post("/api/v1/llm/authorizations")
                .then().statusCode(400).contentType(Problem.MEDIA_TYPE)
                .body("violations.field", hasItem("idempotencyKey"))
                .body("violations.field", hasItem("inputTokens"));
    }

    @Test
    void anUnknownModelIs422NamingIt() {
        Api.as(tenant).body(Api.authorization("gpt-17-ultra", 10, 10, "k")).post("/api/v1/llm/authorizations")
                .then().statusCode(422).contentType(Problem.MEDIA_TYPE)
                .body("type", equalTo("https://cloudsentinel.dev/problems/unknown-model"))
                .body("model", equalTo("gpt-17-ultra"))
                .body("knownModels", hasItem("gpt-4o"));
    }

    @Test
    void malformedJsonIs400() {
        Api.as(tenant).body("{\"model\": \"gpt-4o\", ").post("/api/v1/llm/authorizations")
                .then().statusCode(400).contentType(Problem.MEDIA_TYPE)
                .body("type", equalTo("https://cloudsentinel.dev/problems/malformed-request"));
    }

    @Test
    void aStringWhereANumberBelongsIs400() {
        Api.as(tenant).body("{\"model\":\"gpt-4o\",\"inputTokens\":\"many\",\"maxOutputTokens\":1,\"idempotencyKey\":\"k\"}")
                .post("/api/v1/llm/authorizations")
                .then().statusCode(400).contentType(Problem.MEDIA_TYPE);
    }

    @Test
    void aWrongContentTypeIs415() {
        Api.as(tenant).contentType(ContentType.TEXT).body("model=gpt-4o").post("/api/v1/llm/authorizations")
                .then().statusCode(415).contentType(Problem.MEDIA_TYPE);
    }

    @Test
    void negativeSettlementTokensAre400AndSettleNothing() {
        TenantId other = TenantId.random();
        Api.budget(other, "{\"monthlyLimitMicros\": 1000000}");
        String holdId = Api.as(other).body(Api.authorization("gpt-4o", 1000, 500, "k"))
                .post("/api/v1/llm/authorizations").then().statusCode(201).extract().path("holdId");

        Api.as(other).body("{\"inputTokens\": -1, \"outputTokens\": 3}")
                .post("/api/v1/llm/authorizations/" + holdId + "/settle")
                .then().statusCode(400).contentType(Problem.MEDIA_TYPE).body("violations.field", hasItem("inputTokens"));

        Api.as(other).get("/api/v1/budgets/me").then().body("reservedMicros", equalTo(7500)).body("spentMicros",
                equalTo(0));
        Api.as(other).get("/api/v1/budgets/me/ledger").then().body("entries.type", equalTo(java.util.List.of("HOLD")));
    }

    @Test
    void aBadTimeZoneOrLimitIs400AndChangesNothing() {
        Api.as(tenant, "tenant-admin").body("{\"monthlyLimitMicros\": 5, \"timeZone\": \"Mars/Olympus\"}")
                .put("/api/v1/budgets/me")
                .then().statusCode(400).contentType(Problem.MEDIA_TYPE).body("violations.field", hasItem("timeZone"));
        // Java reads a bare offset one way and PostgreSQL (POSIX) the other: only region ids are accepted.
        Api.as(tenant, "tenant-admin").body("{\"monthlyLimitMicros\": 5, \"timeZone\": \"+05:00\"}")
                .put("/api/v1/budgets/me")
                .then().statusCode(400).contentType(Problem.MEDIA_TYPE).body("violations.field", hasItem("timeZone"));
        Api.as(tenant, "tenant-admin").body("{\"monthlyLimitMicros\": -5}")
                .put("/api/v1/budgets/me")
                .then().statusCode(400).contentType(Problem.MEDIA_TYPE);
        Api.as(tenant).get("/api/v1/budgets/me").then().body("monthlyLimitMicros", equalTo(1000000));
    }

    @Test
    void aTimeZoneJavaKnowsAndPostgresqlDoesNotIs400AndChangesNothing() throws SQLException {
        String zone = zoneOnlyJavaKnows();

        Api.as(tenant, "tenant-admin").body("{\"monthlyLimitMicros\": 5, \"timeZone\": \"" + zone + "\"}")
                .put("/api/v1/budgets/me")
                .then().statusCode(400).contentType(Problem.MEDIA_TYPE)
                .body("violations.field", hasItem("timeZone"));

        Api.as(tenant).get("/api/v1/budgets/me").then().body("monthlyLimitMicros", equalTo(1000000))
                .body("timeZone", equalTo("UTC"));
    }

    /** A region id of Java's tz database that the test server's PostgreSQL lacks (the SystemV zones, on Debian). */
    private static String zoneOnlyJavaKnows() throws SQLException {
        String url = ConfigProvider.getConfig().getValue(PostgresTestResource.JDBC_URL_KEY, String.class);
        Set<String> postgres = new HashSet<>();
        try (Connection app = DriverManager.getConnection(url, DatabaseBootstrap.APP_ROLE, PostgresServer.APP_PASSWORD);
                ResultSet names = app.createStatement().executeQuery("SELECT name FROM pg_timezone_names")) {
            while (names.next()) {
                postgres.add(names.getString(1));
            }
        }
        assertThat(postgres).contains("UTC", "Pacific/Auckland");
        return ZoneId.getAvailableZoneIds().stream().filter(zone -> !postgres.contains(zone)).sorted().findFirst()
                .orElseThrow(() -> new AssertionError("PostgreSQL knows every zone Java knows: no zone to test with"));
    }
}
