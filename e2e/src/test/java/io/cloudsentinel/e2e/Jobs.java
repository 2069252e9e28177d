package io.cloudsentinel.e2e;

import static org.awaitility.Awaitility.await;

import java.time.Duration;
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

    /** Waits until the job is in {@code state}; its view then. */
    static JsonNode awaitState(Caller caller, String id, String state) {
        return await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(300))
                .until(() -> caller.get("/api/v1/jobs/" + id), answer -> answer.status() == 200
                        && answer.json().path("state").asText().equals(state))
                .json();
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
