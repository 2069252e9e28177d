package io.cloudsentinel.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * Scenario 3: a tenant's own provider key is sealed by crypto-service and opened by the analysis job for each call;
 * a key rotation while analyses are in flight (waiting on the model) changes nothing a user sees; rewrap lifts a ciphertext
 * sealed before the
 * rotation to the newest version; the earlier system's Fernet-encrypted key is migrated by an operator and then
 * serves the tenant's analyses.
 */
class ProviderKeysIT {

    private static final String OWN_PURPOSE = "e2e-notes";

    @Test
    void aTenantsOwnKeyServesItsAnalysesAcrossAKeyRotation() {
        Caller admin = tenantWithBudget();
        String apiKey = "sk-e2e-own-" + UUID.randomUUID();
        Caller.Answer stored = admin.put("/api/v1/llm/settings", Map.of("provider", "openai-compatible",
                "model", ModelEndpoint.MODEL, "apiKey", apiKey, "baseUrl", SuiteUnderTest.MODEL.baseUrl()));
        assertThat(stored.status()).as(stored.toString()).isIn(200, 201);
        assertThat(stored.json().path("apiKeySet").asBoolean()).isTrue();
        assertThat(stored.body()).doesNotContain(apiKey);

        // a secret of the tenant's own, sealed before the rotation
        String note = "e2e note " + UUID.randomUUID();
        JsonNode sealed = encrypt(admin, note);
        int before = sealed.path("keyVersion").asInt();

        // three analyses have opened the key and wait on the model when the keys rotate
        List<String> analyses = new ArrayList<>();
        int modelCalls = SuiteUnderTest.MODEL.requests();
        Caller.Answer rotated;
        SuiteUnderTest.MODEL.hang();
        try {
            for (int i = 0; i < 3; i++) {
                analyses.add(Jobs.requestAnalysis(admin));
            }
            await().atMost(Duration.ofSeconds(20)).until(() -> SuiteUnderTest.MODEL.requests() >= modelCalls + 3);
            rotated = Caller.operator().post("/api/v1/crypto/keys/rotate", null);
        } finally {
            SuiteUnderTest.MODEL.answerAgain();
        }
        assertThat(rotated.status()).as(rotated.toString()).isEqualTo(200);
        int after = rotated.json().path("currentVersion").asInt();
        assertThat(after).isGreaterThan(before);
        for (int i = 0; i < 3; i++) {
            analyses.add(Jobs.requestAnalysis(admin));
        }

        // every analysis, in flight during the rotation or after it, called the model with the tenant's own key
        for (String id : analyses) {
            assertThat(Jobs.awaitFinished(admin, id).path("state").asText()).as("analysis %s", id)
                    .isEqualTo("COMPLETED");
            assertThat(admin.get("/api/v1/jobs/" + id + "/result").json().path("status").asText())
                    .isEqualTo("completed");
        }
        // (at least: an attempt given up at the model timeout calls again, with the same key)
        assertThat(SuiteUnderTest.MODEL.received()).filteredOn(call -> ("Bearer " + apiKey)
                .equals(call.authorization())).hasSizeGreaterThanOrEqualTo(analyses.size());
        assertThat(admin.get("/api/v1/llm/settings").json().path("keySetAt").asText())
                .isEqualTo(stored.json().path("keySetAt").asText());

        // the old ciphertext still opens; rewrap lifts it to the newest version, same plaintext, never shown
        assertThat(decrypt(admin, sealed.path("ciphertext").asText())).isEqualTo(note);
        Caller.Answer rewrapped = admin.post("/api/v1/crypto/rewrap", Map.of("purpose", OWN_PURPOSE,
                "ciphertext", sealed.path("ciphertext").asText()));
        assertThat(rewrapped.status()).as(rewrapped.toString()).isEqualTo(200);
        assertThat(rewrapped.json().path("keyVersion").asInt()).isEqualTo(after);
        assertThat(rewrapped.json().path("ciphertext").asText()).startsWith("cs:v" + after + ":");
        assertThat(rewrapped.body()).doesNotContain(base64(note)).doesNotContain("plaintext");
        assertThat(decrypt(admin, rewrapped.json().path("ciphertext").asText())).isEqualTo(note);
        // new seals are under the newest version (each replica reloads its keyring within seconds)
        await().atMost(Duration.ofSeconds(30)).until(() -> encrypt(admin, note).path("keyVersion").asInt(),
                version -> version >= after);
    }

