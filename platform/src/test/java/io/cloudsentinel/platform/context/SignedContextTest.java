package io.cloudsentinel.platform.context;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsInAnyOrder;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.startsWith;

import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import io.cloudsentinel.platform.problem.Problem;
import io.cloudsentinel.platform.tenant.Roles;
import io.cloudsentinel.platform.tenant.TenantContext;
import io.cloudsentinel.platform.tenant.TenantId;
import io.cloudsentinel.testing.PostgresTestResource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.ValidatableResponse;

/** Services accept only a validly signed context; everything else is 401 problem+json. */
@QuarkusTest
@WithTestResource(PostgresTestResource.class)
class SignedContextTest {

    @Inject
    SignedContextCodec codec;

    private final TenantContext alice = new TenantContext(TenantId.random(), "alice",
            Set.of(Roles.TENANT_USER, Roles.TENANT_ADMIN));

    @Test
    void aValidContextReachesTheResource() {
        given().headers(codec.sign(alice))
                .when().get("/probe/context")
                .then().statusCode(200)
                .body("tenant", equalTo(alice.tenant().toString()))
                .body("user", equalTo("alice"))
                .body("roles", containsInAnyOrder(Roles.TENANT_ADMIN, Roles.TENANT_USER));
    }

    @Test
    void aContextSignedWithASecretBeingRotatedOutIsStillAccepted() {
        given().headers(codecWith("test-only-previous-context-secret-0123456789").sign(alice))
                .when().get("/probe/context")
                .then().statusCode(200);
    }

    @Test
    void noContextIs401() {
        rejected(Map.of()).body("detail", equalTo("the request carries no signed tenant context"));
    }

    @Test
    void aTamperedTenantIs401() {
        Map<String, String> headers = new HashMap<>(codec.sign(alice));
        headers.put(ContextHeaders.TENANT, TenantId.random().toString());

        rejected(headers).body("detail", equalTo("the signature of the tenant context does not match"));
    }

    @Test
    void aTamperedRoleListIs401() {
        Map<String, String> headers = new HashMap<>(codec.sign(alice));
        headers.put(ContextHeaders.ROLES, Roles.PLATFORM_ADMIN);

        rejected(headers).body("detail", equalTo("the signature of the tenant context does not match"));
    }

    @Test
    void anExpiredContextIs401() {
        rejected(codec.sign(alice, Instant.now().minusSeconds(30)))
                .body("detail", equalTo("the signed tenant context has expired"));
    }

    @Test
    void aContextThatClaimsToLiveTooLongIs401() {
        rejected(codec.sign(alice, Instant.now().plus(Duration.ofHours(1))))
                .body("detail", equalTo("the signed tenant context claims a lifetime longer than allowed"));
    }

    @Test
    void aContextSignedWithAnotherSecretIs401() {
        rejected(codecWith("an-attackers-secret-that-is-long-enough-0000").sign(alice))
                .body("detail", equalTo("the signature of the tenant context does not match"));
    }

    @Test
    void anIncompleteContextIs401() {
        Map<String, String> headers = new HashMap<>(codec.sign(alice));
        headers.remove(ContextHeaders.SIGNATURE);

        rejected(headers).body("detail", equalTo("the signed tenant context is incomplete"));
    }

    private static ValidatableResponse rejected(Map<String, String> headers) {
        return given().headers(headers)
                .when().get("/probe/context")
                .then().statusCode(401)
                .contentType(Problem.MEDIA_TYPE)
                .header("WWW-Authenticate", "CS-Context")
                .body("type", startsWith("https://cloudsentinel.dev/problems/context-invalid"))
                .body("status", equalTo(401));
    }

    private static SignedContextCodec codecWith(String secret) {
        return new SignedContextCodec(ContextConfigs.fixed(secret));
    }
}
