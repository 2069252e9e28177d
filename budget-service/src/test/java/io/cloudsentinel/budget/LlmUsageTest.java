package io.cloudsentinel.budget;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import io.cloudsentinel.platform.problem.Problem;
import io.cloudsentinel.platform.tenant.Roles;
import io.cloudsentinel.platform.tenant.TenantId;
import io.cloudsentinel.testing.KafkaTestResource;
import io.cloudsentinel.testing.PostgresTestResource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;

/** The usage summary sums the tenant's settled holds of the window: per model, per UTC day and in total. */
@QuarkusTest
@WithTestResource(PostgresTestResource.class)
@WithTestResource(KafkaTestResource.class)
class LlmUsageTest {

    private static final String USAGE = "/api/v1/llm/usage";

    private final TenantId tenant = TenantId.random();

    @AfterEach
    void resetClock() {
        TestClock.reset();
    }

    @Test
    void theSummaryIsTheSumOfTheSettledCallsOfTheWindow() {
        Api.budget(tenant, "{\"monthlyLimitMicros\": 100000000}");
        Map<String, long[]> prices = prices();
        // model -> calls, input tokens, output tokens, cost: what the service must sum
        Map<String, long[]> expected = new HashMap<>();
        settle("gpt-4o", 1_234, 567, prices, expected);
        settle("gpt-4o", 10_001, 3, prices, expected);
        settle("gpt-4o-mini", 777, 4_321, prices, expected);
        unsettled("gpt-4o-mini"); // held, and released: neither is a call that cost anything
        Api.as(tenant).delete("/api/v1/llm/authorizations/" + unsettled("gpt-4o")).then().statusCode(204);
        settledElsewhere();

        JsonPath usage = Api.as(tenant).get(USAGE).then().statusCode(200).extract().jsonPath();

        long cost = expected.values().stream().mapToLong(sums -> sums[3]).sum();
        assertThat(usage.getLong("calls")).isEqualTo(3);
        assertThat(usage.getLong("costMicros")).isEqualTo(cost);
        assertThat(usage.getList("byModel.model")).containsExactly("gpt-4o", "gpt-4o-mini");
        for (Map<String, Object> model : usage.<Map<String, Object>> getList("byModel")) {
            long[] sums = expected.get((String) model.get("model"));
            assertThat(List.of(number(model, "calls"), number(model, "inputTokens"), number(model, "outputTokens"),
                    number(model, "costMicros"))).as("%s", model).containsExactly(sums[0], sums[1], sums[2], sums[3]);
        }
        Instant from = Instant.parse(usage.getString("from"));
        Instant to = Instant.parse(usage.getString("to"));
        assertThat(Duration.between(from, to)).isEqualTo(Duration.ofDays(30));
        List<Map<String, Object>> days = usage.getList("byDay");
        assertThat(days.get(0).get("day")).isEqualTo(from.atOffset(ZoneOffset.UTC).toLocalDate().toString());
        assertThat(days).hasSizeBetween(30, 31);
        assertThat(days).filteredOn(day -> number(day, "costMicros") > 0).singleElement()
                .satisfies(day -> assertThat(day).containsEntry("day", today().toString()))
                .satisfies(day -> assertThat(number(day, "costMicros")).isEqualTo(cost));
    }

    @Test
    void aCallSettledBeforeTheWindowCountsOnlyInALongerOne() {
        Api.budget(tenant, "{\"monthlyLimitMicros\": 100000000}");
        Map<String, long[]> prices = prices();
        Map<String, long[]> old = new HashMap<>();
        TestClock.shiftBy(Duration.ofDays(-40));
        settle("gpt-4o", 2_000, 1_000, prices, old);
        LocalDate then = Instant.now().minus(Duration.ofDays(40)).atOffset(ZoneOffset.UTC).toLocalDate();
        TestClock.reset();
        Map<String, long[]> recent = new HashMap<>();
        settle("gpt-4o-mini", 100, 100, prices, recent);

        Api.as(tenant).get(USAGE + "?days=30").then().statusCode(200).body("calls", equalTo(1))
                .body("byModel.model", equalTo(List.of("gpt-4o-mini")));
        JsonPath quarter = Api.as(tenant).get(USAGE + "?days=92").then().statusCode(200).extract().jsonPath();

        assertThat(quarter.getLong("calls")).isEqualTo(2);
        assertThat(quarter.getLong("costMicros")).isEqualTo(old.get("gpt-4o")[3] + recent.get("gpt-4o-mini")[3]);
        assertThat(quarter.<Map<String, Object>> getList("byDay")).filteredOn(day -> day.get("day").equals(
                then.toString())).singleElement().satisfies(day -> assertThat(number(day, "costMicros"))
                        .isEqualTo(old.get("gpt-4o")[3]));
    }

