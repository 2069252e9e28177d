package io.cloudsentinel.gateway;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

import java.nio.charset.StandardCharsets;
import java.security.KeyPairGenerator;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.function.UnaryOperator;

import javax.crypto.spec.SecretKeySpec;

import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.Test;

import io.cloudsentinel.platform.context.ContentDigest;
import io.cloudsentinel.platform.context.ContextConfigs;
import io.cloudsentinel.platform.context.ContextHeaders;
import io.cloudsentinel.platform.context.InvalidContextException;
import io.cloudsentinel.platform.context.SignedContextCodec;
import io.cloudsentinel.platform.problem.Problem;
import io.cloudsentinel.platform.tenant.TenantContext;
import io.cloudsentinel.platform.tenant.TenantId;
import io.cloudsentinel.testing.ContextTestKeys;
import io.cloudsentinel.testing.ManagementInterface;
import io.cloudsentinel.testing.SignedCalls;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.smallrye.jwt.algorithm.SignatureAlgorithm;
import io.smallrye.jwt.build.Jwt;
import io.smallrye.jwt.build.JwtClaimsBuilder;

/** The edge: tokens in, signed tenant context out, nothing a client forges gets through. */
@QuarkusTest
@WithTestResource(EdgeTestResource.class)
class EdgeTest {

    private static final String ISSUER = "https://auth.cloudsentinel.dev";
    private static final String AUDIENCE = "cloudsentinel-api";

    /** budget-service as it verifies what the gateway forwards: the test gateway key, its own audience. */
    private static final SignedContextCodec BUDGET_SERVICE = new SignedContextCodec(ContextConfigs.receiver(
            "budget-service", List.of(ContextTestKeys.GATEWAY_PUBLIC), List.of()));

    private final TenantId tenant = TenantId.random();

    @Test
    void aValidTokenReachesTheServiceWithTheSignedTenantUserAndRoles() {
        JsonPath seen = echo(given().auth().oauth2(token(claims())), "/api/v1/budgets/me");

        Map<String, String> headers = seen.getMap("headers");
        TenantContext context = verify(seen);
        assertThat(context.tenant()).isEqualTo(tenant);
        assertThat(context.userId()).isEqualTo("alice");
        assertThat(context.roles()).containsExactlyInAnyOrder("tenant-admin", "tenant-user");
        assertThat(headers).doesNotContainKey("Authorization").doesNotContainKey("authorization");
        assertThat(headers.get(EdgeRoutes.REQUEST_ID)).isNotBlank();
        assertThat(seen.getString("path")).isEqualTo("/api/v1/budgets/me");
    }

    @Test
    void aTenantsTokenCarryingPlatformAdminReachesTheServiceWithoutIt() {
        JsonPath seen = echo(given().auth().oauth2(token(claims().groups(Set.of("tenant-admin", "platform-admin")))),
                "/api/v1/budgets/me");

        assertThat(verify(seen).roles()).containsExactly("tenant-admin");
    }

    @Test
    void contextHeadersAClientSendsAreIgnored() {
        TenantId victim = TenantId.random();
        Map<String, String> forged = SignedCalls.asGateway("budget-service").headers(new TenantContext(victim,
                "mallory", Set.of("platform-admin")), "GET", "/api/v1/llm/models", (byte[]) null);

        JsonPath seen = echo(given().auth().oauth2(token(claims())).headers(forged)
                .header("x-cs-extra", "smuggled"), "/api/v1/llm/models");

        Map<String, String> headers = seen.getMap("headers");
        assertThat(verify(seen).tenant()).isEqualTo(tenant);
        assertThat(headers.keySet()).noneMatch(name -> name.equalsIgnoreCase("x-cs-extra"));
    }

    @Test
    void aTokenSignedByAnotherKeyIs401() throws Exception {
        var stranger = KeyPairGenerator.getInstance("RSA");
        stranger.initialize(2048);
        String forged = claims().jws().sign(stranger.generateKeyPair().getPrivate());

        unauthenticated(given().auth().oauth2(forged));
    }

