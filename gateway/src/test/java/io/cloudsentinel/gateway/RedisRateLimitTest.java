package io.cloudsentinel.gateway;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashMap;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.Test;

import io.cloudsentinel.platform.tenant.TenantContext;
import io.cloudsentinel.platform.tenant.TenantId;
import io.cloudsentinel.testing.RedisTestServer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;

/** With the Redis store, what another replica took from a tenant's bucket counts at this gateway too. */
@QuarkusTest
@WithTestResource(EdgeTestResource.class)
@TestProfile(RedisRateLimitTest.SharedBuckets.class)
class RedisRateLimitTest {

    public static class SharedBuckets implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return settings();
        }
    }

    static Map<String, String> settings() {
        Map<String, String> settings = new HashMap<>();
        settings.put("cs.gateway.rate-limits.default.per-second", "1");
        settings.put("cs.gateway.rate-limits.default.burst", "100");
        settings.put("cs.gateway.rate-limit-store.kind", "redis");
        settings.put("cs.gateway.rate-limit-store.redis-url", RedisTestServer.shared().url());
        return settings;
    }

    @Test
    void whatAnotherReplicaTookFromATenantCountsHere() {
        TenantId tenant = TenantId.random();
        RateLimits otherReplica = new RateLimits(RateLimitKeysTest.config(settings()), new SimpleMeterRegistry());
        try {
            for (int i = 0; i < 50; i++) {
                assertThat(RateLimitKeysTest.take(otherReplica, new TenantContext(tenant, "u", Set.of("tenant-user")))
                        .allowed()).isTrue();
            }
        } finally {
            otherReplica.close();
        }

        String remaining = given().auth().oauth2(Tokens.of(tenant, "tenant-admin")).when().get("/api/v1/budgets/me")
                .then().statusCode(200).extract().header("RateLimit-Remaining");

        // 100 - 50 - 1 = 49, plus one token per second that passed meanwhile (a replica of its own would say 99)
        assertThat(Long.parseLong(remaining)).isBetween(49L, 55L);
    }
}
