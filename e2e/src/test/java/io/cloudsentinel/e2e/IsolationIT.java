package io.cloudsentinel.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * Scenario 5: tenant B sees nothing of tenant A through any endpoint, whatever context headers B sends along with
 * its own token: the gateway strips them and signs B's context.
 */
class IsolationIT {

    private static final Caller A = Caller.tenantAdmin(UUID.randomUUID());
    private static final Caller B = Caller.tenantAdmin(UUID.randomUUID());
    private static String jobOfA;
    private static String deadJobOfA;
    private static String holdOfA;
    private static String ciphertextOfA;

    /** What B adds to every call: A's identity in every header a service might read. */
    private static String[] forged() {
        return new String[] { "X-CS-Tenant-Id", A.tenant.toString(), "X-CS-Roles", "tenant-admin,platform-admin",
                "X-CS-User-Id", "a-user", "X-Tenant-Id", A.tenant.toString() };
    }

    @BeforeAll
    static void tenantAHasData() {
        jobOfA = Jobs.requestNoop(A, 0);
        deadJobOfA = Jobs.requestNoop(A, 3_000);
        Jobs.awaitState(A, jobOfA, "COMPLETED");
        Jobs.awaitState(A, deadJobOfA, "DEAD_LETTER");
        Caller.Answer budget = A.put("/api/v1/budgets/me", Map.of("monthlyLimitMicros", 10_000_000));
        assertThat(budget.status()).as(budget.toString()).isEqualTo(200);
        Caller.Answer hold = A.post("/api/v1/llm/authorizations", Map.of("model", "gpt-4o-mini", "inputTokens", 1000,
                "maxOutputTokens", 200, "idempotencyKey", "isolation-" + UUID.randomUUID()));
        assertThat(hold.status()).as(hold.toString()).isEqualTo(201);
        holdOfA = hold.json().path("holdId").asText();
        Caller.Answer encrypted = A.post("/api/v1/crypto/encrypt", Map.of("purpose", "e2e-secret", "plaintext",
                Base64.getEncoder().encodeToString("a's secret".getBytes())));
        assertThat(encrypted.status()).as(encrypted.toString()).isEqualTo(200);
        ciphertextOfA = encrypted.json().path("ciphertext").asText();
    }

    @Test
    void bCannotReadOrActOnAsJobsEvenWithAsHeaders() {
        for (String path : List.of("/api/v1/jobs/" + jobOfA, "/api/v1/jobs/" + deadJobOfA,
                "/api/v1/jobs/" + jobOfA + "/result")) {
            assertThat(B.get(path, forged()).status()).as(path).isEqualTo(404);
        }
        assertThat(B.post("/api/v1/jobs/" + jobOfA + "/cancel", null, forged()).status()).isEqualTo(404);
        assertThat(B.post("/api/v1/jobs/dlq/" + deadJobOfA + "/replay", null, forged()).status()).isEqualTo(404);
        assertThat(B.get("/api/v1/jobs?limit=200", forged()).json().findValuesAsText("id")).doesNotContain(jobOfA,
                deadJobOfA);
        assertThat(B.get("/api/v1/jobs/dlq", forged()).json().findValuesAsText("id")).doesNotContain(deadJobOfA);
        assertThat(B.get("/api/v1/jobs/analyses", forged()).json().path("analyses")).isEmpty();
        JsonNode stats = B.get("/api/v1/jobs/stats", forged()).json();
        assertThat(stats.toString()).doesNotContain("DEAD_LETTER\":1").doesNotContain(A.tenant.toString());
        // A's job is still A's, untouched
        assertThat(A.get("/api/v1/jobs/" + deadJobOfA).json().path("state").asText()).isEqualTo("DEAD_LETTER");
    }

    @Test
    void bCannotSeeOrSettleAsBudgetHoldsAndLedger() {
        assertThat(B.post("/api/v1/llm/authorizations/" + holdOfA + "/settle", Map.of("inputTokens", 1,
                "outputTokens", 1), forged()).status()).isEqualTo(404);
        assertThat(B.delete("/api/v1/llm/authorizations/" + holdOfA, forged()).status()).isIn(204, 404);
        JsonNode ledger = B.get("/api/v1/budgets/me/ledger", forged()).json();
        assertThat(ledger.toString()).doesNotContain(holdOfA).doesNotContain(A.tenant.toString());
        JsonNode budget = B.get("/api/v1/budgets/me", forged()).json();
        assertThat(budget.path("reservedMicros").asLong()).isZero();
        // A's hold is still there to settle
        Caller.Answer settled = A.post("/api/v1/llm/authorizations/" + holdOfA + "/settle", Map.of("inputTokens",
                500, "outputTokens", 100));
        assertThat(settled.status()).as(settled.toString()).isEqualTo(200);
    }

    @Test
    void bCannotDecryptAsCiphertext() {
        Caller.Answer decrypt = B.post("/api/v1/crypto/decrypt", Map.of("purpose", "e2e-secret", "ciphertext",
                ciphertextOfA), forged());
        assertThat(decrypt.status()).as(decrypt.toString()).isBetween(400, 499);
        assertThat(decrypt.body()).doesNotContain(Base64.getEncoder().encodeToString("a's secret".getBytes()));
        assertThat(A.post("/api/v1/crypto/decrypt", Map.of("purpose", "e2e-secret", "ciphertext", ciphertextOfA))
                .status()).isEqualTo(200);
    }

    @Test
    void bsSchedulesAndSettingsAreBsOwn() {
        JsonNode schedules = B.get("/api/v1/schedules/me", forged()).json();
        assertThat(schedules.path("tenantId").asText()).isEqualTo(B.tenant.toString());
        Caller.Answer webhook = B.get("/api/v1/jobs/settings/webhook", forged());
        assertThat(webhook.status()).isEqualTo(404);
        assertThat(B.get("/api/v1/budgets/me", forged()).json().toString()).doesNotContain(A.tenant.toString());
    }
}
