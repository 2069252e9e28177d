package io.cloudsentinel.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

import io.cloudsentinel.local.Stack;
import io.cloudsentinel.platform.tenant.TenantContext;
import io.cloudsentinel.platform.tenant.TenantId;
import io.cloudsentinel.testing.SignedCalls;

/**
 * Fault: an upgrade's middle. The suite's schema is this checkout's (its migrations ran first, as the chart's
 * pre-upgrade hook runs them); a process of the previous release of each service whose migrations changed since then
 * serves beside the new one, on the same database and broker. It keeps serving (expand/contract): its API reads and
 * writes, work is shared between old and new processes, and it logs no error. A migration that drops, renames or
 * tightens what the previous release uses turns this red.
 */
class MigrationsUnderPreviousVersionIT {

    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    @Test
    void thePreviousReleaseKeepsServingOnTheNewSchema() throws Exception {
        String commit = PreviousRelease.commit();
        Assumptions.assumeTrue(PreviousRelease.available(commit), "this clone does not hold " + commit);
        List<String> changed = PreviousRelease.servicesWithNewMigrations(commit);
        Assumptions.assumeFalse(changed.isEmpty(), "no migration since " + commit + ": nothing to prove");
        Path sources = PreviousRelease.build(commit, changed);
        Stack stack = SuiteUnderTest.stack();
        for (String service : changed) {
            try (Stack.Instance previous = stack.serveAlso(service, PreviousRelease.jar(sources, service))) {
                switch (service) {
                    case "job-service" -> jobsServe(previous);
                    case "budget-service" -> budgetsServe(previous);
                    case "scheduler-service" -> schedulesServe(previous);
                    case "crypto-service" -> cryptoServes(previous);
                    default -> throw new IllegalStateException("no probe for " + service);
                }
                List<String> errors = Files.readAllLines(previous.log()).stream()
                        .filter(line -> line.contains("\"level\":\"ERROR\"")).toList();
                assertThat(errors).as("errors of %s from %s on the new schema", service, commit).isEmpty();
            }
        }
    }

    /** Old job-service: its API over jobs the new one wrote and its own; both share the jobs from Kafka. */
    private static void jobsServe(Stack.Instance previous) throws Exception {
        Caller tenant = Caller.tenantAdmin(UUID.randomUUID());
        String throughGateway = Jobs.requestNoop(tenant, 0);
        Jobs.awaitState(tenant, throughGateway, "COMPLETED");
        JsonNode read = direct(previous, "job-service", tenant, "GET", "/api/v1/jobs/" + throughGateway, null, 200);
        assertThat(read.path("state").asText()).isEqualTo("COMPLETED");
        JsonNode written = direct(previous, "job-service", tenant, "POST", "/api/v1/jobs",
                "{\"type\":\"noop\",\"payload\":{\"holdMillis\":0}}", 201, "Idempotency-Key", "old-" + UUID.randomUUID());
        Jobs.awaitState(tenant, written.path("id").asText(), "COMPLETED");

        double claimedBefore = claimed(previous);
        List<Caller> tenants = new ArrayList<>();
        try (JobRequests producer = new JobRequests()) {
            for (int t = 0; t < 4; t++) {
                Caller one = Caller.tenantAdmin(UUID.randomUUID());
                tenants.add(one);
                for (int i = 0; i < 10; i++) {
                    producer.noop(one.tenant, "upgrade-" + i, 200);
                }
            }
        }
        for (Caller one : tenants) {
            Jobs.awaitNoopsCompletedOnce(one, 10);
        }
        assertThat(claimed(previous)).as("jobs the previous release's process claimed").isGreaterThan(claimedBefore);
    }

    private static double claimed(Stack.Instance instance) {
        return Metrics.sum(instance.management("/q/metrics"), "cs_jobs_claimed_total", null, null);
    }