    /**
     * The two classic forgeries: a token that says it needs no signature, and one signed with HMAC using the public
     * key as the secret (a verifier that took the algorithm from the token would accept it).
     */
    @Test
    void aTokenWithAlgNoneOrHmacSignedWithThePublicKeyIs401() {
        Base64.Encoder url = Base64.getUrlEncoder().withoutPadding();
        String payload = url.encodeToString(("{\"iss\":\"" + ISSUER + "\",\"aud\":\"" + AUDIENCE
                + "\",\"sub\":\"mallory\",\"tenant_id\":\"" + TenantId.random() + "\",\"groups\":[\"tenant-admin\"],"
                + "\"iat\":" + Instant.now().getEpochSecond() + ",\"exp\":" + Instant.now().plusSeconds(300).getEpochSecond()
                + "}").getBytes(StandardCharsets.UTF_8));
        String unsigned = url.encodeToString("{\"alg\":\"none\",\"typ\":\"JWT\"}".getBytes(StandardCharsets.UTF_8))
                + "." + payload + ".";
        unauthenticated(given().auth().oauth2(unsigned));

        String publicKey = ConfigProvider.getConfig().getValue("mp.jwt.verify.publickey", String.class);
        String hmac = claims().jws().algorithm(SignatureAlgorithm.HS256)
                .sign(new SecretKeySpec(publicKey.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
        unauthenticated(given().auth().oauth2(hmac));
    }

    @Test
    void aWrongIssuerAudienceOrAnExpiredTokenIs401() {
        unauthenticated(given().auth().oauth2(token(claims().issuer("https://evil.example"))));
        unauthenticated(given().auth().oauth2(token(claims().audience("another-api"))));
        unauthenticated(given().auth().oauth2(token(claims().issuedAt(Instant.now().minusSeconds(7200))
                .expiresAt(Instant.now().minusSeconds(3600)))));
        unauthenticated(given());
    }

    @Test
    void aTokenWithoutATenantIs403() {
        given().auth().oauth2(token(Jwt.issuer(ISSUER).audience(AUDIENCE).subject("bob").groups("tenant-user")))
                .when().get("/api/v1/budgets/me")
                .then().statusCode(403).contentType(Problem.MEDIA_TYPE);
    }

    @Test
    void aServiceNotDeployedYetIs503NotFound404() {
        given().auth().oauth2(token(claims())).when().get("/api/v1/jobs/123")
                .then().statusCode(503).contentType(Problem.MEDIA_TYPE)
                .body("type", equalTo("https://cloudsentinel.dev/problems/service-not-deployed"));
    }

    @Test
    void aPrefixOwnsItselfAndWhatIsBelowItNotAPathThatMerelyStartsWithIt() {
        assertThat(echo(given().auth().oauth2(token(claims())), "/api/v1/budgets").getString("path"))
                .isEqualTo("/api/v1/budgets");
        given().auth().oauth2(token(claims())).when().get("/api/v1/budgetsandmore")
                .then().statusCode(404).contentType(Problem.MEDIA_TYPE);
    }

    @Test
    void anUnreachableServiceIs503ProblemJson() {
        given().auth().oauth2(token(claims())).when().get("/api/v1/crypto/keys")
                .then().statusCode(503).contentType(Problem.MEDIA_TYPE)
                .body("type", equalTo("https://cloudsentinel.dev/problems/upstream-unavailable"));
    }

    @Test
    void theAnswerCarriesTheRequestIdTheServiceSaw() {
        var response = given().auth().oauth2(token(claims())).header(EdgeRoutes.REQUEST_ID, "req-42")
                .when().get("/api/v1/budgets/me").then().statusCode(200).extract();

        assertThat(response.header(EdgeRoutes.REQUEST_ID)).isEqualTo("req-42");
        assertThat(response.jsonPath().getMap("headers")).containsEntry(EdgeRoutes.REQUEST_ID, "req-42");
    }

    @Test
    void theTraceContextTheClientSentReachesTheService() {
        String traceparent = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01";

        JsonPath seen = echo(given().auth().oauth2(token(claims())).header("traceparent", traceparent)
                .header("tracestate", "vendor=opaque"), "/api/v1/budgets/me");

        assertThat(seen.getMap("headers", String.class, String.class)).containsEntry("traceparent", traceparent)
                .containsEntry("tracestate", "vendor=opaque");
    }

    @Test
    void aRequestBodyStreamsThroughUnchanged() {
        String body = "{\"model\":\"gpt-4o\",\"inputTokens\":1}";
        JsonPath seen = given().auth().oauth2(token(claims())).contentType("application/json").body(body)
                .when().post("/api/v1/llm/authorizations").then().statusCode(200).extract().jsonPath();

        assertThat(seen.getString("method")).isEqualTo("POST");
        assertThat(seen.getString("body")).isEqualTo(body);
        assertThat(verify(seen).tenant()).isEqualTo(tenant);
    }

    @Test
    void theSignedDigestIsTheGatewaysOwnWhateverDigestTheClientSent() {
        String body = "{\"model\":\"gpt-4o\",\"inputTokens\":2}";
        JsonPath seen = given().auth().oauth2(token(claims())).contentType("application/json").body(body)
                .header(ContentDigest.HEADER, ContentDigest.of("{}".getBytes(StandardCharsets.UTF_8)))
                .when().post("/api/v1/llm/authorizations?dryRun=true").then().statusCode(200).extract().jsonPath();

        assertThat(header(seen, ContentDigest.HEADER)).isEqualTo(ContentDigest.of(body.getBytes(StandardCharsets.UTF_8)));
        assertThat(seen.getString("path")).isEqualTo("/api/v1/llm/authorizations?dryRun=true");
        assertThat(verify(seen).tenant()).isEqualTo(tenant);
    }

    @Test
    void aChunkedBodyIsForwardedWholeWithItsLengthAndSignedDigest() {
        byte[] body = "{\"model\":\"gpt-4o\",\"inputTokens\":3}".getBytes(StandardCharsets.UTF_8);
        JsonPath seen = given().auth().oauth2(token(claims())).contentType("application/json")
                .body(new java.io.ByteArrayInputStream(body))
                .when().post("/api/v1/llm/authorizations").then().statusCode(200).extract().jsonPath();

        assertThat(seen.getString("body")).isEqualTo(new String(body, StandardCharsets.UTF_8));
        assertThat(header(seen, "Content-Length")).isEqualTo(Integer.toString(body.length));
        assertThat(header(seen, ContentDigest.HEADER)).isEqualTo(ContentDigest.of(body));
        assertThat(verify(seen).tenant()).isEqualTo(tenant);
    }

    @Test
    void theForwardedContextIsBoundToTheServiceMethodAndPathItWasSignedFor() {
        JsonPath seen = echo(given().auth().oauth2(token(claims())), "/api/v1/budgets/me");
        Map<String, String> headers = seen.getMap("headers");
        UnaryOperator<String> header = name -> header(seen, name);

        org.assertj.core.api.Assertions.assertThatThrownBy(() -> BUDGET_SERVICE.verify(header, "DELETE",
                "/api/v1/budgets/me")).isInstanceOf(InvalidContextException.class);
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> BUDGET_SERVICE.verify(header, "GET",
                "/api/v1/budgets/other")).isInstanceOf(InvalidContextException.class);
        SignedContextCodec jobService = new SignedContextCodec(ContextConfigs.receiver("job-service",
                List.of(ContextTestKeys.GATEWAY_PUBLIC), List.of()));
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> jobService.verify(header, "GET",
                "/api/v1/budgets/me")).isInstanceOf(InvalidContextException.class);
        assertThat(Long.parseLong(headers.get(ContextHeaders.EXPIRES)) - Instant.now().getEpochSecond())
                .as("lifetime").isBetween(0L, 15L);
    }