    @Test
    void theEarlierSystemsFernetKeyIsMigratedAndThenServesTheTenant() {
        Caller admin = tenantWithBudget();
        String legacyKey = "sk-e2e-legacy-" + UUID.randomUUID();
        String token = SuiteUnderTest.LEGACY.encrypt(legacyKey);

        // a Fernet token carries no tenant or purpose: nobody decrypts it, and only an operator migrates it
        Caller.Answer opened = admin.post("/api/v1/crypto/decrypt", Map.of("purpose", "llm_api_key",
                "ciphertext", token));
        assertThat(opened.status()).as(opened.toString()).isEqualTo(400);
        assertThat(opened.json().path("type").asText()).endsWith("legacy-token-needs-rewrap");
        Map<String, Object> legacyImport = Map.of("tenant", admin.tenant.toString(), "provider",
                "openai-compatible", "model", ModelEndpoint.MODEL, "baseUrl", SuiteUnderTest.MODEL.baseUrl(),
                "legacyApiKey", token);
        assertThat(admin.put("/api/v1/llm/settings/legacy-import", legacyImport).status()).isEqualTo(403);

        Caller.Answer imported = Caller.operator().put("/api/v1/llm/settings/legacy-import", legacyImport);
        assertThat(imported.status()).as(imported.toString()).isEqualTo(200);
        assertThat(imported.json().path("apiKeySet").asBoolean()).isTrue();
        assertThat(imported.body()).doesNotContain(legacyKey);
        JsonNode settings = admin.get("/api/v1/llm/settings").json();
        assertThat(settings.path("apiKeySet").asBoolean()).isTrue();
        assertThat(settings.path("baseUrl").asText()).isEqualTo(SuiteUnderTest.MODEL.baseUrl());

        String analysis = Jobs.requestAnalysis(admin);
        assertThat(Jobs.awaitFinished(admin, analysis).path("state").asText()).isEqualTo("COMPLETED");
        assertThat(SuiteUnderTest.MODEL.received()).filteredOn(call -> ("Bearer " + legacyKey)
                .equals(call.authorization())).hasSize(1);
    }

    private static Caller tenantWithBudget() {
        Caller admin = Caller.tenantAdmin(UUID.randomUUID());
        Caller.Answer budget = admin.put("/api/v1/budgets/me", Map.of("monthlyLimitMicros", 1_000_000));
        assertThat(budget.status()).as(budget.toString()).isEqualTo(200);
        return admin;
    }

    private static JsonNode encrypt(Caller caller, String plaintext) {
        Caller.Answer answer = caller.post("/api/v1/crypto/encrypt", Map.of("purpose", OWN_PURPOSE,
                "plaintext", base64(plaintext)));
        assertThat(answer.status()).as(answer.toString()).isEqualTo(200);
        return answer.json();
    }

    private static String decrypt(Caller caller, String ciphertext) {
        Caller.Answer answer = caller.post("/api/v1/crypto/decrypt", Map.of("purpose", OWN_PURPOSE,
                "ciphertext", ciphertext));
        assertThat(answer.status()).as(answer.toString()).isEqualTo(200);
        return new String(Base64.getDecoder().decode(answer.json().path("plaintext").asText()),
                StandardCharsets.UTF_8);
    }

    private static String base64(String text) {
        return Base64.getEncoder().encodeToString(text.getBytes(StandardCharsets.UTF_8));
    }
}