    @Test
    void usageIsReadByTheTenantsUsersAdminsAndServicesOnly() {
        for (String role : List.of(Roles.TENANT_USER, Roles.TENANT_ADMIN, Roles.SERVICE)) {
            Api.as(tenant, role).get(USAGE).then().statusCode(200).body("calls", equalTo(0))
                    .body("costMicros", equalTo(0));
        }
        Api.as(tenant, Roles.PLATFORM_ADMIN).get(USAGE).then().statusCode(403).contentType(Problem.MEDIA_TYPE);
    }

    @ParameterizedTest
    @ValueSource(strings = { "0", "93", "-1", "thirty", "1.5" })
    void aWindowOutside1To92DaysIs400(String days) {
        Api.as(tenant).get(USAGE + "?days=" + days).then().statusCode(400).contentType(Problem.MEDIA_TYPE)
                .body("violations.field", hasItem("days"));
    }

    /** model -> input and output micro-USD per million tokens, from the catalog in force. */
    private Map<String, long[]> prices() {
        Map<String, long[]> prices = new HashMap<>();
        for (Map<String, Object> model : Api.as(tenant).get("/api/v1/llm/models").then().statusCode(200).extract()
                .jsonPath().<Map<String, Object>> getList("")) {
            prices.put((String) model.get("model"), new long[] { number(model, "inputMicrosPerMillionTokens"),
                    number(model, "outputMicrosPerMillionTokens") });
        }
        return prices;
    }

    private void settle(String model, long input, long output, Map<String, long[]> prices,
            Map<String, long[]> expected) {
        String hold = Api.as(tenant).body(Api.authorization(model, input, output, UUID.randomUUID().toString()))
                .post("/api/v1/llm/authorizations").then().statusCode(201).extract().path("holdId");
        Api.as(tenant).body("{\"inputTokens\": " + input + ", \"outputTokens\": " + output + "}")
                .post("/api/v1/llm/authorizations/" + hold + "/settle").then().statusCode(200);
        long[] price = prices.get(model);
        // a call's cost is rounded up to the next micro-USD, as the catalog prices per million tokens
        long cost = Math.floorDiv(input * price[0] + output * price[1] + 999_999, 1_000_000);
        long[] sums = expected.computeIfAbsent(model, ignored -> new long[4]);
        sums[0]++;
        sums[1] += input;
        sums[2] += output;
        sums[3] += cost;
    }

    private String unsettled(String model) {
        return Api.as(tenant).body(Api.authorization(model, 10, 10, UUID.randomUUID().toString()))
                .post("/api/v1/llm/authorizations").then().statusCode(201).extract().path("holdId");
    }

    /** Another tenant's settled call, which this tenant's summary never includes. */
    private static void settledElsewhere() {
        TenantId other = TenantId.random();
        Api.budget(other, "{\"monthlyLimitMicros\": 100000000}");
        String hold = Api.as(other).body(Api.authorization("gpt-4o", 50_000, 50_000, "elsewhere"))
                .post("/api/v1/llm/authorizations").then().statusCode(201).extract().path("holdId");
        Api.as(other).body("{\"inputTokens\": 50000, \"outputTokens\": 50000}")
                .post("/api/v1/llm/authorizations/" + hold + "/settle").then().statusCode(200);
    }

    private static LocalDate today() {
        return Instant.now().atOffset(ZoneOffset.UTC).toLocalDate();
    }

    private static long number(Map<String, Object> json, String member) {
        return ((Number) json.get(member)).longValue();
    }
}