    @Test
    void anOversizeBodyIs413ProblemJsonAndNeverReachesTheService() {
        byte[] body = new byte[3 * 1024 * 1024];
        java.util.Arrays.fill(body, (byte) 'x');

        given().auth().oauth2(token(claims())).contentType("application/json").body(body)
                .when().post("/api/v1/llm/authorizations")
                .then().statusCode(413).contentType(Problem.MEDIA_TYPE)
                .body("type", equalTo("https://cloudsentinel.dev/problems/payload-too-large"))
                .body("maxBytes", equalTo(2 * 1024 * 1024));
    }

    @Test
    void anOversizeChunkedBodyIs413ProblemJson() {
        byte[] body = new byte[3 * 1024 * 1024];
        java.util.Arrays.fill(body, (byte) 'x');

        given().auth().oauth2(token(claims())).contentType("application/json")
                .body(new java.io.ByteArrayInputStream(body))
                .when().post("/api/v1/llm/authorizations")
                .then().statusCode(413).contentType(Problem.MEDIA_TYPE);
    }

    @Test
    void readinessReportsEachUpstreamAndStaysUpWhileOneAnswers() {
        given().when().get(ManagementInterface.url("/q/health/ready")).then().statusCode(200)
                .body("status", equalTo("UP"))
                .body("checks.find { it.name == 'upstreams' }.data.budget", equalTo("UP"))
                .body("checks.find { it.name == 'upstreams' }.data.crypto", org.hamcrest.Matchers.startsWith("DOWN"))
                .body("checks.find { it.name == 'upstreams' }.data.jobs", equalTo("not deployed"));
        given().when().get(ManagementInterface.url("/q/health/live")).then().statusCode(200).body("status", equalTo("UP"));
    }

