package io.cloudsentinel.budget;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import io.cloudsentinel.platform.tenant.TenantId;
import io.cloudsentinel.testing.KafkaTestResource;
import io.cloudsentinel.testing.PostgresTestResource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;

/** A new month or day in the tenant's zone starts new counters, with no batch job. */
@QuarkusTest
@WithTestResource(PostgresTestResource.class)
@WithTestResource(KafkaTestResource.class)
class PeriodRolloverTest {

    private final TenantId tenant = TenantId.random();

    @AfterEach
    void resetClock() {
        TestClock.reset();
    }

    @Test
    void midnightInAucklandStartsANewMonthAndDayWhileUtcIsStillOnThe30th() {
        Api.budget(tenant, "{\"monthlyLimitMicros\": 10000, \"dailyLimitMicros\": 8000,"
                + " \"timeZone\": \"Pacific/Auckland\"}");
        // 2026-11-30T10:30Z is 23:30 on 30 November in Auckland (NZDT, UTC+13)
        TestClock.shiftTo(Instant.parse("2026-11-30T10:30:00Z"));
        authorize("k1", 201);
        JsonPath november = budget();
        assertThat(november.getString("windows[0].periodStart")).isEqualTo("2026-11-01");
        assertThat(november.getString("windows[1].periodStart")).isEqualTo("2026-11-30");
        assertThat(november.getString("resetAt")).isEqualTo("2026-11-30T11:00:00Z");
        authorize("k2", 402); // the day has 500 left

        TestClock.shiftBy(Duration.ofHours(1)); // 00:30 on 1 December in Auckland, still 30 November in UTC
        JsonPath december = budget();
        assertThat(december.getString("windows[0].periodStart")).isEqualTo("2026-12-01");
        assertThat(december.getString("windows[1].periodStart")).isEqualTo("2026-12-01");
        assertThat(december.getLong("reservedMicros")).isZero();
        assertThat(december.getString("resetAt")).isEqualTo("2026-12-31T11:00:00Z");
        authorize("k3", 201);
        assertThat(budget().getLong("reservedMicros")).isEqualTo(7_500);
    }

    private void authorize(String key, int status) {
        Api.as(tenant).body(Api.authorization("gpt-4o", 1000, 500, key)).post("/api/v1/llm/authorizations")
                .then().statusCode(status);
    }

    private JsonPath budget() {
        return Api.as(tenant).get("/api/v1/budgets/me").then().statusCode(200).extract().jsonPath();
    }
}
