package io.cloudsentinel.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * Scenario 2: a tenant uploads a FOCUS export; it is ingested, the day it spikes is found as an anomaly, and cost
 * analyses against the model run through the scheduler until the tenant's budget refuses (402, the job dead-lettered
 * {@code budget_exceeded}, no model call); every hold taken was settled or released, the counters are what the
 * settled costs add up to, and the ledger check across tenants passes.
 */
class CostAnalysisIT {

    private static final long MONTHLY_LIMIT_MICROS = 2_500;
    private static final int MOST_ANALYSES = 30;

    @Test
    void uploadedCostsAreCheckedForAnomaliesAndAnalysedUntilTheBudgetRefuses() {
        Caller admin = Caller.tenantAdmin(UUID.randomUUID());
        Caller.Answer budget = admin.put("/api/v1/budgets/me", Map.of("monthlyLimitMicros", MONTHLY_LIMIT_MICROS));
        assertThat(budget.status()).as(budget.toString()).isEqualTo(200);

        // the upload: ingested in one import, the daily sums answer for it
        String service = "Amazon EC2 e2e-" + admin.tenant.toString().substring(0, 8);
        LocalDate today = LocalDate.now(ZoneOffset.UTC);
        FocusExport export = FocusExport.dailyWithSpike(service, today, 35, new BigDecimal("2500.00"));
        Caller.Answer imported = admin.upload("/api/v1/costs/imports?source=aws", "text/csv", export.csv(),
                "Content-Digest", export.contentDigest());
        assertThat(imported.status()).as(imported.toString()).isEqualTo(201);
        assertThat(imported.json().path("status").asText()).isEqualTo("succeeded");
        assertThat(imported.json().path("rowsLoaded").asInt()).isEqualTo(export.rows());
        JsonNode summary = admin.get("/api/v1/costs/summary?from=" + export.first() + "&to=" + today
                + "&groupBy=service").json();
        assertThat(summary.path("currencies")).hasSize(1);
        assertThat(summary.path("currencies").get(0).path("currency").asText()).isEqualTo("USD");
        assertThat(new BigDecimal(summary.path("currencies").get(0).path("effectiveCost").asText()))
                .isEqualByComparingTo(export.effectiveTotal());

        // anomaly detection, run through the scheduler: yesterday's spike, once
        String detection = Jobs.runNow(admin, "cost_anomaly_detection");
        assertThat(Jobs.awaitFinished(admin, detection).path("state").asText()).isEqualTo("COMPLETED");
        JsonNode anomalies = admin.get("/api/v1/costs/anomalies").json().path("anomalies");
        assertThat(anomalies).hasSize(1);
        assertThat(anomalies.get(0).path("day").asText()).isEqualTo(export.last().toString());
        assertThat(anomalies.get(0).path("service").asText()).isEqualTo(service);
        assertThat(new BigDecimal(anomalies.get(0).path("effectiveCost").asText()))
                .isEqualByComparingTo("2500");

        // analyses until the budget says no
        int modelCallsBefore = SuiteUnderTest.MODEL.requests();
        List<JsonNode> results = new ArrayList<>();
        JsonNode refused = null;
        for (int run = 0; run < MOST_ANALYSES && refused == null; run++) {
            String id = Jobs.runNow(admin, "finops_analysis");
            JsonNode job = Jobs.awaitFinished(admin, id);
            if (job.path("state").asText().equals("COMPLETED")) {
                Caller.Answer result = admin.get("/api/v1/jobs/" + id + "/result");
                assertThat(result.status()).as(result.toString()).isEqualTo(200);
                results.add(result.json());
            } else {
                refused = job;
            }
        }
        assertThat(refused).as("an analysis the budget refused within %d runs", MOST_ANALYSES).isNotNull();
        assertThat(refused.path("state").asText()).isEqualTo("DEAD_LETTER");
        assertThat(refused.path("deadReason").asText()).isEqualTo("budget_exceeded");
        assertThat(refused.path("attempts")).hasSize(1);
        assertThat(results).as("analyses before the budget ran out").hasSizeGreaterThan(1);
        assertThat(results).allSatisfy(result -> {
            assertThat(result.path("status").asText()).isEqualTo("completed");
            assertThat(result.path("model").asText()).isEqualTo(ModelEndpoint.MODEL);
            assertThat(result.path("costMicros").asLong()).isPositive();
            assertThat(result.path("usageEstimated").asBoolean()).isFalse();
        });
        // one model call per completed analysis, none for the refused one; each prompt held the uploaded costs
        List<ModelEndpoint.Request> calls = SuiteUnderTest.MODEL.received();
        calls = calls.subList(modelCallsBefore, calls.size());
        assertThat(calls).hasSize(results.size());
        assertThat(calls).allSatisfy(call -> assertThat(call.body()).contains(service));

        // what the tenant itself asks for now is refused with the reasons
        Caller.Answer direct = admin.post("/api/v1/llm/authorizations", Map.of("model", ModelEndpoint.MODEL,
                "inputTokens", 100_000, "maxOutputTokens", 4_000, "idempotencyKey", "e2e-after-analyses"));
        assertThat(direct.status()).as(direct.toString()).isEqualTo(402);
        assertThat(direct.json().path("limitMicros").asLong()).isEqualTo(MONTHLY_LIMIT_MICROS);
        assertThat(direct.response().headers().firstValue("Retry-After")).isPresent();

        // every hold settled at the analysis's cost or released; the counters are what the ledger adds up to
        Ledger ledger = Ledger.of(admin);
        assertThat(ledger.holds()).as("one hold per completed analysis").hasSize(results.size());
        assertThat(ledger.holds()).allSatisfy(hold -> assertThat(ledger.endsOf(hold)).as("end of hold %s", hold)
                .hasSize(1));
        for (JsonNode result : results) {
            assertThat(ledger.endsOf(result.path("holdId").asText())).singleElement().satisfies(end -> {
                assertThat(end.type()).isEqualTo("SETTLE");
                assertThat(end.spentDeltaMicros()).isEqualTo(result.path("costMicros").asLong());
            });
        }
        JsonNode counters = admin.get("/api/v1/budgets/me").json();
        assertThat(counters.path("reservedMicros").asLong()).isZero();
        assertThat(counters.path("spentMicros").asLong()).isEqualTo(results.stream()
                .mapToLong(result -> result.path("costMicros").asLong()).sum())
                .isLessThanOrEqualTo(MONTHLY_LIMIT_MICROS);

        JsonNode check = Ledger.checkAcrossTenants();
        assertThat(check.path("consistent").asBoolean()).as(check.toString()).isTrue();
        assertThat(check.path("mismatches")).isEmpty();
    }
}
