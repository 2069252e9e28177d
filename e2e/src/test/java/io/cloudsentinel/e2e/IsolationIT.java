package io.cloudsentinel.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.math.BigDecimal;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * Scenario 5: tenant B sees nothing of tenant A through any endpoint (jobs, results, DLQ, ledger, holds, schedules,
 * costs, anomalies, decrypt), whatever context headers B sends along with its own token: the gateway strips them and
 * signs B's context. A's signed context, read off the wire behind the gateway, is refused on any other request.
 */
class IsolationIT {

    private static final Caller A = Caller.tenantAdmin(UUID.randomUUID());
    private static final Caller B = Caller.tenantAdmin(UUID.randomUUID());
    private static String jobOfA;
    private static String deadJobOfA;
    private static String holdOfA;
    private static String ciphertextOfA;
    private static String importOfA;

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
        FocusExport costs = FocusExport.dailyWithSpike("A's compute", LocalDate.now(ZoneOffset.UTC), 3,
                new BigDecimal("100.00"));
        Caller.Answer imported = A.upload("/api/v1/costs/imports?source=aws", "text/csv", costs.csv(),
                "Content-Digest", costs.contentDigest());
        assertThat(imported.status()).as(imported.toString()).isEqualTo(201);
        importOfA = imported.json().path("id").asText();
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
    void bSeesNoneOfAsCosts() {
        assertThat(B.get("/api/v1/costs/imports/" + importOfA, forged()).status()).isEqualTo(404);
        assertThat(B.get("/api/v1/costs/imports", forged()).json().path("imports")).isEmpty();
        assertThat(B.get("/api/v1/costs/summary", forged()).json().path("currencies")).isEmpty();
        assertThat(B.get("/api/v1/costs/anomalies", forged()).json().path("anomalies")).isEmpty();
        assertThat(B.get("/api/v1/costs/idle-resources", forged()).json().toString()).doesNotContain("A's compute");
        assertThat(A.get("/api/v1/costs/imports/" + importOfA).status()).isEqualTo(200);
    }

    /**
     * Behind the gateway, someone reads A's signed context off a request to scheduler-service and replays it straight
     * to the services: on another path, with another method, to another service. Each refuses it; A's schedule is
     * unchanged.
     */
    @Test
    void aContextCapturedBehindTheGatewayIsRefusedOnAnotherPath() {
        assertThat(A.get("/api/v1/schedules/me").status()).isEqualTo(200);
        List<String> context = new ArrayList<>();
        SuiteUnderTest.SCHEDULER_HOP.lastHeaders("/api/v1/schedules/me").forEach((name, values) -> {
            if (name.toLowerCase(Locale.ROOT).startsWith("x-cs-")) {
                values.forEach(value -> {
                    context.add(name);
                    context.add(value);
                });
            }
        });
        assertThat(context).as("the signed context the gateway sent").isNotEmpty();

        assertThat(direct("scheduler-service", "PUT", "/api/v1/schedules/me/zombie_scan", "{\"enabled\":false}",
                context)).isEqualTo(401);
        assertThat(direct("scheduler-service", "GET", "/api/v1/schedules/me?tier=any", null, context))
                .isEqualTo(401);
        assertThat(direct("job-service", "GET", "/api/v1/jobs", null, context)).isEqualTo(401);
        assertThat(direct("crypto-service", "POST", "/api/v1/crypto/decrypt", "{\"purpose\":\"e2e-secret\","
                + "\"ciphertext\":\"" + ciphertextOfA + "\"}", context)).isEqualTo(401);
        JsonNode schedules = A.get("/api/v1/schedules/me").json().path("schedules");
        assertThat(schedules).filteredOn(schedule -> schedule.path("jobType").asText().equals("zombie_scan"))
                .singleElement().satisfies(schedule -> assertThat(schedule.path("enabled").asBoolean()).isTrue());
    }

    /** A call straight to a service, around the gateway: its status. */
    private static int direct(String service, String method, String path, String json, List<String> headers) {
        HttpRequest.Builder request = HttpRequest.newBuilder(SuiteUnderTest.stack().url(service).resolve(path))
                .timeout(Duration.ofSeconds(10)).method(method, json == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(json));
        if (json != null) {
            request.header("Content-Type", "application/json");
        }
        for (int i = 0; i + 1 < headers.size(); i += 2) {
            request.header(headers.get(i), headers.get(i + 1));
        }
        try {
            return HttpClient.newHttpClient().send(request.build(), HttpResponse.BodyHandlers.discarding())
                    .statusCode();
        } catch (IOException e) {
            throw new IllegalStateException(method + " " + path + " to " + service + ": " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
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
