package io.cloudsentinel.platform.context;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsInAnyOrder;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.startsWith;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import org.junit.jupiter.api.Test;

import io.cloudsentinel.platform.problem.Problem;
import io.cloudsentinel.platform.tenant.Roles;
import io.cloudsentinel.platform.tenant.TenantContext;
import io.cloudsentinel.platform.tenant.TenantId;
import io.cloudsentinel.testing.ContextTestKeys;
import io.cloudsentinel.testing.PostgresTestResource;
import io.cloudsentinel.testing.SignedCalls;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.ValidatableResponse;

/**
 * Services accept only a context signed by a trusted key for this service, this method, this target and this body;
 * everything else is 401 problem+json.
 */
@QuarkusTest
@WithTestResource(PostgresTestResource.class)
class SignedContextTest {

    private static final String CONTEXT = "/probe/context";
    private static final SignedCalls GATEWAY = SignedCalls.asGateway("probe");
    private static final SignedContextCodec GATEWAY_CODEC = new SignedContextCodec(
            ContextConfigs.signer(ContextTestKeys.GATEWAY_PRIVATE));

    private final TenantContext alice = new TenantContext(TenantId.random(), "alice",
            Set.of(Roles.TENANT_USER, Roles.TENANT_ADMIN));

    @Test
    void aValidContextReachesTheResource() {
        given().filter(GATEWAY.filter(alice))
                .when().get(CONTEXT)
                .then().statusCode(200)
                .body("tenant", equalTo(alice.tenant().toString()))
                .body("user", equalTo("alice"))
                .body("roles", containsInAnyOrder(Roles.TENANT_ADMIN, Roles.TENANT_USER));
    }

    @Test
    void aContextSignedWithAGatewayKeyBeingRotatedOutIsStillAccepted() {
        given().filter(new SignedCalls(ContextTestKeys.PREVIOUS_GATEWAY_PRIVATE, "probe").filter(alice))
                .when().get(CONTEXT)
                .then().statusCode(200);
    }

    @Test
    void noContextIs401() {
        rejected(Map.of()).body("detail", equalTo("the request carries no signed tenant context"));
    }

    @Test
    void aTamperedTenantIs401() {
        Map<String, String> headers = new HashMap<>(forContext(alice));
        headers.put(ContextHeaders.TENANT, TenantId.random().toString());

        rejected(headers).body("detail", equalTo("the signature of the tenant context does not match this request"));
    }

    @Test
    void aTamperedRoleListIs401() {
        Map<String, String> headers = new HashMap<>(forContext(alice));
        headers.put(ContextHeaders.ROLES, Roles.PLATFORM_ADMIN);

        rejected(headers).body("detail", equalTo("the signature of the tenant context does not match this request"));
    }

    @Test
    void aContextSignedForAnotherServiceIs401() {
        rejected(SignedCalls.asGateway("budget-service").headers(alice, "GET", CONTEXT, (byte[]) null))
                .body("detail", equalTo("the signature of the tenant context does not match this request"));
    }

    @Test
    void aContextSignedForAnotherMethodIs401() {
        rejected(GATEWAY.headers(alice, "DELETE", CONTEXT, (byte[]) null))
                .body("detail", equalTo("the signature of the tenant context does not match this request"));
    }

    @Test
    void aContextSignedForAnotherPathOrQueryIs401() {
        rejected(GATEWAY.headers(alice, "GET", "/probe/log-context", (byte[]) null));
        rejected(GATEWAY.headers(alice, "GET", CONTEXT + "?as=admin", (byte[]) null));
    }

    @Test
    void aBodyOtherThanTheSignedOneIs401AndTheResourceDoesNotRun() {
        Map<String, String> headers = GATEWAY.headers(alice, "POST", "/probe/notes", "{\"body\": \"signed\"}");

        given().headers(headers).contentType(ContentType.JSON).body("{\"body\": \"swapped\"}")
                .when().post("/probe/notes")
                .then().statusCode(401).contentType(Problem.MEDIA_TYPE)
                .body("detail", equalTo("the request body does not match its signed Content-Digest"));
        given().filter(GATEWAY.filter(alice)).when().get("/probe/notes").then().statusCode(200).body("$", hasSize(0));
    }

    @Test
    void aBodyWhoseContextCoversNoBodyIs401() {
        Map<String, String> headers = GATEWAY.headers(alice, "POST", "/probe/notes", (byte[]) null);

        given().headers(headers).contentType(ContentType.JSON).body("{\"body\": \"unsigned\"}")
                .when().post("/probe/notes")
                .then().statusCode(401)
                .body("detail", equalTo("a request body must be covered by a signed Content-Digest"));
    }

    @Test
    void theSignedBodyReachesTheResource() {
        given().filter(GATEWAY.filter(alice)).contentType(ContentType.JSON).body("{\"body\": \"signed\"}")
                .when().post("/probe/notes")
                .then().statusCode(200).body("body", equalTo("signed"));
    }

