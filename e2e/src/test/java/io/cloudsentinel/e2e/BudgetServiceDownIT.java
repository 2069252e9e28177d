package io.cloudsentinel.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * Fault: budget-service is down while tenants' analyses are due. They retry with backoff instead of calling the
 * model unauthorized; when it is back they finish, and no tenant has spent more than its limit: every hold is ended
 * once and the ledger check passes.
 */
class BudgetServiceDownIT {

    private static final int TENANTS = 2;
    private static final int ANALYSES_PER_TENANT = 4;
    /** Room for about two analyses (each holds its worst case, ~1,000 micro-USD, until settled). */
    private static final long MONTHLY_LIMIT_MICROS = 2_200;

    @Test
    void analysesWaitForTheBudgetAndNoTenantEndsOverIt() throws Exception {
        List<Caller> tenants = new ArrayList<>();
        List<List<String>> analyses = new ArrayList<>();
        for (int t = 0; t < TENANTS; t++) {
            Caller admin = Caller.tenantAdmin(UUID.randomUUID());
            assertThat(admin.put("/api/v1/budgets/me", Map.of("monthlyLimitMicros", MONTHLY_LIMIT_MICROS))
                    .status()).isEqualTo(200);
            tenants.add(admin);
            analyses.add(new ArrayList<>());
        }
        int modelCallsBefore = SuiteUnderTest.MODEL.requests();

        SuiteUnderTest.stack().stop("budget-service");
        try {
            for (int t = 0; t < TENANTS; t++) {
                for (int i = 0; i < ANALYSES_PER_TENANT; i++) {
                    analyses.get(t).add(Jobs.requestAnalysis(tenants.get(t)));
                }
            }
            // each has failed at least once, waiting for its next attempt; none reached the model
            for (int t = 0; t < TENANTS; t++) {
                Caller tenant = tenants.get(t);
                for (String id : analyses.get(t)) {
                    await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(300))
                            .until(() -> tenant.get("/api/v1/jobs/" + id).json(), job -> job.path("state")
                                    .asText().equals("RETRY_SCHEDULED") && job.path("attempt").asInt() >= 1);
                }
            }
            assertThat(SuiteUnderTest.MODEL.requests()).isEqualTo(modelCallsBefore);
        } finally {
            SuiteUnderTest.stack().restart("budget-service");
        }

        for (int t = 0; t < TENANTS; t++) {
            Caller tenant = tenants.get(t);
            int completed = 0;
            for (String id : analyses.get(t)) {
                JsonNode job = await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(500))
                        .until(() -> tenant.get("/api/v1/jobs/" + id).json(), view -> List.of("COMPLETED",
                                "DEAD_LETTER").contains(view.path("state").asText()));
                if (job.path("state").asText().equals("COMPLETED")) {
                    completed++;
                } else {
                    assertThat(job.path("deadReason").asText()).as(job.toString()).isEqualTo("budget_exceeded");
                }
            }
            assertThat(completed).as("analyses of %s that ran", tenant).isPositive();
            JsonNode budget = tenant.get("/api/v1/budgets/me").json();
            assertThat(budget.path("spentMicros").asLong()).isLessThanOrEqualTo(MONTHLY_LIMIT_MICROS);
            assertThat(budget.path("reservedMicros").asLong()).isZero();
            Ledger ledger = Ledger.of(tenant);
            assertThat(ledger.holds()).hasSize(completed).allSatisfy(hold -> assertThat(ledger.endsOf(hold))
                    .hasSize(1));
            assertThat(ledger.spentMicros()).isEqualTo(budget.path("spentMicros").asLong());
        }
        JsonNode check = Ledger.checkAcrossTenants();
        assertThat(check.path("consistent").asBoolean()).as(check.toString()).isTrue();
    }
}
