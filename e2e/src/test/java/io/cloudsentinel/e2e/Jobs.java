package io.cloudsentinel.e2e;

import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.StreamSupport;

import com.fasterxml.jackson.databind.JsonNode;

/** A tenant's jobs as the job API shows them. */
final class Jobs {

    private Jobs() {
    }

    static List<JsonNode> list(Caller caller, String query) {
        Caller.Answer answer = caller.get("/api/v1/jobs?limit=200" + query);
        if (answer.status() != 200) {
            throw new IllegalStateException("job list: " + answer);
        }
        return StreamSupport.stream(answer.json().path("jobs").spliterator(), false).toList();
    }

    /** A noop job through the API: {@code holdMillis} above the stack's noop timeout (1 s) dead-letters it. */
    static String requestNoop(Caller caller, long holdMillis) {
        Caller.Answer answer = caller.post("/api/v1/jobs", Map.of("type", "noop", "payload",
                Map.of("holdMillis", holdMillis)), "Idempotency-Key", "e2e-" + java.util.UUID.randomUUID());
        if (answer.status() != 201) {
            throw new IllegalStateException("job request: " + answer);
        }
        return answer.json().path("id").asText();
    }

    /** A cost analysis of one line given with the request (nothing uploaded needed): the job's id. */
    static String requestAnalysis(Caller caller) {
        LocalDate month = LocalDate.now(ZoneOffset.UTC).withDayOfMonth(1);
        Caller.Answer answer = caller.post("/api/v1/jobs", Map.of("type", "finops_analysis", "payload",
                Map.of("costs", List.of(Map.of("service", "Amazon S3", "amount", "412.50", "currency", "USD",
                        "periodStart", month.minusMonths(1).toString(), "periodEnd", month.toString())))),
                "Idempotency-Key", "e2e-" + java.util.UUID.randomUUID());
        if (answer.status() != 201) {
            throw new IllegalStateException("analysis request: " + answer);
        }
        return answer.json().path("id").asText();
    }

    /** Waits until the job is in {@code state}; its view then. */
    static JsonNode awaitState(Caller caller, String id, String state) {
        return await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(300))
                .until(() -> caller.get("/api/v1/jobs/" + id), answer -> answer.status() == 200
                        && answer.json().path("state").asText().equals(state))
                .json();
    }

    /** Waits until the job has finished (COMPLETED, DEAD_LETTER or CANCELLED); its view then. */
    static JsonNode awaitFinished(Caller caller, String id) {
        return await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(300))
                .until(() -> caller.get("/api/v1/jobs/" + id), answer -> answer.status() == 200
                        && Set.of("COMPLETED", "DEAD_LETTER", "CANCELLED")
                                .contains(answer.json().path("state").asText()))
                .json();
    }

    /** A scheduled job type run at once through the scheduler (outbox, jobs.requested): the job's id. */
    static String runNow(Caller admin, String jobType) {
        Caller.Answer answer = admin.post("/api/v1/schedules/me/" + jobType + "/run-now", null,
                "Idempotency-Key", "e2e-" + java.util.UUID.randomUUID());
        if (answer.status() != 202) {
            throw new IllegalStateException("run-now " + jobType + ": " + answer);
        }
        return answer.json().path("jobId").asText();
    }

    /**
     * Waits until the tenant has {@code count} noop jobs, all COMPLETED; their ids. Each has exactly one completed
     * attempt (a job run twice would show two).
     */
    static List<String> awaitNoopsCompletedOnce(Caller tenant, int count) {
        return awaitNoopsCompletedOnce(tenant::get, count);
    }

    /** As {@link #awaitNoopsCompletedOnce(Caller, int)}, read through {@code get} (a process called directly). */
    static List<String> awaitNoopsCompletedOnce(java.util.function.Function<String, Caller.Answer> get, int count) {
        List<JsonNode> jobs = await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofSeconds(1))
                .until(() -> StreamSupport.stream(get.apply("/api/v1/jobs?limit=200&type=noop").json().path("jobs")
                        .spliterator(), false).toList(), found -> found.size() == count
                                && found.stream().allMatch(job -> job.path("state").asText().equals("COMPLETED")));
        List<String> ids = new java.util.ArrayList<>();
        for (JsonNode job : jobs) {
            ids.add(job.path("id").asText());
            JsonNode view = get.apply("/api/v1/jobs/" + job.path("id").asText()).json();
            long completedAttempts = StreamSupport.stream(view.path("attempts").spliterator(), false)
                    .filter(attempt -> attempt.path("outcome").asText().equals("COMPLETED")).count();
            if (completedAttempts != 1) {
                throw new AssertionError(completedAttempts + " completed attempts of " + view);
            }
        }
        return ids;
    }

    /** Job id → the distinct event ids of its COMPLETED events on jobs.events, for these tenants. */
    static Map<String, Set<String>> completedEvents(List<Caller> tenants) {
        Map<String, Set<String>> byJob = new HashMap<>();
        for (Caller tenant : tenants) {
            for (TopicLog.Event event : TopicLog.of("jobs.events").ofTenant(tenant.tenant)) {
                JsonNode value = event.json();
                if (value.path("state").asText().equals("COMPLETED")) {
                    byJob.computeIfAbsent(value.path("jobId").asText(), id -> new HashSet<>())
                            .add(event.header("event-id"));
                }
            }
        }
        return byJob;
    }
}
