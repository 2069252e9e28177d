package io.cloudsentinel.budget;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

import java.time.Duration;
import java.util.UUID;

import jakarta.inject.Inject;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import io.cloudsentinel.budget.service.HoldReaper;
import io.cloudsentinel.platform.problem.Problem;
import io.cloudsentinel.platform.tenant.Roles;
import io.cloudsentinel.platform.tenant.TenantId;
import io.cloudsentinel.testing.KafkaTestResource;
import io.cloudsentinel.testing.PostgresTestResource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;

/** Authorize, settle, release and expiry, and what each does to the counters. */
@QuarkusTest
@WithTestResource(PostgresTestResource.class)
@WithTestResource(KafkaTestResource.class)
class AuthorizationFlowTest {

    @Inject
    HoldReaper reaper;

    private final TenantId tenant = TenantId.random();

    @AfterEach
    void resetClock() {
        TestClock.reset();
    }

    @Test
    void anAuthorizationReservesTheWorstCaseAtTheCatalogPrice() {
        Api.budget(tenant, "{\"monthlyLimitMicros\": 1000000}");

        // gpt-4o: 1,000 input x 2.5 USD/M + 500 output x 10 USD/M = 2,500 + 5,000 micro-USD
        JsonPath hold = authorize("gpt-4o", 1000, 500, "k1", 201);

        assertThat(hold.getLong("estimateMicros")).isEqualTo(7_500);
        assertThat(hold.getInt("priceVersion")).isEqualTo(1);
        assertThat(budget().getLong("reservedMicros")).isEqualTo(7_500);
        assertThat(budget().getLong("remainingMicros")).isEqualTo(1_000_000 - 7_500);
    }

    @Test
    void settlingChargesTheRealCostOnceAndFreesTheRest() {
        Api.budget(tenant, "{\"monthlyLimitMicros\": 1000000}");
        String holdId = authorize("gpt-4o", 1000, 500, "k1", 201).getString("holdId");

        JsonPath first = settle(holdId, 800, 300, 200); // 2,000 + 3,000
        JsonPath repeat = settle(holdId, 5000, 5000, 200);

        assertThat(first.getLong("costMicros")).isEqualTo(5_000);
        assertThat(repeat.getLong("costMicros")).isEqualTo(5_000);
        assertThat(budget().getLong("spentMicros")).isEqualTo(5_000);
        assertThat(budget().getLong("reservedMicros")).isZero();
        Api.as(tenant).when().delete("/api/v1/llm/authorizations/" + holdId)
                .then().statusCode(409).contentType(Problem.MEDIA_TYPE);
    }

    @Test
    void aCostAboveTheEstimateIsChargedInFull() {
        Api.budget(tenant, "{\"monthlyLimitMicros\": 1000000}");
        String holdId = authorize("gpt-4o-mini", 100, 100, "k1", 201).getString("holdId");

        settle(holdId, 10_000, 20_000, 200); // 1,500 + 12,000

        assertThat(budget().getLong("spentMicros")).isEqualTo(13_500);
        assertThat(budget().getLong("reservedMicros")).isZero();
    }

    @Test
    void releasingFreesTheReservationAndIsIdempotent() {
        Api.budget(tenant, "{\"monthlyLimitMicros\": 1000000}");
        String holdId = authorize("gpt-4o", 1000, 500, "k1", 201).getString("holdId");

        for (int i = 0; i < 3; i++) {
            Api.as(tenant).when().delete("/api/v1/llm/authorizations/" + holdId).then().statusCode(204);
        }

        assertThat(budget().getLong("reservedMicros")).isZero();
        assertThat(budget().getLong("spentMicros")).isZero();
    }

    @Test
    void anExpiredHoldIsFreedByTheReaperAndALateSettleIsStillCharged() {
        Api.budget(tenant, "{\"monthlyLimitMicros\": 1000000}");
        TestClock.shiftBy(Duration.ofMinutes(-30)); // the hold's 10 minutes are over by the database's clock
        String holdId = authorize("gpt-4o", 1000, 500, "k1", 201).getString("holdId");
        TestClock.reset();

        long expired = io.cloudsentinel.testing.Reactive.await(() -> reaper.expireDue());

        assertThat(expired).isGreaterThanOrEqualTo(1);
        assertThat(budget().getLong("reservedMicros")).isZero();
        settle(holdId, 1000, 500, 200);
        assertThat(budget().getLong("spentMicros")).isEqualTo(7_500);
        assertThat(budget().getLong("reservedMicros")).isZero();
    }

