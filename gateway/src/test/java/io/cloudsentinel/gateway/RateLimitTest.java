package io.cloudsentinel.gateway;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.notNullValue;

import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.Test;

import io.cloudsentinel.platform.problem.Problem;
import io.cloudsentinel.platform.tenant.TenantId;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.smallrye.jwt.build.Jwt;

/** A tenant above its rate gets 429 with the headers, other tenants do not, and it recovers after the reset. */
@QuarkusTest
@WithTestResource(EdgeTestResource.class)
@TestProfile(RateLimitTest.TinyLimits.class)
class RateLimitTest {

    public static class TinyLimits implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("cs.gateway.rate-limits.default.per-second", "1", "cs.gateway.rate-limits.default.burst",
                    "3");
        }
    }

    @Test
    void aTenantAboveItsRateIsLimitedThenRecovers() throws InterruptedException {
        String token = token(TenantId.random());
        for (int i = 0; i < 3; i++) {
            given().auth().oauth2(token).when().get("/api/v1/budgets/me").then().statusCode(200)
                    .header("RateLimit-Limit", equalTo("3"))
                    .header("RateLimit-Remaining", equalTo(Integer.toString(2 - i)));
        }

        given().auth().oauth2(token).when().get("/api/v1/budgets/me")
                .then().statusCode(429).contentType(Problem.MEDIA_TYPE)
                .header("Retry-After", notNullValue())
                .header("RateLimit-Limit", equalTo("3"))
                .header("RateLimit-Remaining", equalTo("0"))
                .header("RateLimit-Reset", notNullValue())
                .body("type", equalTo("https://cloudsentinel.dev/problems/rate-limited"));
        given().auth().oauth2(token(TenantId.random())).when().get("/api/v1/budgets/me").then().statusCode(200);

        Thread.sleep(1_100);
        given().auth().oauth2(token).when().get("/api/v1/budgets/me").then().statusCode(200);
    }

    private static String token(TenantId tenant) {
        return Jwt.issuer("https://auth.cloudsentinel.dev").audience("cloudsentinel-api").subject("carol")
                .claim("tenant_id", tenant.toString()).groups(Set.of("tenant-user")).jws().sign();
    }
}
