package io.cloudsentinel.jobs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import jakarta.inject.Inject;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.cloudsentinel.jobs.repository.CostSource;
import io.cloudsentinel.platform.crypto.TenantSecrets;
import io.cloudsentinel.platform.tenant.Roles;
import io.cloudsentinel.platform.tenant.TenantId;
import io.cloudsentinel.testing.CryptoSiblingKeys;
import io.cloudsentinel.testing.SiblingServices;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;

/**
 * After a key rotation of the real crypto-service, the operators' rewrap lifts each secret job-service stores (the
 * webhook's current and previous secret, a cost source's URL and header) to the newest version; each opens to what it
 * was, also once the minimum decryption version is raised to what the run reports.
 */
@QuarkusTest
@JobsTestResources
@WithTestResource(value = SiblingServices.class, initArgs = @ResourceArg(name = "services", value = "crypto-service"))
class StoredSecretsRewrapTest {

    private static final String REWRAP = "/api/v1/jobs/secrets/rewrap";
    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final Map<String, String> PURPOSES = Map.of(
            "webhook_settings.secret_ciphertext", "webhook_secret",
            "webhook_settings.previous_secret_ciphertext", "webhook_secret",
            "cost_sources.url_ciphertext", CostSource.SECRET_PURPOSE,
            "cost_sources.header_ciphertext", CostSource.SECRET_PURPOSE);

    @Inject
    TenantSecrets secrets;

    private final TenantId tenant = TenantId.random();

    /** Other tests leave rows behind, some with made-up ciphertexts that crypto-service would rightly refuse. */
    @BeforeEach
    void clean() {
        WebhookRows.execute("TRUNCATE webhook_settings, cost_sources");
    }

    @Test
    void everyStoredSecretIsRewrappedAndStillOpensUnderTheRaisedMinimum() {
        Api.as(tenant, Roles.TENANT_ADMIN).body("{\"url\":\"https://93.184.215.14/hooks/cs\","
                + "\"events\":[\"job.dead_lettered\"]}").put("/api/v1/jobs/settings/webhook").then().statusCode(201);
        Api.as(tenant, Roles.TENANT_ADMIN).post("/api/v1/jobs/settings/webhook/rotate-secret").then().statusCode(200);
        Api.as(tenant, Roles.TENANT_ADMIN).body(Map.of("url", "https://93.184.215.14/exports/focus.csv?sig=5ecret",
                "manifest", false, "header", Map.of("name", "Authorization", "value", "Bearer t0ken")))
                .put("/api/v1/costs/sources/cur").then().statusCode(201);
        Map<String, String> before = stored();
        Map<String, String> plaintexts = new LinkedHashMap<>();
        before.forEach((secret, ciphertext) -> plaintexts.put(secret, open(secret, ciphertext)));
        int newest = CryptoSiblingKeys.rotate();

        JsonPath report = Api.as(TenantId.random(), Roles.PLATFORM_ADMIN).post(REWRAP).then().statusCode(200)
                .extract().jsonPath();

        assertThat(report.getList("refused")).isEmpty();
        assertThat(report.getInt("rewrapped")).isGreaterThanOrEqualTo(PURPOSES.size());
        assertThat(report.getInt("oldestKeyVersion")).isEqualTo(newest);
        Map<String, String> after = stored();
        assertThat(after.keySet()).isEqualTo(PURPOSES.keySet());
        int minimumBefore = CryptoSiblingKeys.minimumVersion();
        try {
            CryptoSiblingKeys.raiseMinimum(newest);
            after.forEach((secret, ciphertext) -> {
                assertThat(TenantSecrets.keyVersion(ciphertext)).as(secret).hasValue(newest);
                assertThat(open(secret, ciphertext)).as(secret).isEqualTo(plaintexts.get(secret));
            });
        } finally {
            CryptoSiblingKeys.restoreMinimum(minimumBefore);
        }
    }

    @Test
    void onlyAPlatformAdminRewraps() {
        for (String role : List.of(Roles.TENANT_USER, Roles.TENANT_ADMIN)) {
            Api.as(tenant, role).post(REWRAP).then().statusCode(403).body("type",
                    equalTo("https://cloudsentinel.dev/problems/forbidden"));
        }
    }

    /** The tenant's four ciphertexts, by {@code table.column}. */
    private Map<String, String> stored() {
        Map<String, String> stored = new LinkedHashMap<>();
        for (String secret : PURPOSES.keySet()) {
            String[] at = secret.split("\\.");
            stored.put(secret, WebhookRows.text("SELECT " + at[1] + " FROM " + at[0] + " WHERE tenant_id = '" + tenant
                    + "'"));
        }
        stored.values().removeIf(java.util.Objects::isNull);
        return stored;
    }

    private String open(String secret, String ciphertext) {
        return secrets.open(tenant, PURPOSES.get(secret), ciphertext).await().atMost(WAIT);
    }
}
