package io.cloudsentinel.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.StreamSupport;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * Fault: the model stops answering. The analysis's attempt gives up at the model timeout; its hold is settled at the
 * worst case and the attempt says it was estimated (the request was sent, the provider may bill it); the retry takes
 * a new hold and, the model answering again, completes with the real usage. The late answers change nothing.
 */
class ModelHangsIT {

    @Test
    void aHangingModelCostsTheWorstCaseOnceAndTheRetryPaysWhatItUsed() {
        Caller admin = Caller.tenantAdmin(UUID.randomUUID());
        assertThat(admin.put("/api/v1/budgets/me", Map.of("monthlyLimitMicros", 1_000_000)).status())
                .isEqualTo(200);
        String id;
        SuiteUnderTest.MODEL.hang();
        try {
            id = Jobs.requestAnalysis(admin);
            await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(300))
                    .until(() -> attempts(admin, id), attempts -> !attempts.isEmpty()
                            && !attempts.get(0).path("finishedAt").isNull()
                            && !attempts.get(0).path("finishedAt").isMissingNode());
        } finally {
            SuiteUnderTest.MODEL.answerAgain();
        }
        JsonNode job = Jobs.awaitFinished(admin, id);
        assertThat(job.path("state").asText()).isEqualTo("COMPLETED");
        List<JsonNode> attempts = attempts(admin, id);
        assertThat(attempts).hasSizeGreaterThan(1);
        JsonNode result = admin.get("/api/v1/jobs/" + id + "/result").json();
        assertThat(result.path("usageEstimated").asBoolean()).isFalse();

        // each given-up attempt: settled at its worst case, flagged estimated; the last: the real usage
        Ledger ledger = Ledger.of(admin);
        assertThat(ledger.holds()).as("one hold per attempt").hasSize(attempts.size());
        for (int i = 0; i < attempts.size() - 1; i++) {
            String hold = ledger.holds().get(i);
            assertThat(attempts.get(i).path("error").asText()).contains("no complete answer")
                    .contains("(estimated: the worst case)").contains(hold);
            assertThat(ledger.endsOf(hold)).singleElement().satisfies(end -> {
                assertThat(end.type()).isEqualTo("SETTLE");
                assertThat(end.spentDeltaMicros()).isEqualTo(ledger.reservedBy(hold));
            });
        }
        String last = ledger.holds().get(attempts.size() - 1);
        assertThat(result.path("holdId").asText()).isEqualTo(last);
        assertThat(ledger.endsOf(last)).singleElement().satisfies(end -> assertThat(end.spentDeltaMicros())
                .isEqualTo(result.path("costMicros").asLong()).isLessThan(ledger.reservedBy(last)));

        // the hung requests got their answers late (written to closed connections): nothing changes
        await().atMost(Duration.ofSeconds(10)).until(() -> SuiteUnderTest.MODEL.done() == SuiteUnderTest.MODEL.requests());
        Ledger after = Ledger.of(admin);
        assertThat(after).isEqualTo(ledger);
        JsonNode budget = admin.get("/api/v1/budgets/me").json();
        assertThat(budget.path("spentMicros").asLong()).isEqualTo(ledger.spentMicros());
        assertThat(budget.path("reservedMicros").asLong()).isZero();
        assertThat(Jobs.awaitFinished(admin, id).path("attempts")).hasSize(attempts.size());
    }

    private static List<JsonNode> attempts(Caller admin, String id) {
        return StreamSupport.stream(admin.get("/api/v1/jobs/" + id).json().path("attempts").spliterator(), false)
                .toList();
    }
}
