package io.cloudsentinel.gateway;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import io.cloudsentinel.platform.tenant.TenantId;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;

/** With the broker unreachable, requests keep flowing and the activity events that cannot go are counted. */
@QuarkusTest
@WithTestResource(BrokerDownTestResource.class)
class BrokerDownTest {

    @Inject
    MeterRegistry registry;

    @Test
    void requestsFlowAndDroppedEventsAreCounted() throws InterruptedException {
        for (int i = 0; i < 30; i++) {
            given().auth().oauth2(Tokens.of(TenantId.random())).get("/api/v1/budgets/me").then().statusCode(200);
        }

        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (dropped() < 1 && System.nanoTime() < deadline) {
            Thread.sleep(100);
        }
        assertThat(dropped()).isGreaterThanOrEqualTo(1);
        assertThat(registry.counter("cs.gateway.activity.sent").count()).isZero();
    }

    private double dropped() {
        return registry.counter("cs.gateway.activity.dropped").count();
    }
}