    /** Old budget-service: a hold taken and settled through it, counted by the new one. */
    private static void budgetsServe(Stack.Instance previous) throws Exception {
        Caller admin = Caller.tenantAdmin(UUID.randomUUID());
        assertThat(admin.put("/api/v1/budgets/me", Map.of("monthlyLimitMicros", 1_000_000)).status()).isEqualTo(200);
        JsonNode hold = direct(previous, "budget-service", admin, "POST", "/api/v1/llm/authorizations",
                "{\"model\":\"gpt-4o-mini\",\"inputTokens\":200,\"maxOutputTokens\":100,\"idempotencyKey\":\"old-"
                        + UUID.randomUUID() + "\"}",
                201);
        direct(previous, "budget-service", admin, "POST", "/api/v1/llm/authorizations/" + hold.path("holdId").asText()
                + "/settle", "{\"inputTokens\":150,\"outputTokens\":50}", 200);
        JsonNode budget = admin.get("/api/v1/budgets/me").json();
        assertThat(budget.path("spentMicros").asLong()).isPositive();
        assertThat(budget.path("reservedMicros").asLong()).isZero();
    }

    /** Old scheduler-service: the tenant's schedules read and changed through it. */
    private static void schedulesServe(Stack.Instance previous) throws Exception {
        Caller admin = Caller.tenantAdmin(UUID.randomUUID());
        assertThat(admin.get("/api/v1/schedules/me").status()).isEqualTo(200);
        direct(previous, "scheduler-service", admin, "PUT", "/api/v1/schedules/me/zombie_scan",
                "{\"enabled\":false}", 200);
        JsonNode schedules = await().atMost(Duration.ofSeconds(10)).until(() -> admin.get("/api/v1/schedules/me")
                .json().path("schedules"), found -> found.size() > 0);
        assertThat(schedules).filteredOn(one -> one.path("jobType").asText().equals("zombie_scan")).singleElement()
                .satisfies(one -> assertThat(one.path("enabled").asBoolean()).isFalse());
    }

    /** Old crypto-service: what it seals the new one opens, and the other way round. */
    private static void cryptoServes(Stack.Instance previous) throws Exception {
        Caller user = Caller.tenantUser(UUID.randomUUID());
        String plaintext = Base64.getEncoder().encodeToString("upgrade".getBytes());
        JsonNode sealedByOld = direct(previous, "crypto-service", user, "POST", "/api/v1/crypto/encrypt",
                "{\"purpose\":\"upgrade\",\"plaintext\":\"" + plaintext + "\"}", 200);
        Caller.Answer opened = user.post("/api/v1/crypto/decrypt", Map.of("purpose", "upgrade", "ciphertext",
                sealedByOld.path("ciphertext").asText()));
        assertThat(opened.json().path("plaintext").asText()).isEqualTo(plaintext);
        String sealedByNew = user.post("/api/v1/crypto/encrypt", Map.of("purpose", "upgrade", "plaintext", plaintext))
                .json().path("ciphertext").asText();
        assertThat(direct(previous, "crypto-service", user, "POST", "/api/v1/crypto/decrypt",
                "{\"purpose\":\"upgrade\",\"ciphertext\":\"" + sealedByNew + "\"}", 200).path("plaintext").asText())
                .isEqualTo(plaintext);
    }

    /** A call straight to the previous release's process, with a context signed as the gateway signs it. */
    private static JsonNode direct(Stack.Instance previous, String audience, Caller caller, String method,
            String path, String json, int expected, String... headers) throws Exception {
        SignedCalls signed = new SignedCalls(SuiteUnderTest.stack().gatewayContextKey(), audience);
        TenantContext context = new TenantContext(TenantId.parse(caller.tenant.toString()), "upgrade-user",
                Set.copyOf(caller.roles()));
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(previous.url() + path))
                .timeout(Duration.ofSeconds(30)).method(method, json == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(json));
        if (json != null) {
            request.header("Content-Type", "application/json");
        }
        signed.headers(context, method, path, json).forEach(request::header);
        for (int i = 0; i + 1 < headers.length; i += 2) {
            request.header(headers[i], headers[i + 1]);
        }
        HttpResponse<String> answer = HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
        assertThat(answer.statusCode()).as("%s %s on the previous release: %s", method, path, answer.body())
                .isEqualTo(expected);
        return answer.body().isEmpty() ? Caller.JSON.createObjectNode() : Caller.JSON.readTree(answer.body());
    }
}
