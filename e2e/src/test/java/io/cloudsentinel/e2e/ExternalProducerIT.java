package io.cloudsentinel.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * Scenario 4: an external producer's valid records to jobs.requested run; its poison records land in jobs.dlq with
 * their reasons and never become jobs; a job that died is replayed through the DLQ API and runs again.
 */
class ExternalProducerIT {

    @Test
    void validRecordsRunAndPoisonRecordsAreDeadLetteredWithTheirReasons() throws Exception {
        UUID tenant = UUID.randomUUID();
        UUID other = UUID.randomUUID();
        String run = UUID.randomUUID().toString();
        List<String> poisonReasons = List.of("invalid_json", "unknown_type", "tenant_mismatch", "schema_version");
        Map<String, Double> refusedBefore = poisonReasons.stream().collect(Collectors.toMap(reason -> reason,
                reason -> Metrics.sum("job-service", "cs_jobs_dlq_total", "reason", reason)));
        try (JobRequests producer = new JobRequests()) {
            for (int i = 0; i < 5; i++) {
                producer.noop(tenant, "e2e:" + run + ":" + i, 0);
            }
            producer.send(tenant, tenant, "poison-json-" + run, "{\"schemaVersion\":1,\"tenantId\":");
            producer.send(tenant, tenant, "poison-type-" + run, """
                    {"schemaVersion":1,"tenantId":"%s","jobType":"no_such_type","payload":{}}""".formatted(tenant));
            producer.send(tenant, other, "poison-tenant-" + run, """
                    {"schemaVersion":1,"tenantId":"%s","jobType":"noop","payload":{}}""".formatted(other));
            producer.send(tenant, tenant, "poison-version-" + run, """
                    {"schemaVersion":99,"tenantId":"%s","jobType":"noop","payload":{}}""".formatted(tenant));
        }

        Caller admin = Caller.tenantAdmin(tenant);
        List<JsonNode> jobs = await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500))
                .until(() -> Jobs.list(admin, "&type=noop"), found -> found.size() == 5
                        && found.stream().allMatch(job -> job.path("state").asText().equals("COMPLETED")));
        assertThat(jobs).allSatisfy(job -> assertThat(job.path("source").asText()).isEqualTo("kafka"));

        Map<String, String> reasons = await().atMost(Duration.ofSeconds(60)).until(() -> TopicLog.of("jobs.dlq")
                .events().stream().filter(event -> event.header("event-id") != null
                        && event.header("event-id").endsWith(run))
                .collect(Collectors.toMap(event -> event.header("event-id"), event -> event.header("cs-dlq-reason"),
                        (a, b) -> a)),
                found -> found.size() == 4);
        assertThat(reasons).containsEntry("poison-json-" + run, "invalid_json")
                .containsEntry("poison-type-" + run, "unknown_type")
                .containsEntry("poison-tenant-" + run, "tenant_mismatch")
                .containsEntry("poison-version-" + run, "schema_version");
        // and operators see each refusal counted by its reason
        for (String reason : poisonReasons) {
            assertThat(Metrics.sum("job-service", "cs_jobs_dlq_total", "reason", reason))
                    .as("%s in %s", reason, Metrics.lines("job-service", "cs_jobs_dlq"))
                    .isGreaterThanOrEqualTo(refusedBefore.get(reason) + 1);
        }
        assertThat(Jobs.list(admin, "&type=noop")).as("no poison record became a job").hasSize(5);
        assertThat(Jobs.list(Caller.tenantAdmin(other), "&type=noop")).isEmpty();
    }

    @Test
    void aDeadJobIsOnJobsDlqAndAReplayFromTheApiRunsItAgain() {
        Caller admin = Caller.tenantAdmin(UUID.randomUUID());
        String id = Jobs.requestNoop(admin, 3_000);

        JsonNode dead = Jobs.awaitState(admin, id, "DEAD_LETTER");
        int attempts = dead.path("attempts").size();
        assertThat(attempts).isEqualTo(dead.path("maxAttempts").asInt()).isPositive();
        assertThat(admin.get("/api/v1/jobs/dlq").json().path("jobs").findValuesAsText("id")).contains(id);
        await().atMost(Duration.ofSeconds(30)).until(() -> TopicLog.of("jobs.dlq").ofTenant(admin.tenant).stream()
                .filter(event -> id.equals(event.header("job-id"))).count() == 1);

        Caller.Answer replay = admin.post("/api/v1/jobs/dlq/" + id + "/replay", null);
        assertThat(replay.status()).as(replay.toString()).isEqualTo(200);
        // PENDING again, or already claimed by a worker when the answer was read
        assertThat(replay.json().path("state").asText()).isIn("PENDING", "RUNNING");

        // it runs again (new attempts, the history kept), and dies again: its payload still holds too long
        await().atMost(Duration.ofSeconds(60)).until(() -> {
            JsonNode job = admin.get("/api/v1/jobs/" + id).json();
            return job.path("state").asText().equals("DEAD_LETTER") && job.path("attempts").size() > attempts;
        });
        List<String> states = await().atMost(Duration.ofSeconds(30)).until(() -> TopicLog.of("jobs.events")
                .ofTenant(admin.tenant).stream().filter(event -> event.json().path("jobId").asText().equals(id))
                .map(event -> event.json().path("state").asText()).toList(),
                seen -> seen.stream().filter("DEAD_LETTER"::equals).count() == 2);
        assertThat(states).containsSubsequence("RUNNING", "DEAD_LETTER", "PENDING", "RUNNING", "DEAD_LETTER");
        assertThat(admin.post("/api/v1/jobs/dlq/" + UUID.randomUUID() + "/replay", null).status()).isEqualTo(404);
    }
}
