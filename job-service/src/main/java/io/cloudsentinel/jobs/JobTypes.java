package io.cloudsentinel.jobs;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * The job types this service runs (a registered handler for each), each type's settings and its payload schema. A
 * type with no handler
 * is unknown: refused at ingestion and at the API, fatal if it is in the table anyway.
 */
public final class JobTypes {

    /** A type's settings as the workers apply them. */
    public record Settings(Duration timeout, int maxAttempts, Backoff backoff, boolean idempotent,
            Optional<Integer> concurrency) {
    }

    private final Map<String, Settings> settings;
    private final PayloadSchemas payloads;

    public JobTypes(Map<String, Settings> settings, PayloadSchemas payloads) {
        this.settings = new TreeMap<>(settings);
        this.payloads = payloads;
    }

    public Set<String> names() {
        return settings.keySet();
    }

    public boolean knows(String type) {
        return settings.containsKey(type);
    }

    /** What is wrong with a payload for the type's schema; empty when it is valid. */
    public List<String> payloadProblems(String type, JsonNode payload) {
        return payloads.problems(type, payload);
    }

    public Settings of(String type) {
        Settings found = settings.get(type);
        if (found == null) {
            throw new IllegalArgumentException("no handler for job type " + type);
        }
        return found;
    }
}
