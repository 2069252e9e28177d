package io.cloudsentinel.jobs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

import java.util.Map;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.cloudsentinel.platform.tenant.Roles;
import io.cloudsentinel.platform.tenant.TenantId;
import io.cloudsentinel.testing.ContextTestKeys;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;

/** With crypto-service unreachable a secret cannot be sealed: 503, and nothing is written. */
@QuarkusTest
@JobsTestResources
@TestProfile(WebhookCryptoDownTest.CryptoUnreachable.class)
class WebhookCryptoDownTest {

    private static final String PATH = "/api/v1/jobs/settings/webhook";
    private static final String URL = "https://93.184.215.14/hooks/cloudsentinel";

    /** Nothing listens on port 1; the calls are signed with the published test service key. */
    public static class CryptoUnreachable implements QuarkusTestProfile {

        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("quarkus.rest-client.crypto.url", "http://127.0.0.1:1",
                    "cs.context.signing-key", ContextTestKeys.SERVICE_PRIVATE);
        }
    }

    private final TenantId tenant = TenantId.random();

    @BeforeEach
    void clean() {
        WebhookRows.clear();
    }

    @Test
    void aFirstSettingIsRefusedAndWritesNothing() {
        Api.as(tenant, Roles.TENANT_ADMIN).body("{\"url\":\"" + URL + "\",\"events\":[\"budget.exhausted\"]}")
                .put(PATH).then().statusCode(503).contentType("application/problem+json")
                .header("Retry-After", equalTo("5"))
                .body("type", equalTo("https://cloudsentinel.dev/problems/crypto-unavailable"));

        assertThat(WebhookRows.count("SELECT count(*) FROM webhook_settings")).isZero();
    }

    @Test
    void aRotationIsRefusedAndTheSecretStaysWhileAChangeOfUrlNeedsNoCrypto() {
        WebhookRows.execute("INSERT INTO webhook_settings (tenant_id, url, events, secret_ciphertext, created_at,"
                + " updated_at) VALUES ('" + tenant + "', '" + URL + "', '{budget.exhausted}', 'cs:v1:sealed-before',"
                + " now(), now())");

        Api.as(tenant, Roles.TENANT_ADMIN).post(PATH + "/rotate-secret").then().statusCode(503)
                .contentType("application/problem+json");
        Api.as(tenant, Roles.TENANT_ADMIN).body("{\"url\":\"" + URL + "/v2\",\"events\":[\"budget.exhausted\"]}")
                .put(PATH).then().statusCode(200);

        assertThat(WebhookRows.count("SELECT count(*) FROM webhook_settings WHERE secret_ciphertext ="
                + " 'cs:v1:sealed-before' AND previous_secret_ciphertext IS NULL AND rotated_at IS NULL"
                + " AND url = '" + URL + "/v2'")).isEqualTo(1);
    }
}