    @Test
    void anExpiredContextIs401() {
        rejected(GATEWAY_CODEC.sign(alice, get(CONTEXT), Instant.now().minusSeconds(30)))
                .body("detail", equalTo("the signed tenant context has expired"));
    }

    @Test
    void aContextThatClaimsToLiveLongerThanFifteenSecondsAndTheSkewIs401() {
        rejected(GATEWAY_CODEC.sign(alice, get(CONTEXT), Instant.now().plus(Duration.ofSeconds(25))))
                .body("detail", equalTo("the signed tenant context claims a lifetime longer than allowed"));
    }

    @Test
    void aContextSignedWithAnUntrustedKeyIs401() {
        rejected(new SignedCalls(ContextTestKeys.UNTRUSTED_PRIVATE, "probe").headers(alice, "GET", CONTEXT,
                (byte[]) null)).body("detail", equalTo("the signature of the tenant context does not match this request"));
    }

    @Test
    void anUntrustedKeyPresentingATrustedKeyIdIs401() {
        Map<String, String> headers = new HashMap<>(new SignedCalls(ContextTestKeys.UNTRUSTED_PRIVATE, "probe")
                .headers(alice, "GET", CONTEXT, (byte[]) null));
        headers.put(ContextHeaders.KEY_ID, "test-gateway");

        rejected(headers).body("detail", equalTo("the signature of the tenant context does not match this request"));
    }

    @Test
    void theHmacContextOfTheFirstVersionNoLongerVerifies() throws Exception {
        long expires = Instant.now().plusSeconds(5).getEpochSecond();
        String canonical = "cs-context-v1\n" + alice.tenant() + "\nalice\ntenant-admin,tenant-user\n" + expires;
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec("test-only-context-secret-0123456789abcdef".getBytes(StandardCharsets.UTF_8),
                "HmacSHA256"));
        String v1 = "v1=" + Base64.getUrlEncoder().withoutPadding()
                .encodeToString(mac.doFinal(canonical.getBytes(StandardCharsets.UTF_8)));
        Map<String, String> headers = Map.of(ContextHeaders.TENANT, alice.tenant().toString(), ContextHeaders.USER,
                "alice", ContextHeaders.ROLES, "tenant-admin,tenant-user", ContextHeaders.EXPIRES,
                Long.toString(expires), ContextHeaders.SIGNATURE, v1);

        rejected(headers).body("detail", equalTo("the signed tenant context is incomplete"));
        Map<String, String> withKeyId = new HashMap<>(headers);
        withKeyId.put(ContextHeaders.KEY_ID, "test-gateway");
        rejected(withKeyId).body("detail", equalTo("the signature of the tenant context does not match this request"));
    }

    @Test
    void aServiceKeyActsForOneTenantWithTheServiceRole() {
        SignedContextCodec service = new SignedContextCodec(ContextConfigs.signer(ContextTestKeys.SERVICE_PRIVATE));

        given().headers(service.signAsService(alice.tenant(), get(CONTEXT)))
                .when().get(CONTEXT)
                .then().statusCode(200)
                .body("tenant", equalTo(alice.tenant().toString()))
                .body("roles", containsInAnyOrder(Roles.SERVICE));
    }

    @Test
    void aContextSignedByAServiceKeyCannotCarryTenantOrAdminRoles() {
        SignedCalls service = new SignedCalls(ContextTestKeys.SERVICE_PRIVATE, "probe");
        for (String role : Set.of(Roles.TENANT_ADMIN, Roles.PLATFORM_ADMIN, Roles.TENANT_USER)) {
            rejected(service.headers(new TenantContext(alice.tenant(), "job-service", Set.of(Roles.SERVICE, role)),
                    "GET", CONTEXT, (byte[]) null))
                    .body("detail", equalTo("a context signed by a service carries the service role only"));
        }
    }

    @Test
    void theGatewayKeyCannotGrantTheServiceRole() {
        rejected(GATEWAY.headers(new TenantContext(alice.tenant(), "mallory", Set.of(Roles.SERVICE)), "GET", CONTEXT,
                (byte[]) null)).body("detail", equalTo("the service role comes from a service's key only"));
    }

    @Test
    void anIncompleteContextIs401() {
        Map<String, String> headers = new HashMap<>(forContext(alice));
        headers.remove(ContextHeaders.SIGNATURE);

        rejected(headers).body("detail", equalTo("the signed tenant context is incomplete"));
    }

    private static SignedRequest get(String target) {
        return SignedRequest.of("probe", "GET", target);
    }

    private static Map<String, String> forContext(TenantContext context) {
        return GATEWAY.headers(context, "GET", CONTEXT, (byte[]) null);
    }

    private static ValidatableResponse rejected(Map<String, String> headers) {
        return given().headers(headers)
                .when().get(CONTEXT)
                .then().statusCode(401)
                .contentType(Problem.MEDIA_TYPE)
                .header("WWW-Authenticate", "CS-Context")
                .body("type", startsWith("https://cloudsentinel.dev/problems/context-invalid"))
                .body("status", equalTo(401));
    }
}
