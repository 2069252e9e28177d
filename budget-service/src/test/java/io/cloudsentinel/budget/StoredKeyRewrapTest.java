package io.cloudsentinel.budget;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import io.cloudsentinel.budget.service.LlmSettingsService;
import io.cloudsentinel.platform.crypto.SealedColumn;
import io.cloudsentinel.platform.crypto.SealedValueSwap;
import io.cloudsentinel.platform.crypto.TenantSecrets;
import io.cloudsentinel.platform.problem.Problem;
import io.cloudsentinel.platform.tenant.Roles;
import io.cloudsentinel.platform.tenant.TenantId;
import io.cloudsentinel.platform.tenant.TenantTransactions;
import io.cloudsentinel.testing.CryptoSiblingKeys;
import io.cloudsentinel.testing.KafkaTestResource;
import io.cloudsentinel.testing.PostgresTestResource;
import io.cloudsentinel.testing.SiblingServices;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;

/**
 * After a key rotation of the real crypto-service (the packaged sibling), the operators' rewrap lifts every stored
 * provider key to the newest version, the same key still opens, and the minimum decryption version can then be raised
 * to what the run reports without losing one; a key a tenant sets meanwhile is never overwritten.
 */
@QuarkusTest
@WithTestResource(PostgresTestResource.class)
@WithTestResource(KafkaTestResource.class)
@WithTestResource(value = SiblingServices.class, initArgs = @ResourceArg(name = "services", value = "crypto-service"))
class StoredKeyRewrapTest {

    private static final String REWRAP = LlmSettingsTest.SETTINGS + "/rewrap";
    private static final Duration CRYPTO_ANSWER = Duration.ofSeconds(30);

    @Inject
    TenantSecrets secrets;
    @Inject
    TenantTransactions transactions;
    @Inject
    SealedValueSwap swap;

    @Test
    void afterARotationEveryStoredKeyIsRewrappedAndTheMinimumVersionCanBeRaised() {
        Map<TenantId, String> keys = new LinkedHashMap<>();
        for (int i = 0; i < 3; i++) {
            TenantId tenant = TenantId.random();
            keys.put(tenant, LlmSettingsTest.apiKey());
            store(tenant, keys.get(tenant));
        }
        int newest = CryptoSiblingKeys.rotate();
        keys.keySet().forEach(tenant -> assertThat(storedVersion(tenant)).isLessThan(newest));

        JsonPath report = rewrap().then().statusCode(200).extract().jsonPath();

        assertThat(report.getInt("rewrapped")).isGreaterThanOrEqualTo(keys.size());
        assertThat(report.getList("refused")).isEmpty();
        assertThat(report.getInt("oldestKeyVersion")).isEqualTo(newest);
        int minimumBefore = CryptoSiblingKeys.minimumVersion();
        try {
            CryptoSiblingKeys.raiseMinimum(newest);
            keys.forEach((tenant, key) -> {
                assertThat(storedVersion(tenant)).isEqualTo(newest);
                String ciphertext = Api.asService(tenant).get(LlmSettingsTest.CREDENTIALS).then().statusCode(200)
                        .extract().path("apiKeyCiphertext");
                assertThat(open(tenant, ciphertext)).as("the same key, opened under the raised minimum")
                        .isEqualTo(key);
            });
        } finally {
            CryptoSiblingKeys.restoreMinimum(minimumBefore);
        }

        JsonPath again = rewrap().then().statusCode(200).extract().jsonPath();
        assertThat(again.getInt("rewrapped")).as("a second run finds every key current").isZero();
        assertThat(again.getInt("alreadyCurrent")).isEqualTo(again.getInt("examined"));
    }

    @Test
    void aKeyTheTenantSetAfterTheReadIsNotOverwrittenByTheRewrapOfTheOneBefore() {
        TenantId tenant = TenantId.random();
        store(tenant, LlmSettingsTest.apiKey());
        String read = LlmSettingsRows.of(tenant).orElseThrow().apiKeyCiphertext();
        String rewrapped = secrets.rewrap(tenant, LlmSettingsService.API_KEY_PURPOSE, read).await()
                .atMost(CRYPTO_ANSWER);
        String replacement = LlmSettingsTest.apiKey();
        store(tenant, replacement);

        int swapped = transactions.inTenant(tenant, connection -> swap.swap(connection, new SealedColumn(
                "llm_settings", "api_key_ciphertext", LlmSettingsService.API_KEY_PURPOSE), read, rewrapped)).await()
                .atMost(CRYPTO_ANSWER);

        assertThat(swapped).isZero();
        assertThat(open(tenant, LlmSettingsRows.of(tenant).orElseThrow().apiKeyCiphertext())).isEqualTo(replacement);
    }

    @Test
    void aKeyWhoseVersionWasRetiredBeforeTheRewrapIsNamedInTheReport() {
        TenantId tenant = TenantId.random();
        store(tenant, LlmSettingsTest.apiKey());
        int newest = CryptoSiblingKeys.rotate();
        int minimumBefore = CryptoSiblingKeys.minimumVersion();
        JsonPath report;
        try {
            CryptoSiblingKeys.raiseMinimum(newest);
            report = rewrap().then().statusCode(200).extract().jsonPath();
        } finally {
            CryptoSiblingKeys.restoreMinimum(minimumBefore);
        }
        assertThat(report.getList("refused", Map.class)).contains(Map.of("tenant", tenant.toString(), "secret",
                "llm_settings.api_key_ciphertext"));
        assertThat(report.getInt("oldestKeyVersion")).as("the refused key's version is still stored")
                .isLessThanOrEqualTo(storedVersion(tenant)).isLessThan(newest);
    }

    @Test
    void onlyAPlatformAdminRewraps() {
        for (String role : List.of(Roles.TENANT_USER, Roles.TENANT_ADMIN, Roles.SERVICE)) {
            Api.as(TenantId.random(), role).post(REWRAP).then().statusCode(403).contentType(Problem.MEDIA_TYPE)
                    .body("type", equalTo(LlmSettingsTest.PROBLEMS + "forbidden"));
        }
    }

    private static io.restassured.response.Response rewrap() {
        return Api.as(TenantId.random(), Roles.PLATFORM_ADMIN).post(REWRAP);
    }

    private static void store(TenantId tenant, String key) {
        Api.as(tenant, Roles.TENANT_ADMIN).body(LlmSettingsTest.settings("openai", "gpt-4o", key, null))
                .put(LlmSettingsTest.SETTINGS).then().statusCode(200);
    }

    private static int storedVersion(TenantId tenant) {
        return TenantSecrets.keyVersion(LlmSettingsRows.of(tenant).orElseThrow().apiKeyCiphertext()).orElseThrow();
    }

    private String open(TenantId tenant, String ciphertext) {
        return secrets.open(tenant, LlmSettingsService.API_KEY_PURPOSE, ciphertext).await().atMost(CRYPTO_ANSWER);
    }
}
