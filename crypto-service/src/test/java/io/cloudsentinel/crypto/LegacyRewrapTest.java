package io.cloudsentinel.crypto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import java.util.Base64;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.cloudsentinel.platform.problem.Problem;
import io.cloudsentinel.platform.tenant.Roles;
import io.cloudsentinel.platform.tenant.TenantId;
import io.cloudsentinel.testing.CapturedLog;
import io.cloudsentinel.testing.PostgresTestResource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.specification.RequestSpecification;

/**
 * The earlier system's Fernet tokens carry no tenant: they are never decrypted to plaintext, and only a migration
 * principal (a service for the tenant of its signed context, or a platform-admin naming the tenant) rewraps them
 * into ciphertexts of a tenant.
 */
@QuarkusTest
@WithTestResource(PostgresTestResource.class)
class LegacyRewrapTest {

    private static final String FORBIDDEN = "https://cloudsentinel.dev/problems/forbidden";

    private final TenantId tenant = TenantId.random();

    @Test
    void decryptRefusesALegacyTokenAndSaysToRewrapIt() throws Exception {
        String token = tokens().get(0).get("token");

        for (RequestSpecification caller : List.of(Api.as(tenant), Api.as(tenant, Roles.TENANT_ADMIN),
                Api.asService(tenant))) {
            caller.body(Map.of("purpose", "provider-key", "ciphertext", token)).post("/api/v1/crypto/decrypt").then()
                    .statusCode(400).contentType(Problem.MEDIA_TYPE)
                    .body("type", equalTo("https://cloudsentinel.dev/problems/legacy-token-needs-rewrap"))
                    .body("field", equalTo("ciphertext"))
                    .body("detail", containsString("POST /api/v1/crypto/rewrap"));
        }
    }

    @Test
    void decryptNamesTheLegacyItemOfABatch() throws Exception {
        String versioned = CryptoRoundTripTest.encrypt(tenant, "provider-key", "new".getBytes());

        Api.as(tenant).body(Map.of("purpose", "provider-key", "items", List.of(versioned, tokens().get(0).get(
                "token")))).post("/api/v1/crypto/decrypt").then().statusCode(400)
                .body("type", equalTo("https://cloudsentinel.dev/problems/legacy-token-needs-rewrap"))
                .body("field", equalTo("items[1]"));
    }

    @Test
    void aTenantCallerCannotRewrapALegacyToken() throws Exception {
        String token = tokens().get(0).get("token");

        for (String role : List.of(Roles.TENANT_USER, Roles.TENANT_ADMIN)) {
            Api.as(tenant, role).body(Map.of("purpose", "provider-key", "ciphertext", token))
                    .post("/api/v1/crypto/rewrap").then().statusCode(403).contentType(Problem.MEDIA_TYPE)
                    .body("type", equalTo(FORBIDDEN)).body("detail", containsString("migration principal"));
        }
    }

    @Test
    void aServiceRewrapsLegacyTokensIntoCiphertextsOfItsTenantOnly() throws Exception {
        for (Map<String, String> token : tokens()) {
            byte[] expected = Base64.getDecoder().decode(token.get("plaintextBase64"));

            String rewrapped = Api.asService(tenant).body(Map.of("purpose", "provider-key", "ciphertext",
                    token.get("token"))).post("/api/v1/crypto/rewrap").then().statusCode(200).extract()
                    .path("ciphertext");

            assertThat(rewrapped).startsWith("cs:v");
            assertThat(CryptoRoundTripTest.decrypt(tenant, "provider-key", rewrapped)).isEqualTo(expected);
            CryptoRoundTripTest.failsToDecrypt(TenantId.random(), "provider-key", rewrapped);
            CryptoRoundTripTest.failsToDecrypt(tenant, "webhook-secret", rewrapped);
        }
    }

    @Test
    void aServiceCannotNameAnotherTenant() throws Exception {
        Api.asService(tenant).body(Map.of("purpose", "provider-key", "ciphertext", tokens().get(0).get("token"),
                "tenant", TenantId.random().toString())).post("/api/v1/crypto/rewrap").then().statusCode(403)
                .body("type", equalTo(FORBIDDEN)).body("detail", containsString("only a platform-admin"));
    }

    @Test
    void aPlatformAdminRewrapsLegacyTokensForTheTenantItNames() throws Exception {
        Map<String, String> token = tokens().get(1);
        TenantId operators = TenantId.random();

        String rewrapped = Api.as(operators, Roles.PLATFORM_ADMIN).body(Map.of("purpose", "provider-key",
                "ciphertext", token.get("token"), "tenant", tenant.toString())).post("/api/v1/crypto/rewrap").then()
                .statusCode(200).extract().path("ciphertext");

        assertThat(CryptoRoundTripTest.decrypt(tenant, "provider-key", rewrapped))
                .isEqualTo(Base64.getDecoder().decode(token.get("plaintextBase64")));
        CryptoRoundTripTest.failsToDecrypt(operators, "provider-key", rewrapped);
    }

    @Test
    void aPlatformAdminMustNameTheTenantOfLegacyTokens() throws Exception {
        Api.as(TenantId.random(), Roles.PLATFORM_ADMIN).body(Map.of("purpose", "provider-key", "ciphertext",
                tokens().get(0).get("token"))).post("/api/v1/crypto/rewrap").then().statusCode(400)
                .contentType(Problem.MEDIA_TYPE).body("violations[0].field", equalTo("tenant"));
        Api.as(TenantId.random(), Roles.PLATFORM_ADMIN).body(Map.of("purpose", "provider-key", "ciphertext",
                tokens().get(0).get("token"), "tenant", "not-a-tenant")).post("/api/v1/crypto/rewrap").then()
                .statusCode(400).body("violations[0].field", equalTo("tenant"));
    }

    @Test
    void aLegacyRewrapIsAuditedWithItsCaller() throws Exception {
        try (CapturedLog log = CapturedLog.start()) {
            Api.asService(tenant).body(Map.of("purpose", "provider-key", "ciphertext", tokens().get(0).get("token")))
                    .post("/api/v1/crypto/rewrap").then().statusCode(200);

            assertThat(log.lines()).filteredOn(line -> line.contains("crypto.audit"))
                    .anySatisfy(line -> assertThat(line).contains("op=rewrap").contains("tenant=" + tenant)
                            .contains("outcome=ok:legacy").contains("by=" + Api.SERVICE_NAME));
        }
    }

    @Test
    void aTamperedLegacyTokenFailsLikeAnyOther() throws Exception {
        String token = tokens().get(1).get("token");
        char last = token.charAt(token.length() - 3);
        String tampered = token.substring(0, token.length() - 3) + (last == 'A' ? 'B' : 'A')
                + token.substring(token.length() - 2);

        Api.asService(tenant).body(Map.of("purpose", "provider-key", "ciphertext", tampered))
                .post("/api/v1/crypto/rewrap").then().statusCode(400)
                .body("type", equalTo("https://cloudsentinel.dev/problems/decryption-failed"));
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, String>> tokens() throws Exception {
        return (List<Map<String, String>>) FernetTest.legacy().get("tokens");
    }
}