    @Test
    void overTheLimitInHardModeIs402WithTheReasons() {
        Api.budget(tenant, "{\"monthlyLimitMicros\": 10000, \"mode\": \"HARD\"}");
        authorize("gpt-4o", 1000, 500, "k1", 201);

        Api.as(tenant).body(Api.authorization("gpt-4o", 1000, 500, "k2"))
                .when().post("/api/v1/llm/authorizations")
                .then().statusCode(402)
                .contentType(Problem.MEDIA_TYPE)
                .header("Retry-After", org.hamcrest.Matchers.notNullValue())
                .body("type", equalTo("https://cloudsentinel.dev/problems/budget-exceeded"))
                .body("window", equalTo("MONTH"))
                .body("limitMicros", equalTo(10000))
                .body("spentMicros", equalTo(0))
                .body("reservedMicros", equalTo(7500))
                .body("requestedMicros", equalTo(7500))
                .body("remainingMicros", equalTo(2500))
                .body("resetAt", org.hamcrest.Matchers.notNullValue());
        assertThat(budget().getLong("reservedMicros")).isEqualTo(7_500);
    }

    @Test
    void theDailyLimitBlocksWhenTheMonthHasRoom() {
        Api.budget(tenant, "{\"monthlyLimitMicros\": 1000000, \"dailyLimitMicros\": 10000}");
        authorize("gpt-4o", 1000, 500, "k1", 201);

        Api.as(tenant).body(Api.authorization("gpt-4o", 1000, 500, "k2"))
                .when().post("/api/v1/llm/authorizations")
                .then().statusCode(402).body("window", equalTo("DAY"));
        // all or nothing: the month window did not keep a reservation for the denied call
        assertThat(budget().getLong("reservedMicros")).isEqualTo(7_500);
    }

    @Test
    void softModeAllowsOverTheLimit() {
        Api.budget(tenant, "{\"monthlyLimitMicros\": 10000, \"mode\": \"SOFT\"}");

        authorize("gpt-4o", 1000, 500, "k1", 201);
        authorize("gpt-4o", 1000, 500, "k2", 201);

        assertThat(budget().getLong("reservedMicros")).isEqualTo(15_000);
        assertThat(budget().getLong("remainingMicros")).isZero();
    }

    @Test
    void aTenantWithoutABudgetIsDeniedByDefault() {
        Api.as(tenant).body(Api.authorization("gpt-4o", 10, 10, "k1"))
                .when().post("/api/v1/llm/authorizations")
                .then().statusCode(402).body("limitMicros", equalTo(0));
    }

    @Test
    void onlyAdminsMaySetTheBudget() {
        Api.as(tenant, Roles.TENANT_USER).body("{\"monthlyLimitMicros\": 5}")
                .when().put("/api/v1/budgets/me")
                .then().statusCode(403).contentType(Problem.MEDIA_TYPE);
    }

    @Test
    void theLedgerListsEveryChangeNewestFirstInPages() {
        Api.budget(tenant, "{\"monthlyLimitMicros\": 1000000}");
        String holdId = authorize("gpt-4o", 1000, 500, "k1", 201).getString("holdId");
        settle(holdId, 100, 100, 200);

        JsonPath page1 = Api.as(tenant).queryParam("limit", 1).when().get("/api/v1/budgets/me/ledger")
                .then().statusCode(200).extract().jsonPath();
        JsonPath page2 = Api.as(tenant).queryParam("limit", 1).queryParam("cursor", page1.getString("nextCursor"))
                .when().get("/api/v1/budgets/me/ledger").then().statusCode(200).extract().jsonPath();

        assertThat(page1.getString("entries[0].type")).isEqualTo("SETTLE");
        assertThat(page1.getLong("entries[0].reservedDeltaMicros")).isEqualTo(-7_500);
        assertThat(page2.getString("entries[0].type")).isEqualTo("HOLD");
        assertThat(page2.getString("entries[0].holdId")).isEqualTo(holdId);
    }

    @Test
    void theModelsInForceAreListed() {
        Api.as(tenant).when().get("/api/v1/llm/models").then().statusCode(200)
                .body("find { it.model == 'claude-opus' }.outputMicrosPerMillionTokens", equalTo(75000000));
    }

    private JsonPath authorize(String model, long input, long maxOutput, String key, int status) {
        return Api.as(tenant).body(Api.authorization(model, input, maxOutput, key))
                .when().post("/api/v1/llm/authorizations")
                .then().statusCode(status).extract().jsonPath();
    }

    private JsonPath settle(String holdId, long input, long output, int status) {
        return Api.as(tenant).body("{\"inputTokens\":" + input + ",\"outputTokens\":" + output + "}")
                .when().post("/api/v1/llm/authorizations/" + holdId + "/settle")
                .then().statusCode(status).extract().jsonPath();
    }

    private JsonPath budget() {
        return Api.as(tenant).when().get("/api/v1/budgets/me").then().statusCode(200).extract().jsonPath();
    }

    static String uuid() {
        return UUID.randomUUID().toString();
    }
}
