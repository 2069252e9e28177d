package io.cloudsentinel.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;
import java.util.stream.StreamSupport;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * Scenario 1: a new tenant's first request through the gateway is its activity; the scheduler gives it the active
 * tier's schedules, due at once, and emits them; job-service runs the jobs; their states are visible through the
 * API and on jobs.events.
 */
class NewTenantIT {

    /** What the active tier runs by default (scheduler-service's README). */
    private static final Set<String> ACTIVE_TYPES = Set.of("cost_ingestion", "cost_anomaly_detection", "zombie_scan");

    @Test
    void aNewTenantsFirstRequestGetsItsScheduledJobsRunAndAnnounced() {
        Caller admin = Caller.tenantAdmin(UUID.randomUUID());

        assertThat(admin.get("/api/v1/budgets/me").status()).isEqualTo(200);

        JsonNode schedules = await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500))
                .until(() -> admin.get("/api/v1/schedules/me"), answer -> answer.status() == 200
                        && "ACTIVE".equals(answer.json().path("tier").asText())
                        && emittedTypes(answer.json()).containsAll(ACTIVE_TYPES))
                .json();
        assertThat(schedules.path("tenantId").asText()).isEqualTo(admin.tenant.toString());

        List<JsonNode> jobs = await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500))
                .until(() -> jobs(admin), found -> found.stream().map(job -> job.path("type").asText())
                        .collect(Collectors.toSet()).containsAll(ACTIVE_TYPES)
                        && found.stream().allMatch(job -> job.path("state").asText().equals("COMPLETED")));
        assertThat(jobs).extracting(job -> job.path("type").asText()).containsExactlyInAnyOrderElementsOf(
                ACTIVE_TYPES);
        assertThat(jobs).allSatisfy(job -> assertThat(job.path("source").asText()).isEqualTo("kafka"));

        for (JsonNode job : jobs) {
            String id = job.path("id").asText();
            List<String> states = await().atMost(Duration.ofSeconds(30)).until(() -> TopicLog.of("jobs.events")
                    .ofTenant(admin.tenant).stream().filter(event -> event.json().path("jobId").asText().equals(id))
                    .map(event -> event.json().path("state").asText()).toList(), seen -> seen.contains("COMPLETED"));
            assertThat(states).as("job %s (%s) on jobs.events", id, job.path("type").asText())
                    .containsSubsequence("PENDING", "RUNNING", "COMPLETED");
            assertThat(states).filteredOn("COMPLETED"::equals).hasSize(1);
        }
        assertThat(TopicLog.of("jobs.events").ofTenant(admin.tenant))
                .allSatisfy(event -> assertThat(event.key()).isEqualTo(admin.tenant.toString()));
    }

    private static Set<String> emittedTypes(JsonNode schedules) {
        return StreamSupport.stream(schedules.path("schedules").spliterator(), false)
                .filter(schedule -> !schedule.path("lastSlotStart").isNull()
                        && !schedule.path("lastSlotStart").isMissingNode())
                .map(schedule -> schedule.path("jobType").asText()).collect(Collectors.toSet());
    }

    private static List<JsonNode> jobs(Caller caller) {
        return StreamSupport.stream(caller.get("/api/v1/jobs?limit=200").json().path("jobs").spliterator(), false)
                .toList();
    }
}