    @Test
    void healthAndMetricsAreServedOnTheManagementPortOnly() {
        given().when().get("/q/health/ready").then().statusCode(404);
        given().when().get("/q/metrics").then().statusCode(404);
        given().when().get(ManagementInterface.url("/q/metrics")).then().statusCode(200);
    }

    private JwtClaimsBuilder claims() {
        return Jwt.issuer(ISSUER).audience(AUDIENCE).subject("alice").claim("tenant_id", tenant.toString())
                .groups(Set.of("tenant-admin", "tenant-user", "service"));
    }

    private static String token(JwtClaimsBuilder claims) {
        return claims.jws().sign();
    }

    private static JsonPath echo(io.restassured.specification.RequestSpecification request, String path) {
        return request.when().get(path).then().statusCode(200).extract().jsonPath();
    }

    private static void unauthenticated(io.restassured.specification.RequestSpecification request) {
        request.when().get("/api/v1/budgets/me").then().statusCode(401).contentType(Problem.MEDIA_TYPE)
                .header("WWW-Authenticate", "Bearer");
    }

    /** The context as budget-service verifies it, for the method, target and body the upstream saw. */
    private static TenantContext verify(JsonPath seen) {
        try {
            SignedContextCodec.Verified verified = BUDGET_SERVICE.verify(name -> header(seen, name),
                    seen.getString("method"), seen.getString("path"));
            String body = seen.getString("body");
            assertThat(verified.contentDigest()).isEqualTo(body == null || body.isEmpty() ? ""
                    : ContentDigest.of(body.getBytes(StandardCharsets.UTF_8)));
            return verified.context();
        } catch (InvalidContextException e) {
            throw new AssertionError("the upstream got no valid signed context: " + seen.getMap("headers"), e);
        }
    }

    private static String header(JsonPath seen, String name) {
        Map<String, String> headers = seen.getMap("headers");
        return headers.entrySet().stream().filter(e -> e.getKey().equalsIgnoreCase(name)).map(Map.Entry::getValue)
                .findFirst().orElse(null);
    }

    static String unused() {
        return UUID.randomUUID().toString() + ContextHeaders.PREFIX;
    }
}
