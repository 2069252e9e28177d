package io.cloudsentinel.gateway;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.notNullValue;

import java.util.Map;

import org.junit.jupiter.api.Test;

import io.cloudsentinel.platform.problem.Problem;
import io.cloudsentinel.platform.tenant.TenantId;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;

/** A client address past its limit is refused before its token is looked at; each address has its own bucket. */
@QuarkusTest
@WithTestResource(EdgeTestResource.class)
@TestProfile(AddressLimitTest.TinyAddressLimit.class)
class AddressLimitTest {

    public static class TinyAddressLimit implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            // the tests' requests come through a "proxy" on loopback that names the client
            return Map.of("cs.gateway.address-limit.per-second", "1", "cs.gateway.address-limit.burst", "3",
                    "cs.gateway.trusted-proxies", "127.0.0.1/32,::1");
        }
    }

    @Test
    void aFloodOfBadTokensFromOneAddressIsRefusedBeforeVerificationAndOthersPass() {
        warmUp();
        for (int i = 0; i < 3; i++) {
            given().header("X-Forwarded-For", "203.0.113.7").auth().oauth2("not-a-token")
                    .when().get("/api/v1/budgets/me").then().statusCode(401);
        }

        given().header("X-Forwarded-For", "203.0.113.7").auth().oauth2(Tokens.of(TenantId.random()))
                .when().get("/api/v1/budgets/me")
                .then().statusCode(429).contentType(Problem.MEDIA_TYPE).header("Retry-After", notNullValue())
                .body("type", equalTo("https://cloudsentinel.dev/problems/rate-limited"));
        given().header("X-Forwarded-For", "203.0.113.8").auth().oauth2(Tokens.of(TenantId.random()))
                .when().get("/api/v1/budgets/me").then().statusCode(200);
    }

    @Test
    void aClientCannotEscapeItsBucketByWritingAnAddressInFrontOfTheProxys() {
        warmUp();
        for (int i = 0; i < 3; i++) {
            given().header("X-Forwarded-For", "198.51.100." + i + ", 203.0.113.9").auth().oauth2("not-a-token")
                    .when().get("/api/v1/budgets/me").then().statusCode(401);
        }

        given().header("X-Forwarded-For", "198.51.100.99, 203.0.113.9").auth().oauth2("not-a-token")
                .when().get("/api/v1/budgets/me").then().statusCode(429);
    }

    /**
     * A fresh application's first requests are slow (class loading, the first meters): the four requests of a test
     * must fit well within the bucket's refill of one a second, so the path is warmed from an address of its own.
     */
    private static void warmUp() {
        for (int i = 0; i < 3; i++) {
            given().header("X-Forwarded-For", "192.0.2.1").auth().oauth2(i == 0 ? "not-a-token" : Tokens.of(TenantId.random()))
                    .when().get("/api/v1/budgets/me");
        }
    }
}
